"""Meeting reminders: every member expected at a planned meeting (an attendance row whose
person has an active account, not yet on leave or checked in) is told the day before (明天…) and on the day, in the
morning (今天…), with the place, the date and the time, and a link to the meeting page
(where the member checks in).

A reminder is sent once per person, meeting, kind of reminder and date. The date lives
in the notice's link with the kind (the pattern of dues/reminders.py), so a rerun, a
retry or a second worker sends nothing twice, and a meeting moved to another day is a
new reminder for its new date. Only meetings still planned are read, by their current
date: a meeting moved away, recorded as held or removed is not reminded at its old date.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.services import already_notified, send_notice
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospitals

from .models import Attendance, AttendanceState, Meeting, MeetingStatus

DAY_BEFORE = "meeting_day_before"
ON_THE_DAY = "meeting_on_the_day"
KIND_LABELS = {
    DAY_BEFORE: gettext_lazy("会议提醒（前一天）"),
    ON_THE_DAY: gettext_lazy("会议提醒（当天）"),
}
# The on-the-day reminder of a meeting without a start time is sent only before noon:
# an evening run would otherwise tell members of a meeting that is over.
MORNING_ENDS = dt.time(12, 0)
TITLE_CHARS = 80  # the topic may be long; the notice's title holds 200


def reminder_link(meeting: Meeting, kind: str) -> str:
    """The meeting page; the fragment (kind and date) is the reminder's identity."""
    what = "eve" if kind == DAY_BEFORE else "day"
    page = reverse("meetings:detail", args=[meeting.pk])
    return f"{page}#remind-{what}-{meeting.planned_on.isoformat()}"


def send_meeting_reminders(now: dt.datetime | None = None) -> int:
    """Remind the expected members of tomorrow's and today's planned meetings, hospital by
    hospital; returns the number of notices sent."""
    now = timezone.localtime(now or timezone.now())
    return sum(remind_hospital(hospital, now) for hospital in hospitals())


def due_kinds(meeting: Meeting, now: dt.datetime) -> list[str]:
    """Which reminders the meeting is due at `now`: the day before, or on its day until
    it starts (untimed: until noon)."""
    today = now.date()
    if meeting.planned_on == today + dt.timedelta(days=1):
        return [DAY_BEFORE]
    if meeting.planned_on == today:
        if meeting.starts_at:
            return [ON_THE_DAY] if now < meeting.starts_at else []
        return [ON_THE_DAY] if now.time() < MORNING_ENDS else []
    return []


@transaction.atomic
def remind_hospital(hospital: Organization, now: dt.datetime) -> int:
    """Two reads (the expected members with accounts, the notices already sent), then one
    insert per meeting and kind, however many members each meeting expects."""
    today = now.date()
    rows = (
        Attendance.objects.filter(
            meeting__organization__path__startswith=hospital.path,
            meeting__status=MeetingStatus.PLANNED,
            meeting__planned_on__in=(today, today + dt.timedelta(days=1)),
            # Not those on leave already, nor those who have checked in.
            state=AttendanceState.PENDING,
            person__user__is_active=True,
        )
        .select_related("meeting__organization", "person__user")
        .order_by("meeting__planned_on", "meeting_id", "person_id")
    )
    users: dict = defaultdict(dict)  # meeting -> {user id: user}
    meetings: dict[int, Meeting] = {}
    for row in rows:
        meetings[row.meeting_id] = row.meeting
        users[row.meeting_id][row.person.user_id] = row.person.user
    plans = [
        (meeting, kind, reminder_link(meeting, kind))
        for meeting in meetings.values()
        for kind in due_kinds(meeting, now)
    ]
    if not plans:
        return 0
    sent = 0
    for kind in (DAY_BEFORE, ON_THE_DAY):
        links = [link for _, k, link in plans if k == kind]
        if not links:
            continue
        ids = {pk for meeting, k, _ in plans if k == kind for pk in users[meeting.pk]}
        already = already_notified(kind, links, ids)
        for meeting, k, link in plans:
            if k != kind:
                continue
            fresh = [u for pk, u in users[meeting.pk].items() if (pk, link) not in already]
            if fresh:
                title, body = message(meeting, kind)
                sent += send_notice(fresh, title, body, link=link, kind=kind)
    return sent


def when_text(meeting: Meeting) -> str:
    """“12月5日（星期六）14:30–16:00”; the date alone when no time is set."""
    weekdays = (_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日"))
    day = meeting.planned_on
    text = _("%(m)d月%(d)d日（星期%(w)s）") % {
        "m": day.month,
        "d": day.day,
        "w": weekdays[day.weekday()],
    }
    if meeting.starts_at:
        text += f" {timezone.localtime(meeting.starts_at):%H:%M}"
        if meeting.ends_at:
            text += f"–{timezone.localtime(meeting.ends_at):%H:%M}"
    return text


def message(meeting: Meeting, kind: str) -> tuple[str, str]:
    values = {
        "summary": meeting.summary,
        "title": Truncator(meeting.summary).chars(TITLE_CHARS),
        "org": meeting.organization.name,
        "when": when_text(meeting),
        "place": meeting.place or _("（地点待通知）"),
    }
    if kind == DAY_BEFORE:
        title = _("明天%(when)s：%(title)s") % values
    else:
        title = _("今天%(when)s：%(title)s") % values
    body = (
        _(
            "%(org)s · %(summary)s\n时间：%(when)s\n地点：%(place)s\n"
            "请准时参加，到场后扫描会场二维码签到；不能参加请向支部请假。"
        )
        % values
    )
    return title, body
