"""Whether `/api/v1/docs` and `/api/v1/openapi.json` need a login: the setting
DANGJIAN_API_DOCS_LOGIN (on unless turned off). With it on, the docs page sends a visitor
to the login page and the document answers 401 to a caller who is neither logged in nor
holding a valid token, like the API itself."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from dangjian.accounts.services import must_change_password

from .auth import API_AUTH


def _api_caller(request):
    """The user the API would serve this request for, else None (api.auth's rules)."""
    for check in API_AUTH:
        if user := check(request):
            return user
    return None


def _refuse_document(request):
    """401 (403 for a password to change first) unless the API would serve the caller."""
    try:
        caller = _api_caller(request)
    except HttpError as refused:
        return JsonResponse({"detail": str(refused)}, status=refused.status_code)
    if caller is None:
        return JsonResponse({"detail": _("未登录，或令牌无效、已过期、已撤销")}, status=401)
    return None


def _refuse_page(request):
    """To the login page (or the password change) unless a user is logged in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if must_change_password(request.user):
        return redirect("password_change")
    return None


def docs_login(view):
    """ninja's docs_decorator: it wraps both the document and the page; the setting is
    read on each request."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.DANGJIAN_API_DOCS_LOGIN:
            is_document = request.resolver_match.url_name == "openapi-json"
            refusal = _refuse_document(request) if is_document else _refuse_page(request)
            if refusal is not None:
                return refusal
        return view(request, *args, **kwargs)

    return guarded
