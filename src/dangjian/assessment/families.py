"""The records behind the assessment indicators, gathered per branch of a subtree for a
period: one query (two for development) per family, whatever the number of branches or
hospitals. A record of a branch's Party group counts for the branch; a record above the
branches (a hospital committee's own) counts for none. `Raw` keeps, per branch, the sums
each indicator is computed from and the few records worth naming (overdue tasks, late
development steps, honours)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from dangjian.compliance.findings.organisation import member_counts
from dangjian.development.queries import pipeline_rows
from dangjian.dues import rules as dues_rules
from dangjian.dues.models import DuesMonthTotal
from dangjian.dues.queries import arrears
from dangjian.honors.models import Honor, Level
from dangjian.meetings.models import Attendance, AttendanceState, MeetingStatus, Study
from dangjian.meetings.queries import compliance
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.queries import alive_on
from dangjian.people.models import MEMBER_STATUSES, Membership, Person
from dangjian.people.queries import open_on, status_on
from dangjian.points.queries import totals as points_totals
from dangjian.points.services import rules_for
from dangjian.service.models import ServiceActivity
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

from . import rules
from .judgements import Appraisal
from .rules import Period

HELD = (MeetingStatus.HELD, MeetingStatus.FILED)
LEVEL_LABELS = dict(Level.choices)


@dataclass
class Raw:
    """The sums of one branch (or of a hospital's branches, added up)."""

    met: int = 0
    required: int = 0
    present: int = 0
    attendance: int = 0
    due: int = 0
    on_time: int = 0
    members: int = 0
    owing: int = 0
    pipeline: int = 0
    late: int = 0
    overdue: int = 0
    hours: float = 0.0
    target: float = 0.0
    service: int = 0
    appraised: int = 0
    excellent: int = 0
    points_mean: float | None = None
    branches: int = 1  # a hospital's: how many branches were added
    branches_without_overdue: int = 0
    branches_serving: int = 0
    overdue_titles: list = field(default_factory=list)
    late_steps: list = field(default_factory=list)
    honours: list = field(default_factory=list)  # (level, title)

    def add(self, other: "Raw") -> None:
        for name in ("met", "required", "present", "attendance", "due", "on_time", "members",
                     "owing", "pipeline", "late", "overdue", "service", "appraised",
                     "excellent"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hours += other.hours
        self.target += other.target
        self.branches += other.branches
        self.branches_without_overdue += other.branches_without_overdue
        self.branches_serving += other.branches_serving
        self.overdue_titles += other.overdue_titles
        self.late_steps += other.late_steps
        self.honours += other.honours


class Branches:
    """The branches of the subtree alive at the period's end, and the branch each
    organisation path lies in."""

    def __init__(self, org: Organization, period: Period):
        self.list = list(
            Organization.objects.filter(
                alive_on(period.end), kind=OrgKind.BRANCH, path__startswith=org.path
            ).order_by("path")
        )
        self.by_path = {b.path: b for b in self.list}
        self.steplen = org.steplen

    @classmethod
    def only(cls, branch: Organization) -> "Branches":
        """One branch (with its groups), without a query."""
        found = cls.__new__(cls)
        found.list, found.by_path, found.steplen = [branch], {branch.path: branch}, branch.steplen
        return found

    def of(self, path: str) -> Organization | None:
        for end in range(len(path), 0, -self.steplen):
            if path[:end] in self.by_path:
                return self.by_path[path[:end]]
        return None


def gather(org: Organization, period: Period, *, with_points: bool = True) -> tuple[list, dict]:
    """(the branches, {branch pk: Raw}) of the subtree for the period."""
    branches = Branches(org, period)
    raw = {b.pk: Raw() for b in branches.list}
    if not branches.list:
        return [], raw

    def at(path):
        branch = branches.of(path)
        return raw[branch.pk] if branch is not None else None

    day, span = period.checked_on, (period.start, period.end)
    for row in compliance(org.path, *span):
        if (r := at(row.organization.path)) is not None:
            r.met += row.met
            r.required += row.required
    attendance = (
        Attendance.objects.filter(
            meeting__organization__path__startswith=org.path, meeting__status__in=HELD,
            meeting__held_on__range=span,
        )
        .exclude(state=AttendanceState.PENDING)
        .order_by()
        .values_list("meeting__organization__path")
        .annotate(present=Count("pk", filter=Q(state=AttendanceState.PRESENT)), n=Count("pk"))
    )  # fmt: skip
    for path, present, total in attendance:
        if (r := at(path)) is not None:
            r.present += present
            r.attendance += total
    for path, due, on_time in (
        DuesMonthTotal.objects.filter(
            organization__path__startswith=org.path, month__range=span, due__gt=0
        )
        .order_by()
        .values_list("organization__path")
        .annotate(Sum("due"), Sum("on_time"))
    ):
        if (r := at(path)) is not None:
            r.due += due
            r.on_time += on_time
    for path, (_full, members) in member_counts(org.path, day).items():
        if (r := at(path)) is not None:
            r.members += members
    for (path,) in arrears(org.path, day, dues_rules.ARREARS_REMIND_MONTHS).values_list(
        "organization__path"
    ):
        if (r := at(path)) is not None:
            r.owing += 1
    _development(org, day, at)
    tasks = overdue_tasks(WorkTask.objects.filter(responsible_org__path__startswith=org.path), day)
    for path, title, due_on in tasks.values_list("responsible_org__path", "title", "due_on"):
        if (r := at(path)) is not None:
            r.overdue += 1
            r.overdue_titles.append(f"{title}（{due_on:%Y-%m-%d} 到期）")
    for path, hours in (
        Study.objects.filter(
            person__organization__path__startswith=org.path, studied_on__range=span
        )
        .annotate(status=status_on(day, "person"))  # members' hours, as the target counts
        .filter(status__in=MEMBER_STATUSES)
        .order_by()
        .values_list("person__organization__path")
        .annotate(Sum("hours"))
    ):
        if (r := at(path)) is not None:
            r.hours += float(hours or 0)
    for path, n in (
        ServiceActivity.objects.filter(organization__path__startswith=org.path, held_on__range=span)
        .order_by()
        .values_list("organization__path")
        .annotate(Count("pk"))
    ):
        if (r := at(path)) is not None:
            r.service += n
    honours = Honor.objects.filter(
        organization__path__startswith=org.path, awarded_on__range=span, revoked_on__isnull=True
    ).values_list("organization__path", "level", "title", "person__name")
    for path, level, title, person in honours:
        if (r := at(path)) is not None:
            who = f"{person}：" if person else ""
            r.honours.append((level, f"{who}{title}（{LEVEL_LABELS.get(level, level)}）"))
    if rules.is_annual(period):
        _appraisals(org, period, at)
        if with_points and org.depth >= 2:  # one hospital's scheme (RULES.md §6)
            _points(org, period, branches, raw)
    for branch_raw in raw.values():
        branch_raw.target = rules.study_target(rules.months_of(period), branch_raw.members)
        branch_raw.branches_without_overdue = int(not branch_raw.overdue)
        branch_raw.branches_serving = int(bool(branch_raw.service))
    return branches.list, raw


def _development(org, day: dt.date, at) -> None:
    """People on the way to membership, and those with a step overdue on the check day
    (what `check` reports as development_overdue). Two queries."""
    people = Person.objects.filter(organization__path__startswith=org.path)
    for row in pipeline_rows(people, day):
        if (r := at(row.person.organization.path)) is None:
            continue
        r.pipeline += 1
        late = [d for d in row.due if d.overdue(day)]
        if late:
            r.late += 1
            r.late_steps.append(f"{row.person.name}：{late[0].what}应于 {late[0].due_on} 前完成")


def _appraisals(org, period: Period, at) -> None:
    rows = (
        Appraisal.objects.filter(organization__path__startswith=org.path, year=period.start.year)
        .order_by()
        .values_list("organization__path")
        .annotate(n=Count("pk"), excellent=Count("pk", filter=Q(grade="excellent")))
    )
    for path, n, excellent in rows:
        if (r := at(path)) is not None:
            r.appraised += n
            r.excellent += excellent


def members_by_branch(org, day: dt.date, branches: Branches) -> dict[int, list[int]]:
    """{branch pk: person ids of its members on the day}. One query."""
    rows = (
        Membership.objects.filter(open_on(day), organization__path__startswith=org.path)
        .annotate(status=status_on(day, "person"))
        .filter(status__in=MEMBER_STATUSES)
        .values_list("person_id", "organization__path")
    )
    found = defaultdict(list)
    for person_id, path in rows:
        branch = branches.of(path)
        if branch is not None:
            found[branch.pk].append(person_id)
    return found


def hospital_of(org: Organization) -> Organization:
    """The hospital committee an organisation lies in (itself at depth 2). One query."""
    return org if org.depth <= 2 else Organization.objects.get(path=org.hospital_path)


def best_points_mean(org: Organization, period: Period) -> float | None:
    """The best branch's mean points in the whole hospital containing `org`, so that a
    branch scores the same whichever part of the hospital is viewed."""
    hospital = hospital_of(org)
    branches = Branches(hospital, period)
    raw = {b.pk: Raw() for b in branches.list}
    _points(hospital, period, branches, raw)
    return max((r.points_mean for r in raw.values() if r.points_mean is not None), default=None)


def _points(org, period: Period, branches: Branches, raw: dict) -> None:
    """The mean of the members' points for the year under the hospital's rules."""
    members = members_by_branch(org, period.end, branches)
    every = [pk for ids in members.values() for pk in ids]
    if not every:
        return
    year = period.start.year
    points = points_totals(every, year, rules_for(org, year), period.checked_on)
    for pk, ids in members.items():
        raw[pk].points_mean = float(sum(points[i] for i in ids)) / len(ids)
