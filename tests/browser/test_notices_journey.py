"""JOURNEYS.md, office 7 and member 2–3: the Party office writes a notice to the branch
secretaries and sees who has not read it; a secretary reads it on the phone; a member
finds their points with where each came from, and the meeting calendar to subscribe to.
Every step is checked (tests/browser/checks.py). Runs in Debian's Chromium."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.notices.models import Receipt
from tests.factories import TEST_PASSWORD, make_member_user, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TITLE = "关于报送支部年度工作总结的通知"


@pytest.fixture
def hospital(two_hospitals):
    _guidance, (ha, b1, _b2), _b = two_hospitals
    make_user("office-notice", Role.OFFICE, ha)
    make_user("sec-notice", Role.SECRETARY, b1)
    member = make_member_user(b1, "member-notice", name="吴读者")
    today = dt.date.today()
    meeting = Meeting.objects.create(
        organization=b1, kind="theme_day", topic="重温入党誓词", planned_on=today,
        held_on=today, status=MeetingStatus.HELD,
    )  # fmt: skip
    Attendance.objects.create(meeting=meeting, person=member, state=AttendanceState.PRESENT)
    return ha, member


def test_office_writes_to_the_secretaries_and_sees_who_has_read(
    desktop, phone, live_server, hospital
):
    ha, _member = hospital
    login(desktop, live_server, "office-notice", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/notices/?org={ha.code}")
    assert_page_sound(desktop, "通知公告")
    desktop.get_by_role("link", name="发布通知").click()
    desktop.get_by_label("标题").fill(TITLE)
    desktop.get_by_label("正文").fill("请各支部书记于本周五前报送。")
    desktop.get_by_label("发送对象").select_option("officers")
    assert_page_sound(desktop, "发布通知")
    desktop.get_by_role("button", name="发布").click()
    expect(desktop.locator("body")).to_contain_text("已读 0 / 1 人")  # not to the author
    assert_page_sound(desktop, "通知")

    login(phone, live_server, "sec-notice", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/notices/mine/")
    assert_page_sound(phone, "我收到的通知")
    phone.get_by_role("link", name=TITLE).tap()
    expect(phone.locator("body")).to_contain_text("本周五前报送")
    assert_page_sound(phone, "通知正文")
    assert Receipt.objects.filter(user__username="sec-notice", read_at__isnull=False).exists()

    desktop.reload()
    expect(desktop.locator("body")).to_contain_text("已读 1 / 1 人")
    desktop.get_by_role("link", name="查看未读人员").click()
    expect(desktop.locator("table")).to_contain_text("全部已读")
    desktop.get_by_role("link", name="已读").click()
    expect(desktop.locator("table")).to_contain_text("sec-notice")
    assert_page_sound(desktop, "阅读情况")


def test_member_sees_points_with_their_sources_and_the_calendar(phone, live_server, hospital):
    login(phone, live_server, "member-notice", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/home/me/")
    assert_page_sound(phone, "我的首页")
    phone.get_by_role("link", name="我的积分").tap()
    expect(phone.locator("h1")).to_contain_text("吴读者的积分")
    expect(phone.locator("body")).to_contain_text("主题党日：重温入党誓词")
    assert_page_sound(phone, "我的积分")
    phone.goto(f"{live_server.url}/home/me/")
    phone.get_by_role("link", name="订阅会议日历").tap()
    expect(phone.get_by_label("订阅链接")).to_have_value(re.compile(r"^http.*\.ics\?token="))
    assert_page_sound(phone, "我的会议日历")
