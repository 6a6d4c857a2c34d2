"""JOURNEYS, member step 1: at the meeting a member scans the QR code with a phone,
signs in, taps 签到 and is checked in. Runs in Debian's Chromium."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState
from dangjian.meetings.rules import MeetingKind
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def meeting_and_member(two_hospitals):
    _guidance, (_ha, ha_b1, _), _b = two_hospitals
    member = make_member(ha_b1, name="孙扫码")
    make_member(ha_b1)
    member.user = make_user("member-scan", Role.MEMBER, ha_b1)
    member.save(update_fields=["user"])
    meeting = services.plan_meeting(
        ha_b1,
        kind=MeetingKind.THEME_DAY,
        topic="重温入党誓词",
        planned_on=timezone.localdate(),
        place="门诊楼五楼会议室",
    )
    return meeting, member


def test_member_checks_in_from_the_qr_link(phone, live_server, meeting_and_member):
    meeting, member = meeting_and_member
    link = reverse("meetings:check_in", args=[services.check_in_token(meeting)])

    # The QR link opens the sign-in page, which comes back to the check-in page.
    phone.goto(f"{live_server.url}{link}")
    assert_page_sound(phone, "sign-in")
    phone.fill("input[name=username]", "member-scan")
    phone.fill("input[name=password]", TEST_PASSWORD)
    phone.click("button[type=submit]")

    expect(phone.locator("h1")).to_contain_text("重温入党誓词")
    expect(phone.locator("body")).to_contain_text("门诊楼五楼会议室")
    assert_page_sound(phone, "check-in page")
    phone.get_by_role("button", name="签到").tap()
    expect(phone.get_by_role("status")).to_contain_text("签到成功")

    row = Attendance.objects.get(meeting=meeting, person=member)
    assert row.state == AttendanceState.PRESENT and row.checked_in_at is not None
    assert_page_sound(phone, "checked in")
