import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.dues import services
from dangjian.dues.export import build_workbook
from dangjian.dues.reconciliation import reconcile
from dangjian.orgs.models import OrgKind
from tests.factories import add_org, make_member

pytestmark = pytest.mark.django_db
JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
D = Decimal


@pytest.fixture
def hospital(world):
    """HA-B1: 甲 (base 4500 → 45.00) and 乙 (base 2000 → 10.00); HA-B2: 丙 (base 6000 →
    90.00) in a Party group under the branch; HB: 丁, never counted for A."""
    group = add_org(world.ha_b2, "HA-B2-G1", OrgKind.GROUP, "行政第一党小组")
    jia = make_member(world.ha_b1, name="甲")
    yi = make_member(world.ha_b1, name="乙")
    bing = make_member(group, name="丙")
    ding = make_member(world.hb_b1, name="丁")
    for person, base in ((jia, "4500"), (yi, "2000"), (bing, "6000"), (ding, "4500")):
        services.fix_base(person, category="in_service", base=base, effective_from=JAN)
    for month in (JAN, FEB):
        services.generate_bills(month)
    services.record_payment(jia, [JAN, FEB], paid_on=dt.date(2024, 2, 10), method="cash")
    services.record_payment(yi, [JAN], paid_on=dt.date(2024, 1, 20), method="transfer")
    services.record_payment(ding, [JAN, FEB], paid_on=dt.date(2024, 2, 10), method="cash")
    services.record_voluntary(bing, kind="special", paid_on=dt.date(2024, 2, 3), amount="1000")
    services.record_voluntary(yi, kind="extra", paid_on=dt.date(2024, 1, 3), amount="50")
    world.ha.refresh_from_db()
    return world, jia, yi, bing


def _figures(line):
    return (
        line.due_members, line.due_amount, line.paid_members, line.collected,
        line.unpaid_members, line.owed,
    )  # fmt: skip


def test_one_month_per_branch_and_hospital_totals(hospital):
    world, *_ = hospital
    with CaptureQueriesContext(connection) as ctx:
        result = reconcile(world.ha, 2024, 2)
    assert len(ctx.captured_queries) == 3
    lines = {line.organization.code: line for line in result.lines}
    assert set(lines) == {"HA-B1", "HA-B2"}  # the group is counted in its branch
    assert _figures(lines["HA-B1"]) == (2, D("55.00"), 1, D("45.00"), 1, D("10.00"))
    assert _figures(lines["HA-B2"]) == (1, D("90.00"), 0, D("0.00"), 1, D("90.00"))
    assert _figures(result.total) == (3, D("145.00"), 1, D("45.00"), 2, D("100.00"))
    assert lines["HA-B2"].voluntary == D("1000.00") and lines["HA-B1"].voluntary == 0
    assert result.passed_up == D("45.00") and result.passed_up_in_full == D("1000.00")


def test_the_whole_year(hospital):
    world, *_ = hospital
    result = reconcile(world.ha, 2024)
    lines = {line.organization.code: line for line in result.lines}
    # 乙 paid January but not February: billed, not fully settled over the year.
    assert _figures(lines["HA-B1"]) == (2, D("110.00"), 1, D("100.00"), 1, D("10.00"))
    assert result.total.collected == D("100.00") and result.total.owed == D("190.00")
    assert result.total.voluntary == D("1050.00") and result.passed_up_in_full == D("1000.00")


def test_a_branch_subtree_and_the_other_hospital_are_apart(hospital):
    world, *_ = hospital
    world.ha_b1.refresh_from_db()
    only_b1 = reconcile(world.ha_b1, 2024, 1)
    assert [line.organization.code for line in only_b1.lines] == ["HA-B1"]
    assert _figures(only_b1.total) == (2, D("55.00"), 2, D("55.00"), 0, D("0.00"))
    world.hb.refresh_from_db()
    other = reconcile(world.hb, 2024, 2)
    assert other.total.collected == D("45.00") and other.total.due_members == 1


def test_the_workbook_opens_back_with_the_same_numbers(hospital):
    world, jia, yi, _bing = hospital
    data = build_workbook(world.ha, 2024, 2)
    book = load_workbook(filename=__import__("io").BytesIO(data))
    assert book.sheetnames == ["党费收缴汇总", "党费明细"]
    summary = [row for row in book["党费收缴汇总"].iter_rows(values_only=True) if any(row)]
    header_at = next(i for i, row in enumerate(summary) if row[0] == "党支部")
    assert summary[header_at][:6] == (
        "党支部",
        "应交人数",
        "应交金额",
        "实交人数",
        "实交金额",
        "欠交人数",
    )
    body = {row[0]: row[1:6] for row in summary[header_at + 1 :]}
    assert body["HA心内科党支部"] == (2, 55.0, 1, 45.0, 1)
    assert body["合计"] == (3, 145.0, 1, 45.0, 2)
    assert any("全额上缴" in str(row[0]) and 1000.0 in row for row in summary)
    detail = list(book["党费明细"].iter_rows(values_only=True))
    assert detail[0][:6] == ("党员", "月份", "基数", "应交金额", "交纳日期", "方式")
    rows = {(r[0], r[1]): r for r in detail[1:]}  # the month is a date shown as yyyy-mm
    february = dt.datetime(2024, 2, 1)
    assert rows[("甲", february)][2:6] == (4500.0, 45.0, dt.datetime(2024, 2, 10), "现金")
    assert rows[("乙", february)][4:6] == (None, None)
    assert not any(r[0] == "丁" for r in detail[1:])  # hospital B is never in A's file


def test_a_year_workbook_lists_every_month(hospital):
    world, *_ = hospital
    book = load_workbook(filename=__import__("io").BytesIO(build_workbook(world.ha, 2024)))
    detail = list(book["党费明细"].iter_rows(values_only=True))[1:]
    assert len(detail) == 6
    assert {r[1] for r in detail} == {dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1)}
