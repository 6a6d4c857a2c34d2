"""The read side of organisational life: required vs held per branch, kind and period,
the `meetings.*` figures, study hours per member.

A meeting counts when it was held inside the period with minutes filed (RULES.md §2); a
general assembly or committee meeting counts only with more than half of its voting
members present (no quorum, no meeting: it stays on record but is not counted).
Counting is done in the database (held meetings grouped by organisation, kind and
month); the required periods are generated from the rules for each organisation.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from dangjian.orgs.figures import SubtreeFigure, ratio, subtree, unit_expr, unit_of
from dangjian.orgs.models import COMMITTEE_POSTS, Organization, OrgKind
from dangjian.orgs.queries import alive_on

from . import rules
from .models import Attendance, AttendanceState, Meeting, MeetingStatus, Study
from .rules import MeetingKind, Unit

BRANCH_KINDS = [k for k in MeetingKind if k != MeetingKind.GROUP_MEETING]
COMMITTEE_MIN_POSTS = 3


def frequencies() -> dict:
    return rules.frequencies(getattr(settings, "DANGJIAN_MEETING_FREQUENCIES", None))


@dataclass
class KindCompliance:
    organization: Organization
    kind: str
    required: int  # periods in which the kind was required
    met: int  # of those, periods with enough meetings held and filed
    missed: list  # the rules.Period values missed

    @property
    def ratio(self) -> float | None:
        return ratio(self.met, self.required)


def _organizations(scope, start: dt.date, end: dt.date):
    """Branches and groups of `scope` alive at the period's end, each branch with whether
    it has a committee (3+ committee posts held). One query."""
    posts = Count("seats", filter=Q(seats__post__in=COMMITTEE_POSTS, seats__ended_on__isnull=True))
    orgs = list(
        scope.filter(alive_on(end), kind__in=(OrgKind.BRANCH, OrgKind.GROUP))
        .annotate(committee_posts=posts)
        .order_by("path")
    )
    with_committee = {o.pk for o in orgs if o.committee_posts >= COMMITTEE_MIN_POSTS}
    return orgs, with_committee


def present_voters():
    """The number of voting members present at the outer meeting (a subquery)."""
    present = (
        Attendance.objects.filter(
            meeting=OuterRef("pk"), state=AttendanceState.PRESENT, is_voter=True
        )
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(present), 0)


def counted_meetings(meetings):
    """The meetings that count toward compliance: filed, and for the kinds that need a
    quorum, more than half of the voting members present (RULES.md §2; a meeting
    without a roll of voters counts as without quorum)."""
    return (
        meetings.filter(status=MeetingStatus.FILED)
        .annotate(present_twice=present_voters() * 2)
        .filter(~Q(kind__in=rules.QUORUM_KINDS) | Q(present_twice__gt=F("expected_voters")))
    )


def _held_rows(scope, start: dt.date, end: dt.date) -> list[dict]:
    """Meetings that count, held in the period in organisations of `scope`, by
    organisation, kind, month (and the organisation's unit). One query."""
    rows = (
        counted_meetings(
            Meeting.objects.filter(
                organization__in=scope.values("pk"),  # SQLite: by the organisation index
                held_on__range=(start, end),
            )
        )
        .annotate(month=TruncMonth("held_on"), unit=unit_expr("organization__path"))
        .values("organization_id", "kind", "month", "unit")
        .annotate(n=Count("id"))
        .order_by()
    )
    return list(rows)


def _held_by_month(rows: list[dict]) -> dict:
    """{(organisation pk, kind): {month start: count}} of `_held_rows`."""
    held: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        held[(row["organization_id"], row["kind"])][month] += row["n"]
    return held


def _kinds_for(org: Organization, with_committee: set) -> list[str]:
    if org.kind == OrgKind.GROUP:
        return [MeetingKind.GROUP_MEETING]
    kinds = list(BRANCH_KINDS)
    if org.pk not in with_committee:
        kinds.remove(MeetingKind.COMMITTEE_MEETING)
    return kinds


def compliance(path: str, start: dt.date, end: dt.date) -> list[KindCompliance]:
    """Required vs held for each branch (and group) and kind over the completed periods
    inside [start, end]. Two queries whatever the number of branches or meetings."""
    scope = subtree(path)
    return _compliance(scope, start, end, _held_by_month(_held_rows(scope, start, end)))


def _compliance(scope, start: dt.date, end: dt.date, held: dict) -> list[KindCompliance]:
    orgs, with_committee = _organizations(scope, start, end)
    freq = frequencies()
    # The completed periods of each unit, and the months each spans, computed once.
    by_unit = {
        unit: [(p, _months_of(p)) for p in rules.completed_periods(start, end, unit)]
        for unit in {rule.unit for rule in freq.values()}
    }
    empty: dict = {}
    results = []
    for org in orgs:
        founded = org.founded_on or start
        for kind in _kinds_for(org, with_committee):
            rule = freq[kind]
            by_month = held.get((org.pk, kind), empty)
            required, missed = 0, []
            for period, months in by_unit[rule.unit]:
                if period.start < founded:
                    continue
                required += 1
                if sum(by_month.get(m, 0) for m in months) < rule.at_least:
                    missed.append(period)
            results.append(KindCompliance(org, kind, required, required - len(missed), missed))
    return results


def _months_of(period) -> list[dt.date]:
    """First days of the months a period spans (held meetings are counted by month)."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def meeting_parts(scope, start: dt.date, end: dt.date) -> dict:
    """Per unit: periods required and met over every branch (and group) and kind, the
    branches with a period required (`branches_measured`) and those of them that missed
    none (`branches_compliant`: they meet every frequency), and the meetings held and
    counted per kind. Two queries."""
    rows = _held_rows(scope, start, end)
    parts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        parts[row["unit"]][f"held_{row['kind']}"] += row["n"]
    missed_by_branch: dict[Organization, bool] = {}
    for r in _compliance(scope, start, end, _held_by_month(rows)):
        part = parts[unit_of(r.organization.path)]
        part["required"] += r.required
        part["met"] += r.met
        if r.organization.kind == OrgKind.BRANCH and r.required:
            missed_by_branch[r.organization] = missed_by_branch.get(r.organization) or bool(
                r.missed
            )
    for branch, missed in missed_by_branch.items():
        part = parts[unit_of(branch.path)]
        part["branches_measured"] += 1
        part["branches_compliant"] += not missed
    return {unit: dict(part) for unit, part in parts.items()}


def finish_meetings(sums: dict) -> dict:
    """The ratio (periods met / periods required over every branch and kind) and, per
    kind, the number of meetings held and filed in the period."""
    required, met = sums.get("required", 0), sums.get("met", 0)
    return {
        "compliance_ratio": ratio(met, required),
        "required": required,
        "met": met,
        **{f"held_{kind}": sums.get(f"held_{kind}", 0) for kind in MeetingKind.values},
    }


# meetings.* of a subtree for a period: meeting_figures(path, start, end).
meeting_figures = SubtreeFigure("meetings", meeting_parts, finish_meetings)


class MeetingReport:
    """The meetings.* figures of one subtree and period (cached per unit, see
    orgs.figures) and, computed on first use, its compliance rows per organisation and
    kind (for comparing the organisations under a hospital)."""

    def __init__(self, path: str, start: dt.date, end: dt.date):
        self.path, self.start, self.end = path, start, end

    @cached_property
    def rows(self) -> list[KindCompliance]:
        return compliance(self.path, self.start, self.end)

    @cached_property
    def figures(self) -> dict:
        return meeting_figures(self.path, self.start, self.end)


def meeting_report(path: str, start: dt.date, end: dt.date) -> MeetingReport:
    return MeetingReport(path, start, end)


def study_hours(person_ids, year: int) -> dict[int, float]:
    """Class hours per person in a calendar year (one query)."""
    rows = (
        Study.objects.filter(person_id__in=person_ids, studied_on__year=year)
        .values("person_id")
        .annotate(hours=Sum("hours"))
    )
    return {row["person_id"]: float(row["hours"]) for row in rows}


def study_hours_of(year: int, person_ref: str = "pk"):
    """The outer person's class hours in a calendar year, as a subquery (0 without any):
    the same sum as `study_hours`, for aggregations over many members."""
    total = (
        Study.objects.filter(person=OuterRef(person_ref), studied_on__year=year)
        .order_by()
        .values("person")
        .annotate(total=Sum("hours"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField())


UNIT_LABELS = dict(Unit.choices)


# ---- at a glance (the home pages) ---------------------------------------------------------
def expected_at(person_id: int, day: dt.date, limit: int = 3) -> list[Attendance]:
    """The member's next meetings (today's first), each as their attendance row with the
    meeting and its organisation. One query."""
    return list(
        Attendance.objects.filter(
            person_id=person_id,
            meeting__status=MeetingStatus.PLANNED,
            meeting__planned_on__gte=day,
        )
        .select_related("meeting", "meeting__organization")
        .order_by("meeting__planned_on", "meeting__starts_at", "meeting_id")[:limit]
    )


def planned_between(org: Organization, start: dt.date, end: dt.date) -> list[Meeting]:
    """Meetings of the subtree planned (not yet held) for days in [start, end]."""
    return list(
        Meeting.objects.filter(
            organization__path__startswith=org.path,
            status=MeetingStatus.PLANNED,
            planned_on__range=(start, end),
        )
        .select_related("organization")
        .order_by("planned_on", "starts_at", "id")
    )
