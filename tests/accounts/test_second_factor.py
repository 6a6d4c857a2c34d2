"""The TOTP second factor (django-otp, issue 14): required for office, guidance and
administrator roles when their hospital's security administrator turns it on; owed
after the password before any page or API call; the API's token issue asks for it."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts import administration
from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def hospital(two_hospitals):
    _, (ha, ha_b1, _), (hb, *_) = two_hospitals
    for org in (ha, ha_b1, hb):
        org.refresh_from_db()
    return ha, ha_b1, hb


@pytest.fixture
def policy_on(hospital):
    ha, _, _ = hospital
    security = make_user("sec-a", Role.SECURITY_ADMIN, ha)
    administration.set_policy(security, ha, require_totp=True)
    return security


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def login(client, username):
    return client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})


def verified_login(client, user):
    """Log in with the password and a code from the user's (new) authenticator."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, user.username)
    client.post(reverse("otp"), {"code": code_for(device)})
    assert client.get(reverse("account_list")).status_code == 200


def test_the_policy_makes_the_office_enrol_before_anything_else(
    client, hospital, policy_on, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off after a wrong code
    ha, _, _ = hospital
    office = make_user("office-a", Role.OFFICE, ha)
    login(client, "office-a")
    # Every page, the password page included, leads to the second factor first.
    for url in (reverse("dashboard:home"), reverse("people:list"), reverse("password_change")):
        assert client.get(url)["Location"].startswith(reverse("otp"))
    assert client.get("/api/v1/members").status_code == 403
    enrol = client.get(reverse("otp")).content.decode()
    assert "<svg" in enrol and "扫描" in enrol
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    wrong = client.post(
        reverse("otp"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "动态口令不正确" in wrong.content.decode()
    client.post(reverse("otp"), {"code": code_for(device)})
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert client.get("/api/v1/members").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    actions = set(AuditEntry.objects.filter(actor=office).values_list("action", flat=True))
    assert {"otp.enrol", "otp.failed"} <= actions


def test_an_enrolled_user_enters_a_code_at_every_login(client, hospital, policy_on):
    ha, _, _ = hospital
    office = make_user("office-a", Role.OFFICE, ha)
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    login(client, "office-a")
    assert client.get(reverse("dashboard:home"))["Location"].startswith(reverse("otp"))
    assert "扫描" not in client.get(reverse("otp")).content.decode()  # no new secret shown
    client.post(reverse("otp"), {"code": code_for(device)})
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_members_and_other_hospitals_are_not_affected(client, hospital, policy_on):
    ha, ha_b1, hb = hospital
    make_user("member-a", Role.MEMBER, ha_b1)
    make_user("office-b", Role.OFFICE, hb)
    for username in ("member-a", "office-b"):
        client.logout()
        login(client, username)
        assert client.get(reverse("dashboard:home")).status_code in (200, 302)
        assert (
            not client.get(reverse("dashboard:home")).get("Location", "").startswith(reverse("otp"))
        )


def test_the_api_token_needs_a_current_code(client, hospital, policy_on):
    ha, _, _ = hospital
    office = make_user("office-a", Role.OFFICE, ha)
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    body = {"username": "office-a", "password": TEST_PASSWORD}
    refused = client.post(TOKEN_URL, body, content_type="application/json")
    assert refused.status_code == 401 and "动态口令" in refused.json()["detail"]
    issued = client.post(
        TOKEN_URL, {**body, "otp": code_for(device)}, content_type="application/json"
    )
    assert issued.status_code == 200 and issued.json()["token"]


def test_the_security_administrator_resets_a_lost_phone(client, hospital, policy_on):
    ha, _, _ = hospital
    office = make_user("office-a", Role.OFFICE, ha)
    TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    verified_login(client, policy_on)  # the administrator is under the policy too
    client.post(reverse("account_reset_otp", args=[office.pk]))
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert AuditEntry.objects.filter(action="otp.reset", actor=policy_on).exists()


def test_the_policy_page_turns_it_on_and_off(client, hospital):
    ha, _, hb = hospital
    security = make_user("sec-a", Role.SECURITY_ADMIN, ha)
    client.force_login(security)
    client.post(reverse("security_policy"), {"org": "HA", "require_totp": "1"})
    office = make_user("office-a", Role.OFFICE, ha)
    client.logout()
    login(client, "office-a")
    assert client.get(reverse("dashboard:home"))["Location"].startswith(reverse("otp"))
    # Another hospital's organisation cannot be switched from here.
    client.logout()
    verified_login(client, security)
    assert (
        client.post(reverse("security_policy"), {"org": "HB", "require_totp": "1"}).status_code
        == 404
    )
    client.post(reverse("security_policy"), {"org": "HA", "require_totp": "0"})
    client.logout()
    login(client, office.username)
    assert client.get(reverse("dashboard:home")).status_code == 200
