"""Assessment scores of the branches of a subtree for a period (issue 20): each indicator
of rules.INDICATORS read from the records, a score with its breakdown, a ranking and
red / yellow / green with the reasons. Records of a branch's Party groups count for the
branch. One query per indicator family, whatever the number of branches.

- meetings: periods met ÷ periods required in the period (meetings.queries.compliance);
- dues: bills paid on time ÷ bills due in the period's months (dues.DuesMonthTotal);
- arrears: 1 − members three months or more in arrears ÷ members, on the check day;
- tasks: 1 when no task of the branch is overdue on the check day, else 0;
- study: class hours studied in the period ÷ 32 a year pro rata per member, at most 1;
- service: 1 when the branch led a volunteer activity in the period, else 0.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from dangjian.compliance.findings.organisation import member_counts
from dangjian.dues import rules as dues_rules
from dangjian.dues.models import DuesMonthTotal
from dangjian.dues.queries import arrears
from dangjian.meetings.models import Study
from dangjian.meetings.queries import compliance
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.queries import alive_on
from dangjian.service.models import ServiceActivity
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

from . import rules
from .rules import Period


@dataclass
class Indicator:
    key: str
    label: str
    weight: int
    value: float | None  # 0–1, None without data
    detail: str  # the records behind it, in words

    @property
    def points(self) -> float | None:
        return None if self.value is None else round(self.weight * self.value, 1)


@dataclass
class BranchScore:
    organization: Organization
    indicators: list[Indicator] = field(default_factory=list)
    score: float | None = None
    colour: str = "grey"
    rank: int | None = None

    @property
    def reasons(self) -> list[str]:
        return [
            f"{i.label}：{i.detail}" for i in self.indicators if i.value is not None and i.value < 1
        ]


def _pct(part, whole) -> str:
    return f"{part / whole:.0%}" if whole else "—"


class _Branches:
    """The branches of the subtree, and the branch each organisation path lies in."""

    def __init__(self, org: Organization, period: Period):
        self.list = list(
            Organization.objects.filter(
                alive_on(period.end), kind=OrgKind.BRANCH, path__startswith=org.path
            ).order_by("path")
        )
        self.by_path = {b.path: b for b in self.list}
        self.steplen = org.steplen

    def of(self, path: str) -> Organization | None:
        for end in range(len(path), 0, -self.steplen):
            if path[:end] in self.by_path:
                return self.by_path[path[:end]]
        return None

    def add(self, totals: dict, path: str, *values) -> None:
        branch = self.of(path)
        if branch is not None:
            old = totals.get(branch.pk, (0,) * len(values))
            totals[branch.pk] = tuple(a + b for a, b in zip(old, values, strict=True))


def branch_scores(org: Organization, period: Period) -> list[BranchScore]:
    branches = _Branches(org, period)
    if not branches.list:
        return []
    day, span = period.checked_on, (period.start, period.end)
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1

    meetings: dict = {}
    for row in compliance(org.path, *span):
        branches.add(meetings, row.organization.path, row.met, row.required)
    dues: dict = {}
    for path, due, on_time in (
        DuesMonthTotal.objects.filter(
            organization__path__startswith=org.path, month__range=span, due__gt=0
        )
        .order_by()
        .values_list("organization__path")
        .annotate(Sum("due"), Sum("on_time"))
    ):
        branches.add(dues, path, due, on_time)
    people: dict = {}
    for path, (_full, members) in member_counts(org.path, day).items():
        branches.add(people, path, members)
    owing: dict = {}
    for (path,) in arrears(org.path, day, dues_rules.ARREARS_REMIND_MONTHS).values_list(
        "organization__path"
    ):
        branches.add(owing, path, 1)
    overdue: dict = {}
    for path, n in (
        overdue_tasks(WorkTask.objects.filter(responsible_org__path__startswith=org.path), day)
        .order_by()
        .values_list("responsible_org__path")
        .annotate(Count("pk"))
    ):
        branches.add(overdue, path, n)
    study: dict = {}
    for path, hours in (
        Study.objects.filter(
            person__organization__path__startswith=org.path, studied_on__range=span
        )
        .order_by()
        .values_list("person__organization__path")
        .annotate(Sum("hours"))
    ):
        branches.add(study, path, float(hours or 0))
    service: dict = {}
    for path, n in (
        ServiceActivity.objects.filter(organization__path__startswith=org.path, held_on__range=span)
        .order_by()
        .values_list("organization__path")
        .annotate(Count("pk"))
    ):
        branches.add(service, path, n)

    scores = []
    for branch in branches.list:
        pk = branch.pk
        met, required = meetings.get(pk, (0, 0))
        due, on_time = dues.get(pk, (0, 0))
        (members,) = people.get(pk, (0,))
        (owe,) = owing.get(pk, (0,))
        (late,) = overdue.get(pk, (0,))
        (hours,) = study.get(pk, (0.0,))
        (held,) = service.get(pk, (0,))
        target = rules.study_target(months, members)
        found = {
            "meetings": (met / required if required else None,
                         f"应开展 {required} 次，按期开展 {met} 次（{_pct(met, required)}）"),
            "dues": (on_time / due if due else None,
                     f"应交 {due} 人次，按月交纳 {on_time} 人次（{_pct(on_time, due)}）"),
            "arrears": (1 - owe / members if members else None,
                        f"党员 {members} 名，欠交 3 个月以上 {owe} 名"),
            "tasks": (0.0 if late else 1.0, f"逾期未销号任务 {late} 项"),
            "study": (min(1.0, hours / target) if target else None,
                      f"学习 {hours:g} 学时，应完成 {target:g} 学时（{_pct(hours, target)}）"),
            "service": (1.0 if held else 0.0, f"开展志愿服务 {held} 场"),
        }  # fmt: skip
        indicators = [
            Indicator(key, label, weight, *found[key]) for key, label, weight in rules.INDICATORS
        ]
        points = rules.score({i.key: i.value for i in indicators})
        scores.append(BranchScore(branch, indicators, points, rules.colour(points)))
    ranked = sorted(scores, key=lambda s: (s.score is None, -(s.score or 0), s.organization.path))
    for position, entry in enumerate(ranked, 1):
        entry.rank = position if entry.score is not None else None
    return ranked
