"""JOURNEYS, the office keeps the registry (issue 16): adds a newly hired member on a
phone, sends a member's transfer to another hospital of the city, where that hospital's
office accepts it the same day, and prints a 介绍信 for a member leaving the city. Every
step passes the checks of checks.py. Runs in Debian's Chromium."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from dangjian.people.models import Person, Transfer
from dangjian.people.rules import make_id_number
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def city(two_hospitals):
    _guidance, (ha, ha_b1, _), (hb, hb_b1, _) = two_hospitals
    make_member(ha_b1, name="调动示例")
    make_user("office-a", "office", ha)
    make_user("office-b", "office", hb)
    return ha_b1, hb_b1


def test_the_office_adds_a_new_member_on_a_phone(phone, live_server, city):
    ha_b1, _ = city
    login(phone, live_server, "office-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/people/")
    assert_page_sound(phone, "member list")
    phone.get_by_role("link", name="新增人员").click()
    phone.get_by_label("姓名").fill("新入职示例")
    phone.get_by_label("身份证号").fill(make_id_number(dt.date(1995, 4, 3), "male", 7))
    phone.get_by_label("手机号").fill("13800001234")
    phone.get_by_label("所在组织").select_option(label=ha_b1.name)
    phone.get_by_label("政治面貌").select_option(label="预备党员")
    phone.get_by_label("入党日期", exact=True).fill("2026-07-01")
    assert_page_sound(phone, "new member form filled")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("h1")).to_contain_text("新入职示例")
    assert_page_sound(phone, "new member's record")
    person = Person.objects.get(name="新入职示例")
    assert person.organization == ha_b1 and person.gender == "male"


def test_a_transfer_to_another_hospital_is_sent_and_accepted(desktop, live_server, city):
    ha_b1, hb_b1 = city
    person = Person.objects.get(name="调动示例")
    page = desktop
    login(page, live_server, "office-a", TEST_PASSWORD)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    assert_page_sound(page, "record")
    page.get_by_role("link", name="组织关系转接（系统内）").click()
    field = page.get_by_label("接收党组织")
    field.fill("HB心内")  # the search offers the receiving branch by name
    expect(page.locator("#org-options option")).to_have_count(1)
    assert_page_sound(page, "transfer form")
    assert page.locator("#org-options option").get_attribute("value") == hb_b1.code
    field.fill(hb_b1.code)
    page.get_by_label("转接原因").fill("工作调动")
    page.get_by_role("button", name="发起转接").click()
    expect(page.locator("h1")).to_contain_text("调动示例")
    expect(page.locator("body")).to_contain_text("待接收")
    assert_page_sound(page, "transfer sent")
    page.context.clear_cookies()  # the receiving hospital's office signs in

    login(page, live_server, "office-b", TEST_PASSWORD)
    page.goto(f"{live_server.url}/people/transfers/")
    assert_page_sound(page, "transfers in")
    page.get_by_role("link", name=re.compile("调动示例")).click()
    assert_page_sound(page, "transfer")
    page.get_by_role("button", name="接收", exact=True).click()
    expect(page.locator(".alert")).to_contain_text("已接收")
    assert_page_sound(page, "transfer accepted")
    person.refresh_from_db()
    assert person.organization == hb_b1
    assert Transfer.objects.get(person=person).state == "accepted"
    page.goto(f"{live_server.url}/people/{person.pk}/")
    expect(page.locator("h1")).to_contain_text("调动示例")
    assert_page_sound(page, "record in the new hospital")


def test_a_letter_for_a_member_leaving_the_city_is_printed(desktop, live_server, city):
    """介绍信 (out of the system): the member leaves the branch that day; the letter
    downloads as .docx with its stub and receipt."""
    person = Person.objects.get(name="调动示例")
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/people/{person.pk}/")
    desktop.get_by_role("link", name="开具介绍信（转出系统）").click()
    expect(desktop.locator("h1")).to_contain_text("开具组织关系介绍信")
    desktop.get_by_label("接收党组织").fill("中共示例省某县人民医院委员会")
    desktop.get_by_label("转出原因").fill("调往外省工作")
    assert_page_sound(desktop, "letter form")
    desktop.get_by_role("button", name="开具介绍信").click()
    link = desktop.get_by_role("link", name="下载介绍信（.docx，含存根和回执）")
    expect(link).to_be_visible()
    assert_page_sound(desktop, "letter issued")
    with desktop.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".docx")
    transfer = Transfer.objects.get(person=person)
    assert transfer.direction == "out" and transfer.letter_number
