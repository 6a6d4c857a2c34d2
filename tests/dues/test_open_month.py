"""A month that has not ended is open: its unpaid bills are 待交 (not yet due), not
arrears, in the reconciliation, on its page and in its workbook — up to the last day of
the month; from the first day of the next month they are arrears (RULES.md §1,
dues.queries.with_arrears)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.dues import services
from dangjian.dues.export import build_workbook
from dangjian.dues.reconciliation import reconcile
from tests.factories import make_member

pytestmark = pytest.mark.django_db
JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
D = Decimal


@pytest.fixture
def billed(world):
    """HA-B1: 甲 paid January and February (45.00 each); 乙 paid January only (10.00);
    丙 paid nothing (90.00 a month)."""
    jia = make_member(world.ha_b1, name="甲")
    yi = make_member(world.ha_b1, name="乙")
    bing = make_member(world.ha_b1, name="丙")
    for person, base in ((jia, "4500"), (yi, "2000"), (bing, "6000")):
        services.fix_base(person, category="in_service", base=base, effective_from=JAN)
    for month in (JAN, FEB):
        services.generate_bills(month)
    services.record_payment(jia, [JAN, FEB], paid_on=dt.date(2024, 2, 10), method="cash")
    services.record_payment(yi, [JAN], paid_on=dt.date(2024, 1, 20), method="cash")
    world.ha.refresh_from_db()
    return world


def _split(line):
    return (line.paid_members, line.unpaid_members, line.owed, line.open_members,
            line.open_amount)  # fmt: skip


@pytest.mark.parametrize("today", [dt.date(2024, 2, 1), dt.date(2024, 2, 29)])
def test_while_february_runs_its_unpaid_bills_are_open(billed, today):
    result = reconcile(billed.ha, 2024, today=today)
    # 丙 owes January (ended) and is in arrears; 乙 owes only February: open, not arrears.
    assert _split(result.total) == (1, 1, D("90.00"), 1, D("100.00"))
    total = result.total
    assert total.due_members == total.paid_members + total.unpaid_members + total.open_members
    assert total.due_amount == total.collected + total.owed + total.open_amount


def test_from_the_first_of_march_february_is_arrears(billed):
    result = reconcile(billed.ha, 2024, today=dt.date(2024, 3, 1))
    assert _split(result.total) == (1, 2, D("190.00"), 0, D("0.00"))


def test_the_current_month_alone_is_all_open(billed):
    result = reconcile(billed.ha, 2024, 2, today=dt.date(2024, 2, 15))
    assert _split(result.total) == (1, 0, D("0.00"), 2, D("100.00"))


def test_the_workbook_carries_the_open_figures(billed):
    book = load_workbook(io.BytesIO(build_workbook(billed.ha, 2024, today=dt.date(2024, 2, 29))))
    rows = list(book["党费收缴汇总"].iter_rows(values_only=True))
    header = rows[1]
    total = dict(zip(header, next(r for r in rows if r[0] == "合计"), strict=False))
    assert total["欠交人数"] == 1 and total["欠交金额"] == 90
    assert total["待交人数"] == 1 and total["待交金额"] == 100


def test_the_page_shows_the_open_columns(client, billed):
    client.force_login(billed.user(Role.OFFICE, "A"))
    response = client.get(reverse("dues:reconcile"), {"org": billed.ha.code, "year": 2024})
    page = response.content.decode()
    assert response.status_code == 200 and "待交人数" in page and "不计欠交" in page
    # In 2024 every month has ended by now: nothing is open, everything unpaid is owed.
    assert response.context["result"].total.open_members == 0
    assert response.context["result"].total.owed == D("190.00")
