"""Findings about organisational life (RULES.md §2): meetings missing, members absent for
six months."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from dangjian.core.dates import add_months
from dangjian.meetings import rules
from dangjian.meetings.models import Attendance, AttendanceState, MeetingStatus
from dangjian.meetings.queries import compliance
from dangjian.people.models import MEMBER_STATUSES, Person

from .base import RED, Finding

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
    """The first month of the earliest six-month run of MISSED, if any."""
    sequence = [by_month.get(m, rules.NOTHING) for m in months]
    if not rules.absent_six_months(sequence):
        return None
    run = 0
    for i, state in enumerate(sequence):
        run = run + 1 if state == rules.MISSED else 0
        if run == rules.ABSENCE_MONTHS:
            return months[i - run + 1]
    return None


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
