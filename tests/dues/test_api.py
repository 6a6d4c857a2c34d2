import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.dues import services
from dangjian.dues.models import DuesBill, DuesPayment
from dangjian.people.models import Person
from tests.factories import api_auth, make_member

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)
MONTHS = [dt.date(2024, m, 1) for m in range(1, 9)]


@pytest.fixture
def dues(world):
    a1 = make_member(world.ha_b1, name="甲一")
    a2 = make_member(world.ha_b2, name="甲二")
    b1 = make_member(world.hb_b1, name="乙一")
    for person in (a1, a2, b1):
        services.fix_base(person, category="in_service", base="4500", effective_from=JAN)
    for month in MONTHS:
        services.generate_bills(month)
    return world, a1, a2, b1


def _pay(client, headers, person, months, paid_on="2024-08-10", **extra):
    return client.post(
        "/api/v1/dues/payments",
        {"person_id": person.pk, "months": months, "paid_on": paid_on, "method": "cash", **extra},
        content_type="application/json",
        **headers,
    )


def test_calc_answers_the_amount_and_refuses_bad_input_in_chinese(client, world):
    headers = api_auth(client, world.user(Role.MEMBER, "A"))
    body = client.get("/api/v1/dues/calc?base=4500&category=in_service", **headers).json()
    assert body == {"base": "4500", "category": "in_service", "amount": "45.00"}
    student = client.get("/api/v1/dues/calc?category=student", **headers).json()
    assert student["amount"] == "0.20"
    bad = client.get("/api/v1/dues/calc?base=-1&category=in_service", **headers)
    assert bad.status_code == 400 and bad.json()["detail"] == "基数不能为负数"
    unknown = client.get("/api/v1/dues/calc?base=100&category=nobody", **headers)
    assert unknown.status_code == 400 and "未知的党费类别" in unknown.json()["detail"]
    assert client.get("/api/v1/dues/calc?base=100&category=in_service").status_code == 401


def test_calc_rounds_as_the_hospital_rounds(client, world):
    from dangjian.dues.models import DuesSettings

    DuesSettings.objects.create(organization=world.ha, rounding="up_yuan")
    url = "/api/v1/dues/calc?base=4550&category=in_service"
    office_a = api_auth(client, world.user(Role.OFFICE, "A"))
    assert client.get(url, **office_a).json()["amount"] == "46.00"  # 45.50 up to the yuan
    office_b = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(url, **office_b).json()["amount"] == "45.50"  # B rounds to the fen
    # A guidance user names the hospital; another hospital's code is 404 for B.
    guidance = api_auth(client, world.user(Role.GUIDANCE))
    assert client.get(url + "&org=HA", **guidance).json()["amount"] == "46.00"
    assert client.get(url + "&org=HA", **office_b).status_code == 404


def test_bills_are_paginated_scoped_and_filtered_by_month(client, dues):
    world, a1, a2, _b1 = dues
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    body = client.get("/api/v1/dues/bills", **headers).json()
    assert body["count"] == 16  # two members of A, eight months; none of B
    assert {item["organization"] for item in body["items"]} == {"HA-B1", "HA-B2"}
    march = client.get("/api/v1/dues/bills?org=HA-B1&month=2024-03", **headers).json()
    assert march["count"] == 1
    item = march["items"][0]
    assert (item["name"], item["amount"], item["paid"]) == ("甲一", "45.00", False)
    bad = client.get("/api/v1/dues/bills?month=2024-13", **headers)
    assert bad.status_code == 400 and "格式不正确" in bad.json()["detail"]


def test_a_member_sees_only_their_own_bills(client, dues):
    world, a1, _a2, _b1 = dues
    user = world.user(Role.MEMBER, "A")
    Person.objects.filter(pk=a1.pk).update(user=user)
    body = client.get("/api/v1/dues/bills", **api_auth(client, user)).json()
    assert body["count"] == 8 and {i["person_id"] for i in body["items"]} == {a1.pk}


def test_another_hospital_answers_404_on_every_endpoint(client, dues):
    world, _a1, _a2, b1 = dues
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    assert client.get("/api/v1/dues/bills?org=HB", **headers).status_code == 404
    assert client.get("/api/v1/dues/bills?org=HB-B1", **headers).status_code == 404
    assert client.get("/api/v1/dues/arrears?org=HB", **headers).status_code == 404
    assert _pay(client, headers, b1, ["2024-08-01"]).status_code == 404
    assert not DuesPayment.objects.exists()


