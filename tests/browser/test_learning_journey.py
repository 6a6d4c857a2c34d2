"""A member on a phone opens a required course, reads its material list, takes its exam,
passes, and sees the year's class hours grow (the journey of issue 22's learning part).
Every page fits the phone's width and is axe-clean."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.learning import services
from dangjian.meetings.services import record_study
from tests.factories import TEST_PASSWORD
from tests.learning.builders import YEAR, a_bank, a_course, a_learner, an_exam

from .axe import violations
from .conftest import login

JAN_1 = dt.date(YEAR, 1, 1)  # never after today
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def course(two_hospitals):
    _guidance, (ha, ha_b1, _b2), _hb = two_hospitals
    member = a_learner(ha_b1, "member-phone")
    record_study(member, kind="self_study", title="个人自学", studied_on=JAN_1, hours=10)
    course = a_course(ha, title="学习贯彻党章专题课", hours="4")
    services.add_video(course, title="专题辅导视频", url="https://example.org/v/1")
    an_exam(course, a_bank(ha), pass_mark=60)
    return course


def _fits(page, where):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (where, overflow)
    assert violations(page) == [], where


def test_a_member_passes_an_exam_on_a_phone_and_the_hours_grow(phone, live_server, course):
    login(phone, live_server, "member-phone", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse('learning:mine')}")
    expect(phone.get_by_test_id("hours")).to_contain_text("已学 10.0 学时")
    _fits(phone, "mine")
    phone.get_by_role("link", name="学习贯彻党章专题课").click()
    expect(phone.locator("h1")).to_have_text("学习贯彻党章专题课")
    expect(phone.get_by_role("link", name="观看")).to_have_attribute(
        "href", "https://example.org/v/1"
    )
    _fits(phone, "course")
    phone.get_by_role("link", name="参加考试").click()
    phone.get_by_role("button", name="开始考试").click()
    expect(phone.get_by_role("button", name="交卷")).to_be_visible()
    _fits(phone, "exam")
    phone.get_by_label("A. 实现共产主义").check()
    phone.get_by_label("A. 支部党员大会").check()
    phone.get_by_label("C. 党课").check()
    phone.get_by_label("A. 正确").check()
    phone.get_by_role("button", name="交卷").click()
    expect(phone.locator("main")).to_contain_text("100 分")
    expect(phone.locator("main")).to_contain_text("计入 4.0 学时")
    _fits(phone, "result")
    phone.get_by_role("link", name="我的学习").last.click()
    expect(phone.get_by_test_id("hours")).to_contain_text("已学 14.0 学时")
    expect(phone.locator("main")).to_contain_text("必修已完成 1 / 1")
