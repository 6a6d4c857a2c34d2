import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.dashboard.stats import compute_stats
from dangjian.people.models import Status
from tests.factories import TEST_PASSWORD, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_hospitals):
    guidance, (ha, ha_b1, ha_b2), (hb, hb_b1, _) = two_hospitals
    a_people = [make_member(ha_b1, name=f"甲{i}") for i in range(3)]
    a_people.append(make_member(ha_b2, name="甲积极分子", status=Status.ACTIVIST))
    b_person = make_member(hb_b1, name="乙")
    return {"guidance": guidance, "ha": ha, "hb": hb, "a_people": a_people, "b_person": b_person}


def _token(client, username, password=TEST_PASSWORD):
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    return response


def _auth(client, user):
    token = _token(client, user.username).json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_exchange_and_bad_password(client, world):
    make_user("api_office", Role.OFFICE, world["ha"])
    assert _token(client, "api_office").status_code == 200
    bad = _token(client, "api_office", "Wrong-Pass-1")
    assert bad.status_code == 401 and "不正确" in bad.json()["detail"]


def test_no_token_or_a_bad_token_answers_401(client, world):
    assert client.get("/api/v1/members").status_code == 401
    assert client.get("/api/v1/members", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


def test_members_list_is_paginated_and_scoped(client, world):
    user = make_user("api_office", Role.OFFICE, world["ha"])
    body = client.get("/api/v1/members", **_auth(client, user)).json()
    assert body["count"] == 4 and {"items", "count"} <= body.keys()
    assert {item["organization"] for item in body["items"]} == {"HA-B1", "HA-B2"}
    first = body["items"][0]
    assert first["id"] and "*" in first["id_number"]  # numbers are always masked in the API


def test_members_filters(client, world):
    user = make_user("api_office", Role.OFFICE, world["ha"])
    headers = _auth(client, user)
    assert client.get("/api/v1/members?org=HA-B2", **headers).json()["count"] == 1
    assert client.get("/api/v1/members?status=full", **headers).json()["count"] == 3
    assert client.get("/api/v1/members?status=activist", **headers).json()["count"] == 1
    assert client.get("/api/v1/members?q=积极", **headers).json()["count"] == 1


def test_another_hospitals_records_answer_404(client, world):
    user = make_user("api_office", Role.OFFICE, world["ha"])
    headers = _auth(client, user)
    b_id = world["b_person"].pk
    assert client.get(f"/api/v1/members/{b_id}", **headers).status_code == 404
    assert client.get("/api/v1/members?org=HB", **headers).status_code == 404
    assert client.get("/api/v1/organizations/HB", **headers).status_code == 404
    assert client.get("/api/v1/organizations/HB-B1", **headers).status_code == 404
    assert client.get("/api/v1/organizations?org=HB", **headers).status_code == 404
    assert client.get("/api/v1/stats?org=HB", **headers).status_code == 404
    assert client.get("/api/v1/stats?org=CITY", **headers).status_code == 404


def test_member_detail_has_history(client, world):
    user = make_user("api_office", Role.OFFICE, world["ha"])
    person = world["a_people"][0]
    body = client.get(f"/api/v1/members/{person.pk}", **_auth(client, user)).json()
    assert body["status"] == "full" and body["statuses"][0]["status"] == "full"
    assert body["memberships"][0]["organization"] == "HA-B1"


def test_organizations_list_and_detail(client, world):
    user = make_user("api_city", Role.GUIDANCE, world["guidance"])
    headers = _auth(client, user)
    body = client.get("/api/v1/organizations", **headers).json()
    assert body["count"] == 7
    detail = client.get("/api/v1/organizations/HA-B1", **headers).json()
    assert detail["parent_code"] == "HA" and detail["department_category"] == "clinical"
    assert client.get("/api/v1/organizations?kind=branch&org=HA", **headers).json()["count"] == 2


def test_member_role_sees_only_self(client, world):
    person = world["a_people"][0]
    user = make_user("api_member", Role.MEMBER, person.organization)
    person.user = user
    person.save()
    headers = _auth(client, user)
    body = client.get("/api/v1/members", **headers).json()
    assert [item["id"] for item in body["items"]] == [person.pk]
    assert client.get(f"/api/v1/members/{world['a_people'][1].pk}", **headers).status_code == 404


def test_stats_endpoint_equals_compute_stats(client, world):
    user = make_user("api_city", Role.GUIDANCE, world["guidance"])
    headers = _auth(client, user)
    body = client.get("/api/v1/stats?org=CITY&to=2030-01-01", **headers).json()
    expected = compute_stats(world["guidance"], date_to=dt.date(2030, 1, 1))
    assert body == expected and body["members"]["total"] == 4
    assert (
        client.get("/api/v1/stats?org=CITY&from=2030-01-02&to=2030-01-01", **headers).status_code
        == 400
    )


def test_openapi_document_is_served(client, db, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False  # the document is public here
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/members" in schema["paths"] and "/api/v1/stats" in schema["paths"]


def test_member_list_query_count_does_not_grow(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user("api_office", Role.OFFICE, world["ha"])
    headers = _auth(client, user)
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/members", **headers)
    for i in range(20):
        make_member(world["ha"], name=f"新{i}")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/members", **headers).json()["count"] == 24
    assert len(large) == len(small)
