"""GET /api/v1/members: page numbers as SPEC.md §4 says, and a cursor alongside them
(`next` on every page, `?cursor=` to read the page after by key)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.people.models import Status
from dangjian.people.paging import encode
from tests.factories import api_auth, make_member, make_user


@pytest.fixture
def people(two_hospitals):
    _, (ha, ha_b1, ha_b2), (hb, hb_b1, _) = two_hospitals
    a = [make_member(ha_b1 if i % 2 else ha_b2, name=f"甲{i % 7}") for i in range(23)]
    a.append(make_member(ha_b1, Status.ACTIVIST, name="甲积极分子"))
    b = [make_member(hb_b1, name=f"乙{i}") for i in range(4)]
    return {"ha": ha, "hb": hb, "a": a, "b": b}


def _get(client, headers, query):
    response = client.get(f"/api/v1/members{query}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_following_next_reads_what_the_page_numbers_read(client, people):
    headers = api_auth(client, make_user("office-a", Role.OFFICE, people["ha"]))
    by_number, page = [], 1
    while True:
        body = _get(client, headers, f"?page={page}&page_size=5")
        if not body["items"]:
            break
        by_number += [item["id"] for item in body["items"]]
        page += 1
    assert len(by_number) == 24 == len(set(by_number))

    body = _get(client, headers, "?page_size=5")
    by_cursor = [item["id"] for item in body["items"]]
    while body["next"]:
        body = _get(client, headers, f"?page_size=5&cursor={body['next']}")
        assert body["count"] == 24
        by_cursor += [item["id"] for item in body["items"]]
    assert by_cursor == by_number


@pytest.mark.django_db
def test_next_from_a_numbered_page_and_none_on_the_last(client, people):
    headers = api_auth(client, make_user("office-a", Role.OFFICE, people["ha"]))
    third = _get(client, headers, "?page=3&page_size=5")
    after = _get(client, headers, f"?page_size=5&cursor={third['next']}")
    assert after["items"] == _get(client, headers, "?page=4&page_size=5")["items"]
    last = _get(client, headers, "?page=5&page_size=5")
    assert len(last["items"]) == 4 and last["next"] is None


@pytest.mark.django_db
def test_filters_and_scope_hold_on_cursor_pages(client, people):
    office_a = api_auth(client, make_user("office-a", Role.OFFICE, people["ha"]))
    body = _get(client, office_a, "?status=full&page_size=20")
    assert body["count"] == 23
    rest = _get(client, office_a, f"?status=full&page_size=20&cursor={body['next']}")
    assert len(rest["items"]) == 3 and rest["next"] is None
    assert all(item["name"] != "甲积极分子" for item in body["items"] + rest["items"])

    # Hospital B's office with hospital A's cursor: a row it cannot see, refused.
    office_b = api_auth(client, make_user("office-b", Role.OFFICE, people["hb"]))
    refused = client.get(f"/api/v1/members?cursor={body['next']}", **office_b)
    assert refused.status_code == 422
    assert _get(client, office_b, "")["count"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor", ["garbage", encode("n", "", "1"), encode("n", "", 10**9), "x" * 2001]
)
def test_a_bad_cursor_answers_422_in_chinese(client, people, cursor):
    headers = api_auth(client, make_user("office-a", Role.OFFICE, people["ha"]))
    response = client.get(f"/api/v1/members?cursor={cursor}", **headers)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["loc"] == ["query", "cursor"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


@pytest.mark.django_db(transaction=True)
def test_the_count_is_counted_once_per_data_version(client, people):
    """Outside a transaction, turning pages reuses the count until the data changes."""
    cache.clear()
    headers = api_auth(client, make_user("office-a", Role.OFFICE, people["ha"]))
    first = _get(client, headers, "?page_size=5")
    assert first["count"] == 24
    with CaptureQueriesContext(connection) as ctx:
        second = _get(client, headers, f"?page_size=5&cursor={first['next']}")
    assert second["count"] == 24
    people_counted = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and "dangjian_unit_version" not in q["sql"]
    ]
    assert not people_counted  # only the data versions are read

    make_member(people["a"][0].organization, name="新成员")
    assert _get(client, headers, f"?page_size=5&cursor={first['next']}")["count"] == 25
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_write_in_one_hospital_recounts_only_its_people(client, people, two_hospitals):
    """The count is the sum of per-hospital counts, each cached under its hospital's data
    version (issue 15): a new member in hospital B recounts B's people, not A's."""
    guidance = two_hospitals[0]
    cache.clear()
    headers = api_auth(client, make_user("city", Role.GUIDANCE, guidance))
    assert _get(client, headers, "?page_size=5")["count"] == 28
    make_member(people["b"][0].organization, name="乙新成员")
    with CaptureQueriesContext(connection) as ctx:
        assert _get(client, headers, "?page_size=5")["count"] == 29
    counted = " ".join(
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and "dangjian_unit_version" not in q["sql"]
    )
    assert people["hb"].path in counted
    assert people["ha"].path not in counted
    cache.clear()
