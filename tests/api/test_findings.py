"""What schemathesis found (tests/api/test_schemathesis.py), each pinned by the request
that showed it: server errors on numbers the database cannot hold, and answers the
document did not declare."""

import pytest

from dangjian.accounts.models import Role
from dangjian.api.paging import MAX_PAGE
from dangjian.api.schemas import MAX_ID
from dangjian.decisions.models import MajorMatter
from tests.factories import api_auth

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def office(client, world):
    return api_auth(client, world.user(Role.OFFICE))


@pytest.mark.parametrize("year", [-66, 0, 99999])
def test_a_matter_year_out_of_range_is_refused_in_chinese(client, office, year):
    # year=-66 was a 500 (ValueError: year -66 is out of range)
    response = client.get(f"{API}/decisions/matters?year={year}", **office)
    assert response.status_code == 400
    assert response.json() == {"detail": "年份须在 2000 至 2100 之间"}


@pytest.mark.parametrize(
    "url", ["/members", "/organizations", "/meetings", "/dues/bills", "/tasks", "/study"]
)
def test_a_page_beyond_the_last_one_a_database_reaches_answers_422(client, office, url):
    # page=417632492891802 overflowed SQLite's OFFSET: a 500 ("datatype mismatch")
    response = client.get(f"{API}{url}?page=417632492891802", **office)
    assert response.status_code == 422
    assert response.json()["detail"] == f"page：须不大于 {MAX_PAGE}"
    assert client.get(f"{API}{url}?page={MAX_PAGE}", **office).json()["items"] == []


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/auth/tokens/{id}"),  # was a 500 (OverflowError)
        ("get", "/members/{id}"),
        ("get", "/meetings/{id}"),
        ("get", "/tasks/{id}"),
        ("get", "/decisions/matters/{id}"),
        ("get", "/development/people/{id}/steps"),
    ],
)
def test_an_id_no_database_holds_answers_422(client, office, method, url):
    huge = getattr(client, method)(API + url.format(id=MAX_ID + 1), **office)
    assert huge.status_code == 422 and "须不大于" in huge.json()["detail"]
    assert getattr(client, method)(API + url.format(id=MAX_ID), **office).status_code == 404


@pytest.mark.parametrize("url", ["/study", "/dues/payments"])
def test_a_person_id_no_database_holds_answers_422(client, office, url):
    response = client.post(
        API + url, {"person_id": MAX_ID + 1}, content_type="application/json", **office
    )
    assert response.status_code == 422
    assert "person_id：须不大于" in response.json()["detail"]


def test_a_locked_account_answers_429_in_json_on_the_token_endpoint(client, world):
    # was axes' HTML lock-out page, a status the document did not declare
    user = world.user(Role.OFFICE)
    for _ in range(5):
        client.post(
            f"{API}/auth/token", {"username": user.username, "password": "Wrong-Pass-1"},
            content_type="application/json",
        )  # fmt: skip
    response = client.post(
        f"{API}/auth/token", {"username": user.username, "password": "Test-Pass-2024"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 429 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "登录失败次数过多，账号已被暂时锁定，请稍后再试"}


@pytest.mark.parametrize(
    "url",
    [
        "/stats?org=HA&from=0001-01-01",  # was a 500 (OverflowError: date value out of range)
        "/stats?org=HA&to=9999-12-31",
        "/meetings?from=0001-01-01",
        "/dues/arrears?day=9999-12-31",
    ],
)
def test_query_dates_are_bounded_like_every_date_the_api_takes(client, office, url):
    response = client.get(API + url, **office)
    assert response.status_code == 422
    assert "日期须在 2000-01-01 至 2100-12-31 之间" in response.json()["detail"]


def test_an_amount_too_large_for_cents_is_refused_by_the_calculator(client, office):
    # was a 500 (decimal.InvalidOperation when rounding to cents; dues.rules.to_amount)
    response = client.get(f"{API}/dues/calc?category=in_service&base=1e999999", **office)
    assert response.status_code == 400
    assert response.json() == {"detail": "基数“1e999999”不是有效的金额"}


def test_a_matter_too_long_or_too_large_for_the_register_answers_422(client, world, office):
    # amount 1e99999 was a 500 (decimal.InvalidOperation on save); texts longer than the
    # register's columns would be one on PostgreSQL
    response = client.post(
        f"{API}/decisions/matters",
        {"org": world.ha.code, "category": "major_decision", "title": "事" * 301,
         "proposer": "科" * 101, "proposed_on": "2024-01-01", "amount": "1e99999"},
        content_type="application/json", **office,
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["reasons"] == [
        "title：不能超过 300 个字", "proposer：不能超过 100 个字", "amount：数字不能超过 14 位"
    ]  # fmt: skip


def test_a_nul_character_is_refused_before_it_reaches_the_database(client, world, office):
    # PostgreSQL cannot store one: a 500 there (SQLite, which CI uses, takes it)
    body = client.post(
        f"{API}/decisions/matters",
        {"org": world.ha.code, "category": "major_decision", "title": "预算\x00",
         "proposer": "财务科", "proposed_on": "2024-01-01"},
        content_type="application/json", **office,
    )  # fmt: skip
    assert body.status_code == 422
    assert body.json()["errors"] == [
        {"loc": ["body", "title"], "field": "title", "type": "string_nul",
         "msg": "不能含有空字符（\\u0000）"}
    ]  # fmt: skip
    query = client.get(f"{API}/members?q=%00", **office)
    assert query.status_code == 422 and query.json()["detail"] == "q：不能含有空字符（\\u0000）"
    assert not MajorMatter.objects.exists()


def test_a_nul_character_in_an_organisation_code_path_answers_422(client, world, office):
    refused = client.get(f"{API}/organizations/HA%00", **office)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "code"
    assert client.get(f"{API}/organizations/{'H' * 51}", **office).status_code == 422
    assert client.get(f"{API}/organizations/{world.ha.code}", **office).status_code == 200
