"""API tokens and calendar feed links the user can see and revoke (page, command, API); a
password change revokes the tokens; a lifetime and a cap per user (issue 14)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import ApiToken, Role
from dangjian.accounts.services import change_password, issue_token
from dangjian.meetings.views_calendar import feed_token
from tests.factories import api_auth, make_user

pytestmark = pytest.mark.django_db
MEMBERS = "/api/v1/members"


@pytest.fixture
def office(two_hospitals):
    _, (ha, *_), _ = two_hospitals
    return make_user("office-a", Role.OFFICE, ha)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_password_change_revokes_every_token(client, office):
    keys = [issue_token(office) for _ in range(2)]
    assert all(client.get(MEMBERS, **bearer(k)).status_code == 200 for k in keys)
    change_password(office, "Another-Pass-2025")
    assert all(client.get(MEMBERS, **bearer(k)).status_code == 401 for k in keys)


def test_the_lifetime_and_the_cap_are_settings(client, office, settings):
    settings.DANGJIAN_TOKEN_LIFETIME_DAYS = 7
    settings.DANGJIAN_TOKENS_PER_USER = 2
    first, second, third = (issue_token(office) for _ in range(3))
    assert client.get(MEMBERS, **bearer(first)).status_code == 401  # the oldest went
    assert client.get(MEMBERS, **bearer(third)).status_code == 200
    newest = ApiToken.objects.filter(user=office).order_by("-pk").first()
    assert abs(newest.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(
        minutes=1
    )
    assert second


def test_list_and_revoke_through_the_api_and_never_anothers(client, office, two_hospitals):
    _, (ha, *_), _ = two_hospitals
    headers = api_auth(client, office)
    other = make_user("office-a2", Role.OFFICE, ha)
    other_key = issue_token(other)
    listed = client.get("/api/v1/auth/tokens", **headers).json()
    assert len(listed) == 1 and set(listed[0]) == {"id", "created_at", "expires_at"}
    theirs = ApiToken.objects.get(user=other).pk
    assert client.delete(f"/api/v1/auth/tokens/{theirs}", **headers).status_code == 404
    assert client.get(MEMBERS, **bearer(other_key)).status_code == 200
    mine = listed[0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{mine}", **headers).status_code == 204
    assert client.get(MEMBERS, **headers).status_code == 401


def test_the_page_lists_and_revokes_ones_own_tokens(client, office):
    key = issue_token(office)
    client.force_login(office)
    page = client.get(reverse("tokens")).content.decode()
    token = ApiToken.objects.get(user=office)
    assert f'id="token-{token.pk}"' in page
    client.post(reverse("tokens_revoke"), {"token": str(token.pk)})
    assert "没有有效的接口令牌" in client.get(reverse("tokens")).content.decode()
    assert reverse("tokens") in client.get(reverse("core:inbox")).content.decode()  # the menu
    client.logout()  # the session would answer for the revoked token
    assert client.get(MEMBERS, **bearer(key)).status_code == 401


def test_the_command_lists_and_revokes(client, office):
    key = issue_token(office)
    out = io.StringIO()
    call_command("tokens", "office-a", stdout=out)
    assert "有效的接口令牌 1 个" in out.getvalue()
    call_command("tokens", "office-a", "--revoke-all", stdout=out)
    assert "已撤销 office-a 的接口令牌 1 个" in out.getvalue()
    assert client.get(MEMBERS, **bearer(key)).status_code == 401


def test_calendar_feed_links_can_be_revoked(client, office, two_hospitals):
    _, (ha, *_), _ = two_hospitals
    url = f"/meetings/calendar/{ha.code}.ics?token={feed_token(office, ha)}"
    assert client.get(url).status_code == 200
    client.force_login(office)
    client.post(reverse("tokens_revoke"), {"feeds": "1"})
    client.logout()
    assert client.get(url).status_code == 404
    office.refresh_from_db()
    fresh = f"/meetings/calendar/{ha.code}.ics?token={feed_token(office, ha)}"
    assert client.get(fresh).status_code == 200
