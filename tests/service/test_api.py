"""The service endpoints of SPEC.md §4b: record an activity and a problem, resolve it;
they feed `GET /stats`; another hospital's user gets 404; refusals are 400 in Chinese."""

import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.service.models import Problem, ServiceActivity
from tests.factories import api_auth, make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def office_a(client, two_hospitals):
    _g, (ha, b1, _b2), (hb, _hb1, _hb2) = two_hospitals
    auth = api_auth(client, make_user("office-a", Role.OFFICE, ha))
    auth_b = api_auth(client, make_user("office-b", Role.OFFICE, hb))
    return ha, b1, auth, auth_b


def post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def test_an_activity_and_a_problem_feed_the_stats(client, office_a):
    ha, b1, auth, _b = office_a
    people = [make_member(b1), make_member(b1)]
    held = (TODAY - dt.timedelta(days=2)).isoformat()
    response = post(
        client, "/api/v1/service/activities",
        {"org": b1.code, "kind": "clinic", "title": "社区义诊", "held_on": held,
         "volunteers": [p.pk for p in people], "hours": 3, "people_served": 150},
        auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["volunteers"] == sorted(p.pk for p in people)
    assert body["organization"] == b1.code
    found = (TODAY - dt.timedelta(days=5)).isoformat()
    response = post(
        client, "/api/v1/service/problems",
        {"org": b1.code, "title": "门诊候诊时间长", "found_on": found, "deadline": TODAY.isoformat()},
        auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    problem_id = response.json()["id"]
    response = post(
        client,
        f"/api/v1/service/problems/{problem_id}/resolve",
        {"resolved_on": TODAY.isoformat()},
        auth,
    )
    assert response.status_code == 200
    assert response.json()["resolved_on_time"] is True
    stats = client.get(f"/api/v1/stats?org={ha.code}", **auth).json()["service"]
    assert stats["activities"] == 1
    assert stats["people_served"] == 150
    assert stats["problems_found"] == 1
    assert stats["problems_resolved_on_time"] == 1


def test_another_hospital_gets_404_and_nothing_is_written(client, office_a):
    _ha, b1, auth, auth_b = office_a
    member = make_member(b1)
    body = {"org": b1.code, "kind": "clinic", "title": "x", "held_on": TODAY.isoformat(),
            "volunteers": [member.pk], "hours": 1}  # fmt: skip
    assert post(client, "/api/v1/service/activities", body, auth_b).status_code == 404
    problem = post(
        client, "/api/v1/service/problems",
        {"org": b1.code, "title": "p", "found_on": TODAY.isoformat()}, auth,
    ).json()  # fmt: skip
    url = f"/api/v1/service/problems/{problem['id']}/resolve"
    assert post(client, url, {"resolved_on": TODAY.isoformat()}, auth_b).status_code == 404
    assert client.get(f"/api/v1/service/problems?org={b1.code}", **auth_b).status_code == 404
    assert client.get("/api/v1/service/problems", **auth_b).json()["count"] == 0
    assert not ServiceActivity.objects.exists()
    assert Problem.objects.get().resolved_on is None


def test_a_volunteer_from_another_hospital_is_refused_as_unknown(client, office_a, two_hospitals):
    _ha, b1, auth, _b = office_a
    stranger = make_member(two_hospitals[2][1])
    response = post(
        client, "/api/v1/service/activities",
        {"org": b1.code, "kind": "clinic", "title": "x", "held_on": TODAY.isoformat(),
         "volunteers": [stranger.pk], "hours": 1},
        auth,
    )  # fmt: skip
    assert response.status_code == 400
    assert "人员不存在" in response.json()["detail"]
    assert not ServiceActivity.objects.exists()


def test_a_future_activity_is_refused_in_chinese(client, office_a):
    _ha, b1, auth, _b = office_a
    response = post(
        client, "/api/v1/service/activities",
        {"org": b1.code, "kind": "clinic", "title": "x",
         "held_on": (TODAY + dt.timedelta(days=1)).isoformat(),
         "volunteers": [make_member(b1).pk], "hours": 1},
        auth,
    )  # fmt: skip
    assert response.status_code == 400
    assert "晚于今天" in response.json()["detail"]