def test_recording_a_payment_settles_the_months(client, dues):
    world, a1, _a2, _b1 = dues
    headers = api_auth(client, world.user(Role.SECRETARY, "A"))
    response = _pay(client, headers, a1, ["2024-07-01", "2024-08-01"], reference="NO.1")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == "90.00" and body["months"] == ["2024-07-01", "2024-08-01"]
    assert DuesBill.objects.filter(person=a1, paid_by__isnull=False).count() == 2
    listed = client.get("/api/v1/dues/bills?org=HA-B1&month=2024-07", **headers).json()
    assert listed["items"][0]["paid"] is True
    assert listed["items"][0]["paid_on"] == "2024-08-10"


def test_read_only_roles_get_403_and_nothing_is_written(client, dues):
    world, a1, _a2, _b1 = dues
    for role in (Role.AUDITOR, Role.MEMBER):
        response = _pay(client, api_auth(client, world.user(role, "A")), a1, ["2024-08-01"])
        assert response.status_code in (403, 404)
    auditor = api_auth(client, world.user(Role.AUDITOR, "A"))
    response = _pay(client, auditor, a1, ["2024-08-01"])
    assert response.status_code == 403 and response.json()["detail"] == "没有登记党费交纳的权限"
    assert not DuesPayment.objects.exists()


def test_refused_payments_answer_400_in_chinese_and_write_nothing(client, dues):
    world, a1, _a2, _b1 = dues
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    assert _pay(client, headers, a1, ["2024-08-01"]).status_code == 201
    again = _pay(client, headers, a1, ["2024-07-01", "2024-08-01"])
    assert again.status_code == 400 and again.json()["detail"] == "以下月份已交纳：2024年08月"
    old = _pay(client, headers, a1, ["2024-01-01"], paid_on="2024-08-10")
    assert old.status_code == 400 and "补交党费一般不超过 6 个月" in old.json()["detail"]
    nobill = _pay(client, headers, a1, ["2023-12-01"], make_up_approval="批准")
    assert nobill.status_code == 400 and "尚无党费账单" in nobill.json()["detail"]
    method = _pay(client, headers, a1, ["2024-07-01"], method="cheque")
    assert method.status_code == 400 and "未知的交纳方式" in method.json()["detail"]
    handed = _pay(client, headers, a1, ["2024-07-01"], handed_in_by="配偶")
    assert handed.status_code == 400 and "须经支部同意" in handed.json()["detail"]
    assert DuesPayment.objects.count() == 1
    assert DuesBill.objects.filter(paid_by__isnull=False).count() == 1


def test_arrears_lists_the_runs_with_their_level(client, dues):
    world, a1, a2, _b1 = dues
    services.record_payment(
        a1, MONTHS[:7], paid_on=dt.date(2024, 8, 5), method="cash", make_up_approval="已批准"
    )
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    body = client.get("/api/v1/dues/arrears?day=2024-09-15", **headers).json()
    rows = [(i["name"], i["arrears_months"], i["level"]) for i in body["items"]]
    assert rows == [("甲二", 8, "handle"), ("甲一", 1, None)]
    only_b1 = client.get("/api/v1/dues/arrears?org=HA-B1&day=2024-09-15", **headers).json()
    assert [i["person_id"] for i in only_b1["items"]] == [a1.pk]


def test_arrears_months_count_every_unpaid_month_whatever_was_paid_after(client, dues):
    world, a1, _a2, _b1 = dues
    services.record_payment(a1, MONTHS[6:8], paid_on=dt.date(2024, 9, 2), method="cash")
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    body = client.get("/api/v1/dues/arrears?org=HA-B1&day=2024-09-15", **headers).json()
    # January–June unpaid, July and August paid: six months, the handle level.
    assert [(i["name"], i["arrears_months"], i["level"]) for i in body["items"]] == [
        ("甲一", 6, "handle")
    ]


def test_lists_take_a_fixed_number_of_queries(client, dues):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, a1, _a2, _b1 = dues
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    services.record_payment(a1, MONTHS[2:8], paid_on=dt.date(2024, 8, 10), method="cash")

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx.captured_queries)

    before = {url: queries(url) for url in ("/api/v1/dues/bills", "/api/v1/dues/arrears")}
    for i in range(5):
        person = make_member(world.ha_b1, name=f"新{i}")
        services.fix_base(person, category="retired", base="3000", effective_from=JAN)
    for month in MONTHS:
        services.generate_bills(month)
    after = {url: queries(url) for url in before}
    assert after == before
