from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import second_factor
from .services import must_change_password

_ALWAYS_ALLOWED = ("/accounts/", "/static/", "/api/")


class PasswordChangeRequiredMiddleware:
    """An initial or expired password must be changed before anything else is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and must_change_password(user)
        ):
            return redirect(reverse("password_change"))
        return self.get_response(request)


_SECOND_FACTOR_ALLOWED = ("/accounts/otp/", "/accounts/logout/", "/static/")


class SecondFactorRequiredMiddleware:
    """After the password, an account that needs a second factor may only enter its
    TOTP code (or enrol an authenticator) until it has: not even change its password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_SECOND_FACTOR_ALLOWED) or not second_factor.pending(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("请先在网页完成动态口令验证")}, status=403)
        return redirect(reverse("otp"))
