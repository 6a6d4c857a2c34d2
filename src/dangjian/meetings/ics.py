"""The Party-building calendar as iCalendar (RFC 5545), for phone calendars.

A meeting with a start time is a timed event in Asia/Shanghai (DTSTART;TZID=… with the
zone's VTIMEZONE in the file); a meeting without one, and every required activity, is an
all-day event. A planned meeting carries two alarms:

- the evening before at 20:00: hospital staff arrange their duty (调班) for the next day
  after the day shift, and members on night duty can still ask for leave;
- 30 minutes before the start (the setting DANGJIAN_CHECK_IN_OPENS_MINUTES): when the
  QR check-in opens, so the reminder and the check-in meet.

Held and filed meetings have none (their time has passed). Required activities have none
either: they are the secretary's deadlines, which the compliance reminders already chase.
"""

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .calendar import Activity
from .models import Meeting, MeetingStatus

EVENING_BEFORE = dt.time(20, 0)
# A meeting with a start and no end shows as an hour (a zero-length event is easy to miss).
DEFAULT_LENGTH = dt.timedelta(hours=1)


def new_calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//dangjian//party-building calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def finish(cal: icalendar.Calendar) -> bytes:
    """The calendar with a VTIMEZONE for every zone its times use."""
    cal.add_missing_timezones()
    return cal.to_ical()


def _alarm(trigger: dt.timedelta, text: str) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", text)
    return alarm


def _check_in_lead() -> dt.timedelta:
    minutes = getattr(settings, "DANGJIAN_CHECK_IN_OPENS_MINUTES", rules.CHECK_IN_OPENS_MINUTES)
    return dt.timedelta(minutes=minutes)


def meeting_times(meeting: Meeting) -> tuple[dt.datetime, dt.datetime] | None:
    """(start, end) in local time when the meeting is timed on its day; None otherwise."""
    if not meeting.starts_at:
        return None
    start = timezone.localtime(meeting.starts_at)
    if start.date() != (meeting.held_on or meeting.planned_on):
        return None  # held on another day than planned: the time no longer applies
    end = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
    if end is None or end <= start:
        end = start + DEFAULT_LENGTH
    return start, end


def meeting_event(
    meeting: Meeting, stamp: dt.datetime, base_url: str, with_org: bool = False
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@dangjian")
    event.add("dtstamp", stamp)
    event.add("last-modified", meeting.updated_at)
    summary = meeting.summary
    event.add("summary", f"{meeting.organization.name} · {summary}" if with_org else summary)
    times = meeting_times(meeting)
    day = meeting.held_on or meeting.planned_on
    if times:
        event.add("dtstart", times[0])
        event.add("dtend", times[1])
    else:
        event.add("dtstart", day)  # a date: an all-day event
        event.add("dtend", day + dt.timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    link = base_url + reverse("meetings:detail", args=[meeting.pk])
    event.add("url", link)
    event.add("description", _description(meeting, link))
    event.add("status", "CONFIRMED")
    if meeting.status == MeetingStatus.PLANNED:
        start = times[0] if times else None
        event.add_component(_alarm(_evening_before(day, start), _("明天：%s") % summary))
        if start:
            event.add_component(_alarm(-_check_in_lead(), _("即将开始，可扫码签到：%s") % summary))
    return event


def _evening_before(day: dt.date, start: dt.datetime | None) -> dt.timedelta:
    """The trigger (relative to the start) that rings at 20:00 the day before; an
    all-day event starts at midnight."""
    evening = dt.datetime.combine(day - dt.timedelta(days=1), EVENING_BEFORE)
    begins = start.replace(tzinfo=None) if start else dt.datetime.combine(day, dt.time(0, 0))
    return evening - begins


def _description(meeting: Meeting, link: str) -> str:
    lines = [
        _("党组织：%(org)s") % {"org": meeting.organization.name},
        _("类别：%(kind)s") % {"kind": meeting.get_kind_display()},
        _("主题：%(topic)s") % {"topic": meeting.topic},
        _("状态：%(status)s") % {"status": meeting.get_status_display()},
    ]
    if meeting.host:
        lines.append(_("主持人：%(host)s") % {"host": meeting.host})
    if meeting.place:
        lines.append(_("地点：%(place)s") % {"place": meeting.place})
    lines.append(_("会议页面（签到、请假、记录）：%(link)s") % {"link": link})
    return "\n".join(lines)


def activity_event(
    org_code: str, org_name: str, activity: Activity, description: str, stamp
) -> icalendar.Event:
    event = icalendar.Event()
    uid = f"required-{org_code}-{activity.kind}-{activity.period.start.isoformat()}@dangjian"
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.due_on)
    event.add("dtend", activity.due_on + dt.timedelta(days=1))
    event.add("summary", f"{org_name} {activity.label}")
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not a busy day
    return event


def add_meetings(
    cal: icalendar.Calendar, meetings: Iterable[Meeting], base_url: str, with_org: bool = False
) -> None:
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, stamp, base_url, with_org))
