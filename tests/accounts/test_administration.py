"""Account administration under 三权分立 (issue 14): a system administrator keeps the
accounts, a security administrator the roles and policy, an audit administrator reads
the log with its security events; none does another's work, nobody administers their
own account, and another hospital's accounts do not exist for them."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.accounts import administration
from dangjian.accounts.models import Role, RoleGrant, User
from dangjian.accounts.services import grant_role, issue_token
from dangjian.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, make_member, make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Fresh-Start-2026"


@pytest.fixture
def orgs(two_hospitals):
    guidance, (ha, ha_b1, _), (hb, *_) = two_hospitals
    for org in (guidance, ha, ha_b1, hb):
        org.refresh_from_db()
    return guidance, ha, ha_b1, hb


@pytest.fixture
def admins(orgs):
    _, ha, _, hb = orgs
    return {
        "sys": make_user("sys-a", Role.SYSTEM_ADMIN, ha),
        "sec": make_user("sec-a", Role.SECURITY_ADMIN, ha),
        "aud": make_user("aud-a", Role.AUDIT_ADMIN, ha),
        "sys_b": make_user("sys-b", Role.SYSTEM_ADMIN, hb),
        "sec_b": make_user("sec-b", Role.SECURITY_ADMIN, hb),
    }


@pytest.fixture
def clerk(orgs):
    _, _, ha_b1, _ = orgs
    return make_user("clerk-a", Role.SECRETARY, ha_b1)


def as_user(client, user):
    client.force_login(user)
    return client


# ---- 三权分立 -----------------------------------------------------------------------------
@pytest.mark.parametrize("second", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_account_holds_two_administrator_roles(orgs, admins, second):
    _, ha, _, _ = orgs
    with pytest.raises(administration.AccountRefusal, match="三权分立"):
        administration.grant(admins["sec"] if second == Role.AUDIT_ADMIN else None,
                             admins["sys"], second, ha)  # fmt: skip
    with pytest.raises(ValueError, match="三权分立"):  # the operator's command too
        grant_role("sys-a", second, ha)
    assert not RoleGrant.objects.filter(user=admins["sys"], role=second).exists()


def test_each_administrator_does_only_their_own_work(client, admins, clerk):
    target = clerk.pk
    # The system administrator cannot grant roles nor read the audit log.
    as_user(client, admins["sys"])
    grant = client.post(
        reverse("account_grant", args=[target]), {"role": "office", "organization": "HA"}
    )
    assert grant.status_code == 403
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("security_policy")).status_code == 403
    # The security administrator cannot deactivate, unlock or reset a password.
    as_user(client, admins["sec"])
    for name in ("account_active", "account_unlock", "account_password"):
        assert client.post(reverse(name, args=[target]), {"active": "0"}).status_code == 403
    assert client.get(reverse("account_new")).status_code == 403
    assert client.get(reverse("audit_log")).status_code == 403
    # The audit administrator reads the log and administers nothing.
    as_user(client, admins["aud"])
    assert client.get(reverse("audit_log")).status_code == 200
    assert client.get(reverse("account_list")).status_code == 403
    assert client.post(reverse("account_active", args=[target]), {"active": "0"}).status_code == 403
    clerk.refresh_from_db()
    assert clerk.is_active and list(clerk.grants.values_list("role", flat=True)) == ["secretary"]


def test_administrators_do_not_read_the_people(client, admins, orgs):
    member = make_member(orgs[2], name="名册中人")
    for role in ("sys", "sec", "aud"):
        as_user(client, admins[role])
        assert "名册中人" not in client.get(reverse("people:list")).content.decode()
        assert client.get(reverse("people:detail", args=[member.pk])).status_code == 404


def test_nobody_administers_their_own_account(client, admins):
    as_user(client, admins["sys"])
    client.post(reverse("account_active", args=[admins["sys"].pk]), {"active": "0"})
    admins["sys"].refresh_from_db()
    assert admins["sys"].is_active
    with pytest.raises(administration.AccountRefusal, match="自己"):
        administration.grant(
            admins["sec"], admins["sec"], Role.OFFICE, admins["sec"].grants.get().organization
        )


# ---- the pages ---------------------------------------------------------------------------
def test_another_hospitals_accounts_answer_404(client, admins, clerk):
    as_user(client, admins["sys_b"])
    assert client.get(reverse("account_detail", args=[clerk.pk])).status_code == 404
    for name in ("account_active", "account_unlock", "account_password"):
        assert client.post(reverse(name, args=[clerk.pk]), {"active": "0"}).status_code == 404
    as_user(client, admins["sec_b"])
    grant_pk = clerk.grants.get().pk
    assert client.post(reverse("account_revoke", args=[clerk.pk, grant_pk])).status_code == 404
    assert client.post(reverse("account_reset_otp", args=[clerk.pk])).status_code == 404
    assert client.post(reverse("account_revoke_tokens", args=[clerk.pk])).status_code == 404
    listing = client.get(reverse("account_list")).content.decode()
    assert "clerk-a" not in listing and "sec-b" in listing
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.grants.count() == 1


def test_the_system_administrator_creates_an_account_of_their_hospital(client, admins):
    as_user(client, admins["sys"])
    form = {"username": "newbie", "full_name": "新同志", "organization": "HA-B2",
            "password": NEW_PASSWORD}  # fmt: skip
    response = client.post(reverse("account_new"), form)
    user = User.objects.get(username="newbie")
    assert response.status_code == 302 and user.organization.code == "HA-B2"
    assert user.must_change_password and not user.grants.exists()
    # Another hospital's organisation reads like a code that does not exist.
    refused = client.post(reverse("account_new"), {**form, "username": "spy", "organization": "HB"})
    assert "组织编码不存在：HB" in refused.content.decode()
    assert not User.objects.filter(username="spy").exists()
    # A weak initial password is refused with the rules' message, nothing created.
    weak = client.post(reverse("account_new"), {**form, "username": "weak", "password": "123"})
    assert weak.status_code == 200 and not User.objects.filter(username="weak").exists()


def test_the_security_administrator_grants_and_revokes_roles(client, admins, clerk):
    as_user(client, admins["sec"])
    url = reverse("account_grant", args=[clerk.pk])
    client.post(url, {"role": "office", "organization": "HA"})
    assert clerk.grants.filter(role="office", organization__code="HA").exists()
    client.post(url, {"role": "office", "organization": "HB"})  # outside the subtree
    assert not clerk.grants.filter(organization__code="HB").exists()
    grant = clerk.grants.get(role="office")
    client.post(reverse("account_revoke", args=[clerk.pk, grant.pk]))
    assert not clerk.grants.filter(role="office").exists()
    actions = list(AuditEntry.objects.filter(actor=admins["sec"]).values_list("action", flat=True))
    assert "role.grant" in actions and "role.revoke" in actions


def test_deactivating_ends_the_session_and_the_tokens(client, admins, clerk):
    key = issue_token(clerk)
    clerk_client = as_user(Client(), clerk)
    assert clerk_client.get(reverse("dashboard:home")).status_code == 200
    as_user(client, admins["sys"])
    client.post(reverse("account_active", args=[clerk.pk]), {"active": "0"})
    assert clerk_client.get(reverse("dashboard:home")).status_code == 302  # to the login
    assert Client().get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    client.post(reverse("account_active", args=[clerk.pk]), {"active": "1"})
    clerk.refresh_from_db()
    assert clerk.is_active


def test_the_office_unlocks_a_locked_account_on_the_page(client, admins, clerk):
    login = {"username": "clerk-a", "password": "wrong-Pass-1"}
    for _ in range(5):
        client.post(reverse("login"), login)
    assert client.post(reverse("login"), {**login, "password": TEST_PASSWORD}).status_code == 429
    as_user(client, admins["sys"])
    page = client.get(reverse("account_detail", args=[clerk.pk])).content.decode()
    assert "因登录失败过多已锁定" in page
    client.post(reverse("account_unlock", args=[clerk.pk]))
    client.logout()
    ok = client.post(reverse("login"), {**login, "password": TEST_PASSWORD})
    assert ok.status_code == 302


def test_a_reset_password_must_be_changed_and_revokes_tokens(client, admins, clerk):
    key = issue_token(clerk)
    as_user(client, admins["sys"])
    client.post(reverse("account_password", args=[clerk.pk]), {"password": NEW_PASSWORD})
    clerk.refresh_from_db()
    assert clerk.must_change_password and clerk.check_password(NEW_PASSWORD)
    assert Client().get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_account_list_costs_the_same_queries_for_more_accounts(client, admins, orgs):
    _, ha, ha_b1, _ = orgs
    as_user(client, admins["sys"])
    client.get(reverse("account_list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("account_list"))
    for i in range(12):
        make_user(f"extra{i}", Role.SECRETARY if i % 2 else Role.MEMBER, ha_b1 if i % 2 else ha)
    with CaptureQueriesContext(connection) as many:
        assert "extra11" in client.get(reverse("account_list")).content.decode()
    assert len(many) == len(few)


# ---- security events ----------------------------------------------------------------------
def test_security_events_belong_to_the_accounts_organisation(client, admins, clerk, orgs):
    guidance, ha, _, _ = orgs
    client.post(reverse("login"), {"username": "clerk-a", "password": "wrong-Pass-1"})
    client.post("/api/v1/auth/token", {"username": "clerk-a", "password": TEST_PASSWORD},
                content_type="application/json")  # fmt: skip
    client.post(reverse("login"), {"username": "nobody", "password": "wrong-Pass-1"})
    events = AuditEntry.objects.filter(action__in=["login.failed", "api.token"])
    placed = events.filter(summary__username="clerk-a")
    assert placed.count() == 2 and all(e.org_path.startswith(ha.path) for e in placed)
    # The hospital's audit administrator sees them; another hospital's does not.
    as_user(client, admins["aud"])
    page = client.get(reverse("audit_log") + "?security=1").content.decode()
    assert "login.failed" in page and "api.token" in page and "nobody" not in page
    make_user("aud-b", Role.AUDIT_ADMIN, orgs[3])
    as_user(client, User.objects.get(username="aud-b"))
    assert "clerk-a" not in client.get(reverse("audit_log")).content.decode()
    # Failures under unknown names belong to no organisation: the root's auditor sees them.
    make_user("aud-city", Role.AUDIT_ADMIN, guidance)
    as_user(client, User.objects.get(username="aud-city"))
    assert "nobody" in client.get(reverse("audit_log") + "?security=1").content.decode()


# ---- the operator's commands ---------------------------------------------------------------
def test_commands_revoke_a_role_deactivate_and_activate(admins, clerk):
    out = io.StringIO()
    call_command("revoke", "clerk-a", role="secretary", org="HA-B1", stdout=out)
    assert not clerk.grants.exists()
    call_command("account", "deactivate", "clerk-a", stdout=out)
    clerk.refresh_from_db()
    assert not clerk.is_active
    call_command("account", "activate", "clerk-a", stdout=out)
    clerk.refresh_from_db()
    assert clerk.is_active and "clerk-a" in out.getvalue()
    with pytest.raises(CommandError, match="没有"):
        call_command("revoke", "clerk-a", role="secretary", org="HA-B1")
    assert AuditEntry.objects.filter(action="account.deactivate", object_id=str(clerk.pk)).exists()
