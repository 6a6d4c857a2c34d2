"""Meeting day: the projector page shows the check-in code and the live count (a fragment
htmx polls), attendance waits as 未签到 until the meeting is held, and a meeting recorded
as held shows no code and takes no check-in."""

import pytest
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState
from dangjian.meetings.services import MeetingError
from tests.pages.scoped import ScopedPageTest

from .test_pages import TODAY, branch_meeting, member_user

pytestmark = pytest.mark.django_db


def test_the_projector_shows_the_code_and_the_count_grows_with_check_ins(client, world):
    meeting = branch_meeting(world)
    member, _ = member_user(world.ha_b1, "member-a", name="赵签到")
    Attendance.objects.create(meeting=meeting, person=member)
    client.force_login(world.user(Role.SECRETARY))
    page = client.get(reverse("meetings:projector", args=[meeting.pk])).content.decode()
    assert "<svg" in page and '0</span><span class="fs-2"> / 4' in page
    assert reverse("meetings:projector_count", args=[meeting.pk]) in page  # polled
    services.check_in(services.check_in_token(meeting), member)
    count = client.get(reverse("meetings:projector_count", args=[meeting.pk])).content.decode()
    assert '1</span><span class="fs-2"> / 4' in count and "赵签到" in count
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:projector", args=[meeting.pk]) in detail


def test_rows_wait_as_not_checked_in_until_the_meeting_is_held(world):
    meeting = branch_meeting(world)
    member, _ = member_user(world.ha_b1, "member-a")
    Attendance.objects.create(meeting=meeting, person=member)
    assert set(meeting.attendance.values_list("state", flat=True)) == {AttendanceState.PENDING}
    services.check_in(services.check_in_token(meeting), member)
    services.record_held(meeting, held_on=TODAY)
    states = dict(meeting.attendance.values_list("person_id", "state"))
    assert states.pop(member.pk) == AttendanceState.PRESENT
    assert set(states.values()) == {AttendanceState.ABSENT}  # nobody left pending


def test_a_meeting_recorded_as_held_shows_no_code_and_takes_no_check_in(client, world):
    meeting = branch_meeting(world)
    member, _ = member_user(world.ha_b1, "member-a")
    Attendance.objects.create(meeting=meeting, person=member)
    token = services.check_in_token(meeting)
    services.record_held(meeting, held_on=TODAY)
    with pytest.raises(MeetingError, match="会议已经结束"):
        services.check_in(token, member)
    client.force_login(world.user(Role.SECRETARY))
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "check-in-closed" in detail and "<svg" not in detail
    page = client.get(reverse("meetings:projector", args=[meeting.pk])).content.decode()
    assert "<svg" not in page and "签到已结束" in page


def test_readers_may_not_run_the_projector(client, world):
    meeting = branch_meeting(world)
    client.force_login(world.user(Role.AUDITOR))
    assert client.get(reverse("meetings:projector", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:projector_count", args=[meeting.pk])).status_code == 403


class TestProjector(ScopedPageTest):
    viewer_role = Role.SECRETARY
    expected_text = ("学习新党章", "已签到", "请用手机扫描二维码签到")

    def url(self, world):
        return reverse("meetings:projector", args=[branch_meeting(world).pk])

    def grow(self, world, n):
        meeting = branch_meeting(world)
        for i in range(n):
            member, _ = member_user(world.ha_b1, f"m-{meeting.attendance.count()}-{i}")
            Attendance.objects.create(meeting=meeting, person=member)
            services.check_in(services.check_in_token(meeting), member)
