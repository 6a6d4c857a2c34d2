"""An initial or expired password must be changed before anything else, on every path:
the API with a session or a token, token issue and the calendar feed, as on the pages
(issue 14: the forced change and the expiry were bypassed through the API)."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.meetings.views_calendar import feed_token
from tests.factories import TEST_PASSWORD, api_auth, make_user

pytestmark = pytest.mark.django_db
MEMBERS = "/api/v1/members"


def _expire(user, days=91):
    user.password_changed_at = timezone.now() - dt.timedelta(days=days)
    user.save(update_fields=["password_changed_at"])


def _token(client, user):
    return client.post(
        "/api/v1/auth/token", {"username": user.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )  # fmt: skip


@pytest.fixture
def office(two_hospitals):
    _, (ha, *_), _ = two_hospitals
    return make_user("office-a", Role.OFFICE, ha)


def test_a_session_with_an_initial_password_gets_nothing_from_the_api(client, office):
    office.must_change_password = True
    office.save(update_fields=["must_change_password"])
    client.force_login(office)
    response = client.get(MEMBERS)
    assert response.status_code == 403 and "请先登录网页修改密码" in response.json()["detail"]
    assert (
        client.post("/api/v1/dues/payments", {}, content_type="application/json").status_code == 403
    )
    office.must_change_password = False
    office.save(update_fields=["must_change_password"])
    assert client.get(MEMBERS).status_code == 200


def test_an_expired_password_gets_no_token_and_old_tokens_stop(client, office):
    headers = api_auth(client, office)
    assert client.get(MEMBERS, **headers).status_code == 200
    _expire(office)
    stale = client.get(MEMBERS, **headers)
    assert stale.status_code == 403 and "已过期" in stale.json()["detail"]
    refused = _token(client, office)
    assert refused.status_code == 401 and "已过期" in refused.json()["detail"]
    client.force_login(office)
    assert client.get(MEMBERS).status_code == 403  # the session too


@pytest.mark.parametrize(("days", "allowed"), [(89, True), (91, False)])
def test_the_expiry_boundary_holds_on_the_api(client, office, days, allowed):
    headers = api_auth(client, office)
    _expire(office, days)
    assert (client.get(MEMBERS, **headers).status_code == 200) is allowed


def test_the_calendar_feed_stops_until_the_password_is_changed(client, two_hospitals, office):
    _, (ha, *_), _ = two_hospitals
    url = f"/meetings/calendar/{ha.code}.ics?token={feed_token(office, ha)}"
    assert client.get(url).status_code == 200
    _expire(office)
    assert client.get(url).status_code == 404
