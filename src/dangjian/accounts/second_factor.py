"""The TOTP second factor (django-otp): who must use it, enrolment and the check.

An account uses a second factor when it has enrolled an authenticator, or when it holds
an office, guidance or administrator role in a subtree whose security policy requires one
(SecurityPolicy, set by the security administrator). Whether it must is decided at login
and kept in the session, so other requests pay no query; a policy turned on applies from
each user's next login (sessions end after 30 idle minutes).
"""

import base64

import segno
from django.apps import apps
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import TOTP_ROLES, SecurityPolicy

SESSION_FLAG = "dangjian_second_factor"


def required_by_policy(user) -> bool:
    """Whether a policy on the grant's organisation or one above it requires TOTP."""
    grant_paths = list(
        user.grants.filter(role__in=TOTP_ROLES).values_list("organization__path", flat=True)
    )
    if not grant_paths:
        return False
    # The policy's organisation is an ancestor-or-self of the grant's: its path a prefix
    # made of whole steps of the materialised path.
    step = apps.get_model("orgs", "Organization").steplen
    prefixes = {path[:end] for path in grant_paths for end in range(step, len(path) + 1, step)}
    return SecurityPolicy.objects.filter(
        require_totp=True, organization__path__in=prefixes
    ).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user) -> bool:
    return confirmed_device(user) is not None or required_by_policy(user)


def pending(request) -> bool:
    """Logged in with a password, but the second factor is still owed."""
    user = request.user
    return (
        user.is_authenticated
        and request.session.get(SESSION_FLAG, False)
        and not user.is_verified()
    )


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, made on first need (a fresh secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, for typing into an authenticator without the camera."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


def _accepts(device: TOTPDevice, code: str | None) -> bool:
    """Whether `code` (spaces allowed) is the device's current one; django-otp throttles
    repeated failures."""
    code = "".join((code or "").split())
    return code.isdigit() and device.verify_token(code)


def verify(request, device: TOTPDevice, code: str) -> bool:
    """Check a code and mark the session."""
    if not _accepts(device, code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[SESSION_FLAG] = True
    return True


def verify_for_token(user, code: str | None) -> bool:
    """The API's token issue: a user who needs a second factor sends a current code."""
    device = confirmed_device(user)
    if device is None:
        return not required_by_policy(user)
    return _accepts(device, code)


def users_with_device(users) -> set[int]:
    """Which of `users` have enrolled an authenticator (one query for a page of them)."""
    devices = TOTPDevice.objects.filter(user__in=users, confirmed=True)
    return set(devices.values_list("user_id", flat=True))
