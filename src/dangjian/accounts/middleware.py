from django.shortcuts import redirect
from django.urls import reverse

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
