"""JOURNEYS, the guidance committee steps 1 and 3, in Debian's Chromium: the committee
lands on the city overview (hospitals side by side, the city's figures on top, laggards
marked), sorts the hospitals by a column, downloads the city statistics, and drills down
from the city to a hospital's dashboard and on to one branch's; on a desktop, and the
overview on a phone as one card per hospital. Every step passes the checks of checks.py.
With DANGJIAN_SCREENSHOTS_DIR set, the phone picture is saved there (home-guidance.png,
the desktop one, comes from test_role_homes.py)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.orgs.models import Organization
from tests.factories import TEST_PASSWORD, hospital_tree, make_user
from tests.pages.world import add_dual_branch, add_members
from tests.tasks.builders import a_list, a_task

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TODAY = timezone.localdate()


@pytest.fixture
def city(two_hospitals):
    """Four hospitals: HA with a dual-leader branch, the most members and a task not yet
    due, HB with an overdue task, HC and HD with a few members."""
    guidance, (ha, ha_b1, _), (hb, hb_b1, _) = two_hospitals
    add_dual_branch(ha, "HA-D1")
    add_members(ha_b1, 6)
    add_members(hb_b1, 2)
    _target, area = a_list(ha, year=TODAY.year)
    a_task(area, ha_b1, due=dt.date(TODAY.year, 12, 31), title="按期任务")
    _target, area = a_list(hb, year=TODAY.year - 1)
    a_task(area, hb_b1, due=dt.date(TODAY.year - 1, 12, 1), title="逾期任务")
    for code, n in (("HC", 3), ("HD", 1)):
        guidance.refresh_from_db()
        _hospital, b1, _b2 = hospital_tree(code, guidance)
        add_members(b1, n)
    make_user("guidance-a", Role.GUIDANCE, guidance)
    return Organization.objects.get(pk=guidance.pk)


def _names(page) -> list[str]:
    return page.locator("#city-hospitals tbody tr td:first-child").all_inner_texts()


def test_the_committee_compares_the_hospitals_and_drills_down(desktop, live_server, city):
    login(desktop, live_server, "guidance-a", TEST_PASSWORD)
    expect(desktop.locator("h1")).to_contain_text("全市概览")
    assert_page_sound(desktop, "city overview")
    totals = desktop.locator("#city-totals")
    expect(totals.locator("[data-key='members.total'] .dj-figure-value")).to_have_text("13")
    assert _names(desktop) == ["HA医院党委", "HB医院党委", "HC医院党委", "HD医院党委"]
    hb = desktop.locator("#city-hospitals tbody tr", has_text="HB医院党委")
    # Its one task is overdue, one of the city's two: behind the city; HA is not.
    expect(hb.locator("td[data-key='tasks.overdue']")).to_have_class("text-end dj-laggard")
    expect(hb.locator("td[data-key='tasks.overdue']")).to_contain_text("落后于全市水平")
    ha = desktop.locator("#city-hospitals tbody tr", has_text="HA医院党委")
    expect(ha.locator("td[data-key='tasks.overdue']")).to_have_class("text-end")
    expect(hb.locator("td[data-key='branches.dual_leader_ratio']")).to_contain_text("0.0%")

    members = desktop.get_by_role("button", name="党员数")
    members.click()
    assert _names(desktop) == ["HD医院党委", "HB医院党委", "HC医院党委", "HA医院党委"]
    expect(desktop.locator("th", has=members)).to_have_attribute("aria-sort", "ascending")
    members.click()
    assert _names(desktop)[0] == "HA医院党委"
    expect(desktop.locator("th", has=members)).to_have_attribute("aria-sort", "descending")
    assert_page_sound(desktop, "sorted")

    with desktop.expect_download() as download:  # the city statistics, for the province
        desktop.get_by_role("link", name="导出全市统计表").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    desktop.get_by_role("link", name="HB医院党委").click()
    expect(desktop.locator("h1")).to_contain_text("HB医院党委 · 统计看板")
    assert_page_sound(desktop, "hospital dashboard")
    desktop.get_by_role("link", name="HB心内科党支部").click()
    expect(desktop.locator("h1")).to_contain_text("HB心内科党支部 · 统计看板")
    assert_page_sound(desktop, "branch dashboard")


def test_the_overview_is_one_card_per_hospital_on_a_phone(phone, live_server, city):
    login(phone, live_server, "guidance-a", TEST_PASSWORD)
    expect(phone.locator("h1")).to_contain_text("全市概览")
    assert_page_sound(phone, "city overview")
    cells = phone.locator("#city-hospitals td[data-key='members.total']")
    expect(cells.first).to_be_visible()
    label = cells.first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "党员数" in label  # each figure under its column's name
    rows = phone.locator("#city-hospitals tbody tr")
    boxes = [rows.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # stacked cards
    if folder := os.environ.get("DANGJIAN_SCREENSHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(Path(folder) / "home-guidance-phone.png"), full_page=True)
