"""JOURNEYS: a hospital Party-office user signs in, reads the dashboard, finds a member
and opens the record; the same on a phone. Runs in Debian's Chromium."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, make_member, make_user
from tests.pages.world import add_dual_branch

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def hospital(two_hospitals):
    _guidance, (ha, ha_b1, _), (_hb, hb_b1, _) = two_hospitals
    add_dual_branch(ha, "HA0003")
    make_member(ha_b1, name="张示例")
    make_member(ha_b1, name="李示例")
    stranger = make_member(hb_b1, name="王外院")
    make_user("office-a", "office", ha)
    return ha, stranger


def test_office_user_finds_a_member_and_cannot_reach_another_hospital(
    desktop, live_server, hospital
):
    ha, stranger = hospital
    login(desktop, live_server, "office-a", TEST_PASSWORD)

    expect(desktop.locator("h1")).to_contain_text("待办")  # the office's home
    expect(desktop.locator("body")).to_contain_text(ha.name)
    assert_page_sound(desktop, "home")

    desktop.goto(f"{live_server.url}/people/?q=张示例")
    expect(desktop.locator("table")).to_contain_text("张示例")
    expect(desktop.locator("table")).not_to_contain_text("李示例")
    assert_page_sound(desktop, "search")
    desktop.get_by_role("link", name="张示例").click()
    expect(desktop).to_have_url(re.compile(r"/people/\d+/$"))
    expect(desktop.locator("h1")).to_contain_text("张示例")
    assert_page_sound(desktop, "record")

    response = desktop.goto(f"{live_server.url}/people/{stranger.pk}/")
    assert response.status == 404


def test_wrong_password_shows_a_chinese_message(desktop, live_server, hospital):
    login(desktop, live_server, "office-a", "not-the-password")
    expect(desktop.get_by_role("alert")).to_contain_text("用户名")
    assert_page_sound(desktop, "login refused")


def test_dashboard_fits_a_phone(phone, live_server, hospital):
    login(phone, live_server, "office-a", TEST_PASSWORD)
    expect(phone.locator("h1")).to_contain_text("待办")
    assert_page_sound(phone, "home")
    phone.goto(f"{live_server.url}{reverse('dashboard:home')}")
    expect(phone.locator("h1")).to_contain_text("统计看板")
    assert_page_sound(phone, "dashboard")
