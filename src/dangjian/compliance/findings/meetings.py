"""Findings about organisational life (RULES.md §2): meetings missing, members absent for
six months, the secretary's yearly lecture, the theme day on its fixed day."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from dangjian.core.dates import add_months
from dangjian.meetings import rules
from dangjian.meetings.calendar import fixed_theme_day, theme_day_settings
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.meetings.queries import compliance
from dangjian.orgs.models import CommitteePost, CommitteeSeat, Organization, OrgKind
from dangjian.orgs.queries import alive_on, subtree_ids
from dangjian.people.models import MEMBER_STATUSES, Person

from .base import RED, YELLOW, Finding

ABSENCE_WINDOW_MONTHS = 12  # look for a six-month run within the last year


# ---- missed meetings ---------------------------------------------------------------
def meeting_findings(org, today) -> list[Finding]:
    """Kinds whose periods ended by `today` lack a meeting that counts: this year's and
    last year's, so December, the fourth quarter and the yearly kinds (组织生活会, 民主评议)
    are found in January too. A period that ends today is still running, so the check
    stops at yesterday."""
    start, end = dt.date(today.year - 1, 1, 1), today - dt.timedelta(days=1)
    found = []
    for row in compliance(org.path, start, end):
        if not row.missed:
            continue
        unit = row.organization
        label = rules.MeetingKind(row.kind).label
        periods = "、".join(p.label for p in row.missed)
        message = f"{unit.name}：{label}未按规定召开（{periods}）"
        ref = f"{row.kind}-{row.missed[-1].start.isoformat()}"
        found.append(Finding(unit.code, "meetings_missing", RED, message, ref=ref, path=unit.path))
    return found


# ---- six months absent -------------------------------------------------------------
def month_states(path: str, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """{person: {month: ATTENDED | MISSED}} for current members expected at meetings held
    in the subtree between start and end. One aggregate query (per person and month)."""
    held = (MeetingStatus.HELD, MeetingStatus.FILED)
    rows = (
        Attendance.objects.filter(
            meeting__organization__path__startswith=path,
            meeting__status__in=held,
            meeting__held_on__range=(start, end),
            # one open status period per person, so this join adds no rows
            person__statuses__ended_on__isnull=True,
            person__statuses__status__in=MEMBER_STATUSES,
        )
        .annotate(month=TruncMonth("meeting__held_on"))
        .values("person_id", "month")
        .annotate(
            attended=Count(
                "pk", filter=Q(state__in=(AttendanceState.PRESENT, AttendanceState.LEAVE))
            )
        )
    )
    states: dict = defaultdict(dict)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        states[row["person_id"]][month] = rules.ATTENDED if row["attended"] else rules.MISSED
    return states


def _months(start: dt.date, count: int) -> list[dt.date]:
    return [add_months(start, i) for i in range(count)]


def first_absent_run(by_month: dict, months: list[dt.date]) -> dt.date | None:
    """The first month of the earliest six-month run of absence (rules.absence_run_start)."""
    start = rules.absence_run_start([by_month.get(m, rules.NOTHING) for m in months])
    return months[start] if start is not None else None


def absence_findings(org, today) -> list[Finding]:
    first_month = add_months(today.replace(day=1), 1 - ABSENCE_WINDOW_MONTHS)
    months = _months(first_month, ABSENCE_WINDOW_MONTHS)
    runs = {}
    for person_id, by_month in month_states(org.path, first_month, today).items():
        start = first_absent_run(by_month, months)
        if start:
            runs[person_id] = start
    if not runs:
        return []
    people = Person.objects.filter(pk__in=runs).select_related("organization")
    found = []
    for person in people:
        unit, since = person.organization, runs[person.pk]
        message = (
            f"{unit.name} {person.name}：自 {since.year}年{since.month}月起连续 6 个月"
            f"无正当理由不参加党的组织生活"
        )
        ref = f"person-{person.pk}-{since.isoformat()}"
        found.append(
            Finding(unit.code, "member_absent_6_months", RED, message, ref=ref, path=unit.path)
        )
    return found


# ---- the secretary's yearly Party lecture -----------------------------------------------
def secretary_lecture_findings(org, today) -> list[Finding]:
    """Branches whose secretary gave no Party lecture in the last full year (RULES.md §2:
    at least one a year, a configurable practice). Any person who held the secretary's
    seat during the year may have given it. Three queries."""
    year = today.year - 1
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    branches = {
        b.pk: b
        for b in Organization.objects.filter(
            alive_on(end), kind=OrgKind.BRANCH, path__startswith=org.path
        ).exclude(founded_on__gt=end)
    }
    secretaries: dict[int, set[int]] = defaultdict(set)
    for org_id, person_id in (
        CommitteeSeat.objects.filter(
            organization_id__in=branches, post=CommitteePost.SECRETARY, started_on__lte=end
        )
        .exclude(ended_on__lt=start)
        .values_list("organization_id", "person_id")
    ):
        secretaries[org_id].add(person_id)
    given = Counter(
        org_id
        for org_id, lecturer in Meeting.objects.filter(
            organization_id__in=branches, kind=rules.MeetingKind.PARTY_LECTURE,
            status=MeetingStatus.FILED, held_on__range=(start, end), lecturer__isnull=False,
        ).values_list("organization_id", "lecturer_id")
        if lecturer in secretaries.get(org_id, ())
    )  # fmt: skip
    found = []
    for org_id, people in secretaries.items():
        if people and given[org_id] < rules.SECRETARY_LECTURES_PER_YEAR:
            unit = branches[org_id]
            message = f"{unit.name}：{year}年支部书记未讲党课（每年至少讲 1 次）"
            found.append(
                Finding(unit.code, "secretary_lecture_missing", YELLOW, message,
                        ref=str(year), path=unit.path)
            )  # fmt: skip
    return found


# ---- the theme day on the fixed day -----------------------------------------------------
def theme_day_findings(org, today) -> list[Finding]:
    """Theme days (主题党日) held on a day other than the fixed one (the branch's own, else
    the hospital's), this year and last, up to yesterday. Two queries."""
    settings = theme_day_settings(org)
    start, end = dt.date(today.year - 1, 1, 1), today - dt.timedelta(days=1)
    held = (
        Meeting.objects.filter(
            organization__in=subtree_ids(org.path),  # SQLite: by the organisation index
            kind=rules.MeetingKind.THEME_DAY, status=MeetingStatus.FILED,
            held_on__range=(start, end),
        )
        .select_related("organization")
        .order_by("organization__path", "held_on")
    )  # fmt: skip
    by_unit: dict[int, list] = defaultdict(list)
    units = {}
    for meeting in held:
        by_unit[meeting.organization_id].append(meeting.held_on)
        units[meeting.organization_id] = meeting.organization
    found = []
    for org_id, days in by_unit.items():
        day_of_month = fixed_theme_day(units[org_id].path, settings)
        off = [d for d in days if d != rules.theme_day_on(d.year, d.month, day_of_month)]
        if not off:
            continue
        unit = units[org_id]
        dates = "、".join(d.isoformat() for d in off)
        message = (
            f"{unit.name}：主题党日应在每月 {day_of_month} 日开展，以下日期未按固定日开展：{dates}"
        )
        found.append(
            Finding(unit.code, "theme_day_off_schedule", YELLOW, message,
                    ref=off[-1].isoformat(), path=unit.path)
        )  # fmt: skip
    return found
