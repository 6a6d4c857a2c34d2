"""Throttling logins per client address, across user names: axes locks each account
after 5 failures; this stops an address that tries many accounts (a spray) without
locking everyone behind the same proxy out of their own accounts."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone

from dangjian.core.pages import client_ip


def address_failures(address: str) -> int:
    """Failed logins from `address` within the cool-off, whatever the user name."""
    since = timezone.now() - timedelta(seconds=settings.AXES_COOLOFF_TIME.total_seconds())
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


class AddressThrottle:
    """First in AUTHENTICATION_BACKENDS: refuses every login from an address over its
    failures (PermissionDenied stops Django's authenticate, which reports it failed)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if address_failures(client_ip(request)) >= settings.DANGJIAN_LOGIN_FAILURES_PER_ADDRESS:
            raise PermissionDenied("该地址登录失败次数过多，请稍后再试")
        return None  # no get_user: it logs nobody in, so sessions never name it
