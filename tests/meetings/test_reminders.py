"""Meeting reminders: the day before and on the day, each once, with place and time;
moved, held or removed meetings; members without an account; one run per hospital with a
fixed number of queries."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.models import Notice
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.meetings.reminders import (
    DAY_BEFORE,
    KIND_LABELS,
    ON_THE_DAY,
    send_meeting_reminders,
)
from dangjian.meetings.rules import MeetingKind as K
from dangjian.people.models import Person
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
MEETING_DAY = dt.date(2026, 12, 5)  # a Saturday


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def member_with_account(org, name):
    person = make_member(org, name=name)
    user = make_user(f"u-{person.pk}")
    Person.objects.filter(pk=person.pk).update(user=user)
    return person, user


def plan(org, day=MEETING_DAY, **details):
    details.setdefault("starts_at", at(day, 14, 30))
    details.setdefault("ends_at", at(day, 16, 0))
    details.setdefault("place", "门诊楼三楼会议室")
    return services.plan_meeting(
        org, kind=K.THEME_DAY, topic="12月主题党日：重温入党誓词", planned_on=day, **details
    )


def inbox(user, kind=None):
    notices = Notice.objects.filter(recipient=user).order_by("pk")
    return list(notices.filter(kind=kind) if kind else notices)


@pytest.fixture
def branch_people(world):
    jia, jia_user = member_with_account(world.ha_b1, "甲")
    yi, yi_user = member_with_account(world.ha_b1, "乙")
    bing = make_member(world.ha_b1, name="丙")  # no account
    return world, {"甲": jia_user, "乙": yi_user}, bing


def test_day_before_then_on_the_day_with_place_and_time(branch_people):
    world, users, _ = branch_people
    meeting = plan(world.ha_b1)
    assert send_meeting_reminders(at(MEETING_DAY - dt.timedelta(days=1), 7, 20)) == 2
    (eve,) = inbox(users["甲"])
    assert eve.kind == DAY_BEFORE
    assert eve.title.startswith("明天12月5日（星期六） 14:30–16:00")
    # the topic names the kind already: not “主题党日：12月主题党日…”
    assert "主题党日：12月主题党日" not in eve.title
    assert "门诊楼三楼会议室" in eve.body and "14:30–16:00" in eve.body
    assert eve.body.startswith("HA心内科党支部 · 12月主题党日：重温入党誓词\n")
    assert eve.link.startswith(f"/meetings/{meeting.pk}/#remind-eve-2026-12-05")
    assert send_meeting_reminders(at(MEETING_DAY, 7, 20)) == 2
    day = inbox(users["乙"], ON_THE_DAY)[0]
    assert day.title.startswith("今天12月5日")
    assert [n.kind for n in inbox(users["甲"])] == [DAY_BEFORE, ON_THE_DAY]


def test_sent_once_per_person_meeting_and_kind(branch_people):
    world, users, _ = branch_people
    plan(world.ha_b1)
    eve = at(MEETING_DAY - dt.timedelta(days=1), 7, 20)
    assert send_meeting_reminders(eve) == 2
    assert send_meeting_reminders(eve) == 0
    assert send_meeting_reminders(eve + dt.timedelta(hours=10)) == 0  # the evening run
    assert len(inbox(users["甲"])) == 1


def test_not_for_members_without_an_account_or_with_an_inactive_one(branch_people):
    world, users, bing = branch_people
    meeting = plan(world.ha_b1)
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    users["乙"].is_active = False
    users["乙"].save()
    assert send_meeting_reminders(at(MEETING_DAY, 7, 0)) == 1
    assert not inbox(users["乙"])
    assert Notice.objects.count() == 1


def test_not_for_members_on_leave_or_checked_in(branch_people):
    world, users, _ = branch_people
    meeting = plan(world.ha_b1)
    Attendance.objects.filter(meeting=meeting, person__user=users["乙"]).update(
        state=AttendanceState.LEAVE, reason="值夜班"
    )
    assert send_meeting_reminders(at(MEETING_DAY - dt.timedelta(days=1), 7, 20)) == 1
    Attendance.objects.filter(meeting=meeting, person__user=users["甲"]).update(
        state=AttendanceState.PRESENT
    )
    assert send_meeting_reminders(at(MEETING_DAY, 14, 0)) == 0
    assert not inbox(users["乙"])


def test_moved_meeting_reminded_for_its_new_date_only(branch_people):
    world, users, _ = branch_people
    meeting = plan(world.ha_b1)
    send_meeting_reminders(at(MEETING_DAY - dt.timedelta(days=1), 7, 20))
    new_day = MEETING_DAY + dt.timedelta(days=7)
    Meeting.objects.filter(pk=meeting.pk).update(
        planned_on=new_day, starts_at=at(new_day, 9, 0), ends_at=at(new_day, 10, 0)
    )
    # the old day passes in silence
    assert send_meeting_reminders(at(MEETING_DAY, 7, 20)) == 0
    assert send_meeting_reminders(at(new_day - dt.timedelta(days=1), 7, 20)) == 2
    latest = inbox(users["甲"])[-1]
    assert latest.title.startswith("明天12月12日（星期六） 09:00–10:00")
    assert latest.link.endswith("#remind-eve-2026-12-12")


def test_cancelled_or_already_held_meeting_not_reminded(branch_people):
    world, users, _ = branch_people
    held = plan(world.ha_b1)
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD, held_on=MEETING_DAY)
    removed = plan(world.ha_b2)
    removed.delete()
    assert send_meeting_reminders(at(MEETING_DAY - dt.timedelta(days=1), 7, 20)) == 0
    assert not Notice.objects.exists()


def test_on_the_day_stops_once_the_meeting_has_started(branch_people):
    world, users, _ = branch_people
    plan(world.ha_b1)
    assert send_meeting_reminders(at(MEETING_DAY, 17, 20)) == 0  # after 14:30
    untimed = plan(world.ha_b1, starts_at=None, ends_at=None, place="")
    assert send_meeting_reminders(at(MEETING_DAY, 17, 20)) == 0  # untimed: mornings only
    assert send_meeting_reminders(at(MEETING_DAY, 7, 20)) == 4  # both, in the morning
    page = f"/meetings/{untimed.pk}/"
    notice = next(n for n in inbox(users["甲"]) if n.link.startswith(page))
    assert "地点待通知" in notice.body
    assert "（星期六）：" in notice.title  # the date, no time


def test_other_hospitals_members_get_their_own(world):
    _, a_user = member_with_account(world.ha_b1, "甲")
    _, b_user = member_with_account(world.hb_b1, "丁")
    plan(world.hb_b1)
    assert send_meeting_reminders(at(MEETING_DAY, 7, 0)) == 1
    assert not inbox(a_user)
    assert inbox(b_user)[0].link.startswith("/meetings/")


def test_kinds_have_chinese_labels():
    assert str(KIND_LABELS[DAY_BEFORE]) == "会议提醒（前一天）"
    assert str(KIND_LABELS[ON_THE_DAY]) == "会议提醒（当天）"


def test_query_count_fixed_as_members_grow(world, monkeypatch):
    """The reads stay the same however many members a meeting expects (the inserts are
    send_notice's, counted apart)."""
    from dangjian.meetings import reminders

    monkeypatch.setattr(reminders, "send_notice", lambda users, *a, **k: len(users))
    member_with_account(world.ha_b1, "甲")
    member_with_account(world.hb_b1, "丁")
    plan(world.ha_b1)
    plan(world.hb_b1)
    with CaptureQueriesContext(connection) as few:
        assert send_meeting_reminders(at(MEETING_DAY, 7, 0)) == 2
    for i in range(6):
        member_with_account(world.ha_b1, f"新{i}")
        member_with_account(world.hb_b1, f"乙{i}")
    Meeting.objects.all().delete()
    plan(world.ha_b1)
    plan(world.hb_b1)
    with CaptureQueriesContext(connection) as many:
        assert send_meeting_reminders(at(MEETING_DAY, 7, 0)) == 14
    assert len(many) == len(few)


def test_periodic_task_runs(branch_people, monkeypatch):
    from dangjian.meetings import reminders
    from dangjian.meetings.tasks import meeting_reminders

    world, users, _ = branch_people
    plan(world.ha_b1)
    monkeypatch.setattr(reminders.timezone, "now", lambda: at(MEETING_DAY, 7, 20))
    meeting_reminders()
    assert inbox(users["甲"], ON_THE_DAY)
