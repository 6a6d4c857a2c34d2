"""JOURNEYS, the Party office step 3 and the branch secretary step 4, in Debian's
Chromium: the office generates this month's dues bills on a desktop; the secretary, on a
phone, records a member who pays three months at once at the meeting; the office sees
the branch collected in the reconciliation and downloads the sheet the higher committee
asks for. Every step passes the checks of checks.py."""

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.dues import services as dues
from dangjian.dues.models import DuesBill
from dangjian.dues.services import first_of_month
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TODAY = timezone.localdate()
MONTH = first_of_month(TODAY)
EARLIER = [add_months(MONTH, -2), add_months(MONTH, -1)]


@pytest.fixture
def branch(two_hospitals):
    """Two members of HA-B1 billed for the two months before this one, unpaid."""
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    people = [make_member(ha_b1, name=name) for name in ("周三月", "吴按月")]
    for person in people:
        dues.fix_base(person, category="in_service", base="4500", effective_from=EARLIER[0])
    for month in EARLIER:
        dues.generate_bills(month, ha.path)
    make_user("office-a", Role.OFFICE, ha)
    make_user("secretary-a", Role.SECRETARY, ha_b1)
    return ha, ha_b1, people


def test_bills_a_payment_of_three_months_and_the_reconciliation(
    desktop, phone, live_server, branch, tmp_path
):
    ha, ha_b1, (quarterly, _monthly) = branch
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('dues:month')}?org={ha.code}")
    assert_page_sound(desktop, "dues of the month")
    desktop.get_by_role("button", name="生成本月账单").click()
    expect(desktop.locator("main")).to_contain_text("应交 2 人")
    assert_page_sound(desktop, "bills generated")
    assert DuesBill.objects.filter(month=MONTH).count() == 2

    login(phone, live_server, "secretary-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse('dues:month')}?org={ha_b1.code}")
    assert_page_sound(phone, "branch dues")
    phone.goto(f"{live_server.url}{reverse('dues:pay', args=[quarterly.pk])}")
    expect(phone.locator("h1")).to_contain_text("周三月")
    boxes = phone.locator("input[name=months]")
    expect(boxes).to_have_count(3)  # two months owed and this one
    for i in range(3):
        boxes.nth(i).check()
    phone.get_by_label("交纳日期").fill(TODAY.isoformat())
    assert_page_sound(phone, "payment form")
    phone.get_by_role("button", name="保存").tap()
    expect(phone.locator("main")).to_contain_text("已登记 周三月 交纳党费")
    assert_page_sound(phone, "payment recorded")
    paid = DuesBill.objects.filter(person=quarterly, paid_by__isnull=False)
    assert sorted(b.month for b in paid) == [*EARLIER, MONTH]

    desktop.goto(f"{live_server.url}{reverse('dues:month')}?org={ha.code}")
    desktop.get_by_role("link", name="收缴对账").click()
    line = desktop.locator("tbody tr", has_text=ha_b1.name)
    expect(line.locator("td").nth(3)).to_have_text("1")  # paid this month: one member
    assert_page_sound(desktop, "reconciliation")
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="导出收缴表").click()
    sheet = tmp_path / download.value.suggested_filename
    download.value.save_as(sheet)
    assert sheet.suffix == ".xlsx"
    cells = [c for row in load_workbook(sheet).active.iter_rows(values_only=True) for c in row]
    assert ha_b1.name in cells
