"""JOURNEYS, branch secretary step 2, in Debian's Chromium: from the branch page on a phone
the secretary arranges this month's theme day from the calendar entry; the ward's PC
shows the QR code on the projector and the count of check-ins rises without a reload as
a member checks in; on the phone the secretary marks two members on leave with reasons,
files the minutes and uploads two photos at once; the month's theme day turns to 已完成
on the branch page. Every step passes the checks of checks.py."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TODAY = timezone.localdate()


@pytest.fixture
def branch(two_hospitals):
    _guidance, (_ha, ha_b1, _), _b = two_hospitals
    people = [make_member(ha_b1, name=name) for name in ("甲出席", "乙请假", "丙请假", "丁缺席")]
    make_user("secretary-a", Role.SECRETARY, ha_b1)
    return ha_b1, people


def test_the_secretary_holds_the_theme_day(phone, desktop, live_server, branch, tmp_path):
    org, (present, *on_leave, _absent) = branch
    login(phone, live_server, "secretary-a", TEST_PASSWORD)
    theme_day = phone.locator("li", has_text="主题党日").first
    expect(theme_day).to_contain_text("待开展")
    assert_page_sound(phone, "branch page")
    theme_day.get_by_role("link", name="安排会议").tap()
    expect(phone.get_by_label("类别")).to_have_value("theme_day")  # from the calendar entry
    phone.get_by_label("主题").fill("重温入党誓词")
    phone.get_by_label("计划日期").fill(TODAY.isoformat())
    phone.get_by_label("地点").fill("门诊楼五楼会议室")
    assert_page_sound(phone, "new meeting")
    phone.get_by_role("button", name="保存").tap()
    expect(phone.locator("h1")).to_contain_text("重温入党誓词")
    assert_page_sound(phone, "meeting")
    meeting = Meeting.objects.get(organization=org, topic="重温入党誓词")

    # The projector, on the ward's PC: the QR code and the live count.
    login(desktop, live_server, "secretary-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    desktop.get_by_role("link", name="投影显示（实时签到人数）").click()
    expect(desktop.locator("#projector-qr svg")).to_be_visible()
    number = desktop.locator(".dj-projector-number")
    expect(number).to_have_text("0")
    assert_page_sound(desktop, "projector")
    services.check_in(services.check_in_token(meeting), present)  # scanned on a phone
    expect(number).to_have_text("1", timeout=15_000)  # polled, no reload
    expect(desktop.locator("#projector-count")).to_contain_text(present.name)

    # Two on leave, with their reasons, on the phone.
    phone.reload()
    for person, reason in zip(on_leave, ("出差", "夜班"), strict=True):
        row = Attendance.objects.get(meeting=meeting, person=person)
        phone.locator(f"select[name=state_{row.pk}]").select_option(AttendanceState.LEAVE)
        phone.locator(f"input[name=reason_{row.pk}]").fill(reason)
    assert_page_sound(phone, "attendance")
    phone.get_by_role("button", name="保存出席情况").tap()
    first = Attendance.objects.get(meeting=meeting, person=on_leave[0])
    expect(phone.locator(f"input[name=reason_{first.pk}]")).to_have_value("出差")
    first.refresh_from_db()
    assert (first.state, first.reason) == (AttendanceState.LEAVE, "出差")
    assert_page_sound(phone, "attendance saved")

    phone.get_by_label("会议记录").fill("全体党员重温入党誓词，交流学习体会。")
    phone.get_by_role("button", name="登记召开情况").tap()
    expect(phone.locator("#check-in-closed")).to_be_visible()  # a filed meeting shows no QR
    photos = [tmp_path / f"主题党日{i}.jpg" for i in (1, 2)]
    for photo in photos:
        photo.write_bytes(b"\xff\xd8\xff\xe0 fictitious photo")
    phone.locator("#upload-form input[type=file]").set_input_files([str(p) for p in photos])
    phone.locator("#upload-form").get_by_role("button", name="上传").tap()
    for photo in photos:
        expect(phone.get_by_role("link", name=photo.name)).to_be_visible()
    assert_page_sound(phone, "meeting filed")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.FILED
    states = dict(meeting.attendance.values_list("person__name", "state"))
    assert states == {"甲出席": "present", "乙请假": "leave", "丙请假": "leave", "丁缺席": "absent"}

    phone.goto(f"{live_server.url}/home/branch/")
    expect(phone.locator("li", has_text="主题党日").first).to_contain_text("已完成")
    assert_page_sound(phone, "branch page after the theme day")
