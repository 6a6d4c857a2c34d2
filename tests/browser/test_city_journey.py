"""JOURNEYS, the guidance committee (issue 20), in Debian's Chromium: the committee reads
the city overview with the assessment column, sorts the hospitals by it, opens the trend
of a figure over eight quarters (chart and table), opens the big screen from the menu at
1920×1080 and publishes the quarter's city bulletin to the hospitals' Party workers.
Every step passes the checks of checks.py. With DANGJIAN_SCREENSHOTS_DIR set, the big
screen is saved there (city-screen.png)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.assessment.models import PublishedBulletin
from tests.assessment.test_city_bulletin import city_scenario
from tests.factories import TEST_PASSWORD, make_user

from .checks import assert_page_sound
from .conftest import _watched, login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _names(page) -> list[str]:
    return page.locator("#city-hospitals tbody tr td:first-child").all_inner_texts()


def test_the_committee_compares_follows_the_trend_and_publishes(
    desktop, browser, live_server, world
):
    city_scenario(world)
    make_user("guidance-city", Role.GUIDANCE, world.guidance)
    make_user("office-ha", Role.OFFICE, world.ha)
    make_user("office-hb", Role.OFFICE, world.hb)
    login(desktop, live_server, "guidance-city", TEST_PASSWORD)
    expect(desktop.locator("h1")).to_contain_text("全市概览")
    assert_page_sound(desktop, "city overview")
    header = desktop.locator("#city-hospitals thead th").filter(has_text="支部考核平均分")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert _names(desktop)[0] == "HB医院党委"  # its branches held everything

    desktop.get_by_role("link", name="趋势").click()
    expect(desktop.locator("h1")).to_contain_text("全市趋势")
    desktop.get_by_label("指标").select_option("meetings.compliant_branches_ratio")
    desktop.get_by_role("button", name="查看").click()
    expect(desktop.locator("#trend-chart canvas")).to_have_count(1)
    expect(desktop.locator("#trend-table")).to_contain_text("HB医院党委")
    assert_page_sound(desktop, "trend")

    screen_page = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN"
    ).new_page()
    errors = _watched(screen_page)
    login(screen_page, live_server, "guidance-city", TEST_PASSWORD)
    screen_page.get_by_role("link", name="大屏").first.click()
    expect(screen_page.locator("h1")).to_contain_text("公立医院党建工作大屏")
    expect(screen_page.locator("#screen-ranking")).to_contain_text("HB医院党委")
    expect(screen_page.locator(".dj-screen-chart canvas")).to_have_count(1)
    assert_page_sound(screen_page, "big screen")
    size = screen_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [1920, 1080], size  # one screen, nothing to scroll
    value = screen_page.locator(".dj-screen-value").first
    assert float(value.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 40
    if os.environ.get("DANGJIAN_SCREENSHOTS_DIR"):
        screen_page.screenshot(
            path=str(Path(os.environ["DANGJIAN_SCREENSHOTS_DIR"]) / "city-screen.png")
        )
    assert errors == []
    screen_page.context.close()

    desktop.goto(f"{live_server.url}/assessment/bulletin/?org=CITY&period=2024-Q1")
    body = desktop.locator("body")
    expect(body).to_contain_text("二、各医院比较")
    expect(desktop.locator("#city-laggards")).to_contain_text("HA医院党委")
    expect(desktop.locator("#city-praised")).to_contain_text("HB医院党委")
    assert_page_sound(desktop, "city bulletin")
    desktop.get_by_role("button", name="发布").click()
    expect(body).to_contain_text("已发布的通报（1）")
    assert_page_sound(desktop, "published")
    published = PublishedBulletin.objects.get()
    receivers = set(published.announcement.receipts.values_list("user__username", flat=True))
    assert {"office-ha", "office-hb"} <= receivers
