"""The Party-building calendar (党建日历): the activities RULES.md §2 requires of one branch
(or Party group) in one year, each with its due date and whether it was done.

`plan_year` is pure (kinds, year, theme day, held dates → activities) and table-tested;
`year_activities` reads what it needs for one organisation in three queries, whatever
the number of meetings.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from dangjian.core.dates import add_months
from dangjian.orgs.models import COMMITTEE_POSTS, Organization, OrgKind
from dangjian.people.queries import open_on

from . import rules
from .models import Attendance, CalendarSettings, Meeting, MeetingStatus
from .queries import BRANCH_KINDS, COMMITTEE_MIN_POSTS, frequencies
from .rules import MeetingKind, Period, Unit

# What a subscribed feed covers: from the start of the month six months back (last
# term's meetings stay in the phone's calendar) to the end of the month a year ahead.
FEED_MONTHS_BACK, FEED_MONTHS_AHEAD = 6, 12

# The order in which a day's activities are listed.
KIND_ORDER = {kind: i for i, kind in enumerate(MeetingKind.values)}


@dataclass(frozen=True)
class Activity:
    """One required activity: its kind, the period it belongs to and when it is due (the
    theme day's own date; for the others the period's last day)."""

    kind: str
    period: Period
    due_on: dt.date
    done: bool

    @property
    def label(self) -> str:
        return str(MeetingKind(self.kind).label)

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due_on < today

    def state(self, today: dt.date) -> str:
        """'done', 'overdue' or 'pending' (the page colours and the feed's text)."""
        if self.done:
            return "done"
        return "overdue" if self.overdue(today) else "pending"


def required_kinds(org_kind: str, has_committee: bool) -> list[str]:
    """A group holds group meetings; a branch everything else, committee meetings only
    when it has a committee. Other levels have no calendar of their own."""
    if org_kind == OrgKind.GROUP:
        return [MeetingKind.GROUP_MEETING]
    if org_kind != OrgKind.BRANCH:
        return []
    return [k for k in BRANCH_KINDS if has_committee or k != MeetingKind.COMMITTEE_MEETING]


def plan_year(
    kinds: list[str],
    year: int,
    theme_day: int = rules.DEFAULT_THEME_DAY,
    held: dict | None = None,
    freq: dict | None = None,
    founded_on: dt.date | None = None,
) -> list[Activity]:
    """Every required activity of `kinds` in `year`, in date order. `held` maps a kind
    to the dates its filed meetings were held; a period is done when it holds at least
    the frequency's number of them. Periods ending before `founded_on` are not required."""
    freq = freq or rules.frequencies()
    held = held or {}
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    activities = []
    for kind in kinds:
        rule = freq[kind]
        dates = held.get(kind, ())
        for period in rules.periods_between(year_start, year_end, rule.unit):
            if founded_on and period.end < founded_on:
                continue
            if kind == MeetingKind.THEME_DAY and rule.unit == Unit.MONTH:
                due_on = rules.theme_day_on(year, period.start.month, theme_day)
            else:
                due_on = period.end
            done = sum(1 for day in dates if day in period) >= rule.at_least
            activities.append(Activity(kind, period, due_on, done))
    return sorted(activities, key=lambda a: (a.due_on, KIND_ORDER[a.kind]))


def theme_day_of(org: Organization) -> int:
    return fixed_theme_day(org.path, theme_day_settings(org))


def theme_day_settings(org: Organization) -> dict[str, int]:
    """{path: fixed theme day} set in the organisation's subtree or above it. One query."""
    above = [org.path[:end] for end in range(org.steplen, len(org.path), org.steplen)]
    rows = CalendarSettings.objects.filter(
        Q(organization__path__startswith=org.path) | Q(organization__path__in=above)
    ).values_list("organization__path", "theme_day")
    return dict(rows)


def fixed_theme_day(path: str, settings: dict[str, int]) -> int:
    """The organisation's own fixed day, else its nearest ancestor's (the hospital's),
    else the 15th."""
    for end in range(len(path), 0, -Organization.steplen):
        if path[:end] in settings:
            return settings[path[:end]]
    return rules.DEFAULT_THEME_DAY


def has_committee(org: Organization, day: dt.date) -> bool:
    seats = org.seats.filter(open_on(day), post__in=COMMITTEE_POSTS).aggregate(n=Count("pk"))
    return seats["n"] >= COMMITTEE_MIN_POSTS


def held_dates(org: Organization, year: int) -> dict[str, list[dt.date]]:
    """{kind: [held_on, …]} of the organisation's filed meetings in the year. One query."""
    rows = Meeting.objects.filter(
        organization=org, status=MeetingStatus.FILED, held_on__year=year
    ).values_list("kind", "held_on")
    held: dict = defaultdict(list)
    for kind, day in rows:
        held[kind].append(day)
    return held


def year_activities(org: Organization, year: int, today: dt.date | None = None) -> list[Activity]:
    """The organisation's calendar for the year (committee as of `today` or year end)."""
    day = min(today or dt.date(year, 12, 31), dt.date(year, 12, 31))
    kinds = required_kinds(org.kind, org.kind == OrgKind.BRANCH and has_committee(org, day))
    if not kinds:
        return []
    return plan_year(
        kinds,
        year,
        theme_day=theme_day_of(org),
        held=held_dates(org, year),
        freq=frequencies(),
        founded_on=org.founded_on,
    )


def meetings_between(org: Organization, start: dt.date, end: dt.date):
    """Planned and held meetings of the organisation dated inside [start, end]."""
    return (
        Meeting.objects.filter(_dated(start, end), organization=org)
        .select_related("organization")
        .order_by("planned_on", "id")
    )


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, last day] of a subscribed feed around `today`."""
    first = add_months(today.replace(day=1), -FEED_MONTHS_BACK)
    after = add_months(today.replace(day=1), FEED_MONTHS_AHEAD + 1)
    return first, after - dt.timedelta(days=1)


def window_activities(org: Organization, start: dt.date, end: dt.date, today: dt.date):
    """The required activities of every year the window touches (each year's periods
    whole, so a quarter's assembly is not cut at the window's edge)."""
    found = []
    for year in range(start.year, end.year + 1):
        found.extend(year_activities(org, year, today))
    return found


def _dated(start: dt.date, end: dt.date) -> Q:
    return Q(held_on__range=(start, end)) | Q(held_on__isnull=True, planned_on__range=(start, end))


def subtree_meetings(org: Organization, start: dt.date, end: dt.date):
    """Meetings of every organisation in the subtree dated inside [start, end] (the feed
    of a hospital office or a guidance committee). One query."""
    return (
        Meeting.objects.filter(_dated(start, end), organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("planned_on", "id")
    )


def expected_meetings(person_id: int, start: dt.date, end: dt.date):
    """The meetings a member is expected at, dated inside [start, end]. One query."""
    return (
        Meeting.objects.filter(
            _dated(start, end),
            pk__in=Attendance.objects.filter(person_id=person_id).values("meeting"),
        )
        .select_related("organization")
        .order_by("planned_on", "id")
    )
