import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, RoleGrant, User
from dangjian.accounts.services import change_password
from dangjian.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_failed_login_are_audited(client, two_hospitals):
    _, (ha, *_), _ = two_hospitals
    make_user("alice", Role.OFFICE, ha)
    assert _login(client, "alice", "wrong-Pass-1").status_code == 200
    assert _login(client, "alice", TEST_PASSWORD).status_code == 302
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "org_path"))
    assert actions == [("login.failed", ha.path), ("login", ha.path)]


def test_five_failures_lock_the_account_for_30_minutes(client, two_hospitals):
    make_user("bob")
    for _ in range(5):
        _login(client, "bob", "wrong-Pass-1")
    response = _login(client, "bob", TEST_PASSWORD)  # right password, still locked
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, db):
    make_user("carol")
    for _ in range(4):
        _login(client, "carol", "wrong-Pass-1")
    assert _login(client, "carol", TEST_PASSWORD).status_code == 302


def test_initial_password_must_be_changed_first(client, two_hospitals):
    _, (ha, *_), _ = two_hospitals
    call_command("grant", "dora", "--role", "office", "--org", "HA", "--password", "Initial-Pass-9")
    assert _login(client, "dora", "Initial-Pass-9").status_code == 302
    assert client.get(reverse("dashboard:home")).url == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Initial-Pass-9",
            "new_password1": "Brand-New-Pass-7",
            "new_password2": "Brand-New-Pass-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="dora")
    assert not user.must_change_password and user.check_password("Brand-New-Pass-7")


def test_expired_password_must_be_changed(client, settings, db):
    user = make_user("erin")
    user.password_changed_at = timezone.now() - dt.timedelta(
        days=settings.PASSWORD_MAX_AGE_DAYS + 1
    )
    user.save()
    client.force_login(user)
    assert client.get(reverse("dashboard:home")).url == reverse("password_change")


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!", "至少"),  # too short
        ("abcdefgh12", "至少三类"),  # only two classes
        ("ABCDEFGH!!", "至少三类"),
    ],
)
def test_password_complexity(db, password, message):
    from django.core.exceptions import ValidationError

    user = make_user("frank")
    with pytest.raises(ValidationError) as info:
        change_password(user, password)
    assert any(message in m for m in info.value.messages)


def test_last_five_passwords_are_not_reused(db):
    from django.core.exceptions import ValidationError

    user = make_user("gina")
    passwords = [f"Rotate-Pass-{i}x" for i in range(6)]
    for p in passwords:
        change_password(user, p)
    with pytest.raises(ValidationError, match="最近5次"):
        change_password(user, passwords[-1])
    change_password(user, passwords[0])  # six changes ago: allowed again


def test_idle_sessions_expire_after_30_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_grant_command_creates_user_and_role(two_hospitals, capsys):
    call_command(
        "grant", "henry", "--role", "secretary", "--org", "HA-B1", "--password", "Strong-Pass-1"
    )
    user = User.objects.get(username="henry")
    assert user.must_change_password
    assert RoleGrant.objects.filter(
        user=user, role="secretary", organization__code="HA-B1"
    ).exists()
    assert AuditEntry.objects.filter(action="role.grant").count() == 1
    call_command(
        "grant", "henry", "--role", "auditor", "--org", "HA"
    )  # existing user: no password needed
    assert user.grants.count() == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["ivan", "--role", "office", "--org", "NOPE", "--password", "Strong-Pass-1"],
            "组织编码不存在",
        ),
        (["ivan", "--role", "office", "--org", "HA"], "初始密码"),
        (["ivan", "--role", "office", "--org", "HA", "--password", "weak"], "密码不符合要求"),
    ],
)
def test_grant_command_refuses_bad_input_and_changes_nothing(two_hospitals, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant", *args)
    assert not User.objects.filter(username="ivan").exists()
    assert not RoleGrant.objects.exists()
