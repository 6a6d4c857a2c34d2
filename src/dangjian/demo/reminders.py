"""What the demo's inbox shows on the day it is loaded: a meeting of the demo accounts'
branch planned for tomorrow, a member of that branch whose 政治生日 is today, and the
day's reminders sent once (the job runner sends the later ones).

The member keeps their whole history, moved as one to the day's month and day of a year
long past (the intervals between the stages stay the same), so no period the figures
quote changes.
"""

import datetime as dt

from django.utils import timezone

from dangjian.core.dates import add_years

from .hospitals_a import H01_ACCOUNT_BRANCH
from .workbook import PersonRow, Roster

TOMORROW_TOPIC = "党课：学习贯彻党的二十届三中全会精神"
TOMORROW_PLACE = "门诊楼三楼党员活动室"
TOMORROW_HOURS = (dt.time(14, 30), dt.time(16, 0))
LONG_AGO_YEARS = 10  # older than every period a demo figure quotes


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def celebrate_today(roster: Roster, today: dt.date, avoid: tuple[PersonRow, ...]) -> PersonRow:
    """Move the admission of the branch's first long-standing full member (not a demo
    account's) to today's month and day; the same rows and day give the same member."""
    person = next(
        p
        for p in roster.people
        if p.org == H01_ACCOUNT_BRANCH
        and p.status == "正式党员"
        and p.admitted_on is not None
        and p.admitted_on.year < today.year - LONG_AGO_YEARS  # still so once moved
        and all(p is not other for other in avoid)
    )
    year = person.admitted_on.year
    if (today.month, today.day) == (2, 29):
        while not _is_leap(year):  # joined on a 29 February
            year -= 1
    shift = dt.date(year, today.month, today.day) - person.admitted_on
    for field in ("applied_on", "activist_on", "candidate_on", "admitted_on"):
        day = getattr(person, field)
        if day is not None:
            setattr(person, field, day + shift)
    person.full_on = add_years(person.admitted_on, 1)  # probation is one year
    return person


def plan_tomorrow(today: dt.date):
    """A Party lecture of the demo accounts' branch tomorrow afternoon, through the
    service (its expected members, an audit entry)."""
    from dangjian.meetings.rules import MeetingKind
    from dangjian.meetings.services import plan_meeting
    from dangjian.orgs.models import Organization

    branch = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    day = today + dt.timedelta(days=1)
    start, end = (timezone.make_aware(dt.datetime.combine(day, t)) for t in TOMORROW_HOURS)
    return plan_meeting(
        branch, kind=MeetingKind.PARTY_LECTURE, topic=TOMORROW_TOPIC, planned_on=day,
        starts_at=start, ends_at=end, place=TOMORROW_PLACE, host="支部书记",
    )  # fmt: skip


def load_demo_inbox(today: dt.date) -> int:
    """Tomorrow's meeting, then the load day's reminders; the notices sent."""
    plan_tomorrow(today)
    return send_todays_reminders(today)


def send_todays_reminders(today: dt.date) -> int:
    """The meeting reminders, 政治生日 and the month's dues reminder (from the 10th) of
    the load day, as the morning runs send them."""
    from dangjian.dues.reminders import send_month_reminders
    from dangjian.meetings.reminders import send_meeting_reminders
    from dangjian.people.reminders import send_political_birthdays

    now = timezone.now()
    if timezone.localdate(now) != today:  # a demo loaded for another day (tests)
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(7, 20)))
    return (
        send_meeting_reminders(now) + send_political_birthdays(today) + send_month_reminders(today)
    )
