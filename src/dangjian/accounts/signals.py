"""Every login, failed ones too, goes into the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangjian.core import audit
from dangjian.core.pages import client_ip

from . import second_factor
from .services import home_path


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Decided once per login, so other requests pay no query (second_factor).
        request.session[second_factor.SESSION_FLAG] = second_factor.needs_second_factor(user)
    audit.record("login", actor=user, obj=user, org_path=home_path(user), ip_address=_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(
            "logout", actor=user, obj=user, org_path=home_path(user), ip_address=_ip(request)
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    from .models import User

    username = (credentials or {}).get("username", "")
    user = User.objects.filter(username=username).first()
    audit.record(
        "login.failed",
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        org_path=home_path(user) if user else "",
        summary={"username": username},
        ip_address=_ip(request),
    )
