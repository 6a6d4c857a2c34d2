"""The 党政管理通报 of a subtree and period (SPEC.md §4b), as data that the .docx, the
page and the API render alike.

- Figures: `dashboard.stats.compute_stats` for the subtree and period.
- Laggards (通报批评): exactly the organisations that `dangjian check --on D` reports,
  D being the day after the period's end (every period ended by then counts), each with
  the messages of its findings as its reasons.
- Praise (表扬): branches with no finding at all in their subtree on D that held every
  meeting the rules required in the period (at least one required); what they did is
  the meetings held on time, the volunteer service they led and the problems they
  resolved on time. Ranked by service activities, then meetings, at most PRAISE_LIMIT.
- Tasks overdue: the tasks past their deadline and not closed on D (the same query as
  check's `task_overdue`).
A fixed number of queries, whatever the number of branches.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from dangjian.compliance.findings import Finding, collect
from dangjian.dashboard.labels import LABELS, format_value
from dangjian.dashboard.stats import compute_stats
from dangjian.meetings.queries import compliance
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.queries import alive_on
from dangjian.service.models import Problem, ServiceActivity
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

from .rules import Period

PRAISE_LIMIT = 10

# The figures a bulletin quotes, in order (dashboard.labels names them).
FIGURE_KEYS = (
    "members.total", "members.full", "members.probationary", "organizations.branches",
    "meetings.compliance_ratio", "dues.collected", "dues.on_time_rate", "dues.arrears_members",
    "development.applied", "development.activists", "development.candidates",
    "development.admitted", "tasks.total", "tasks.closed", "tasks.overdue", "decisions.total",
    "decisions.consultations", "decisions.opinions", "service.activities",
    "service.people_served", "service.problems_found", "service.problems_resolved_on_time",
)  # fmt: skip
SEVERITY_LABELS = {"red": "严重", "yellow": "提醒"}


@dataclass
class Laggard:
    code: str
    name: str
    path: str
    findings: list[Finding]

    @property
    def reasons(self) -> list[str]:
        return [f.message for f in self.findings]


@dataclass
class Praised:
    organization: Organization
    meetings_met: int
    kinds: list[str]
    activities: int = 0
    people_served: int = 0
    problems_on_time: int = 0

    @property
    def deeds(self) -> list[str]:
        done = [
            f"按期开展{'、'.join(self.kinds)}共 {self.meetings_met} 次，应开展的组织生活无一缺项"
        ]
        if self.activities:
            done.append(f"开展志愿服务 {self.activities} 场、服务群众 {self.people_served} 人次")
        if self.problems_on_time:
            done.append(f"按期办结群众身边问题 {self.problems_on_time} 件")
        done.append("无欠交党费、无逾期任务，合规检查未发现问题")
        return done


@dataclass
class OverdueTask:
    title: str
    organization: str
    due_on: dt.date


@dataclass
class Bulletin:
    organization: Organization
    period: Period
    figures: dict
    laggards: list[Laggard] = field(default_factory=list)
    praised: list[Praised] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.organization.name}{self.period.label}党政管理通报"

    @property
    def figure_rows(self) -> list[tuple[str, str]]:
        flat = {
            f"{group}.{key}": value
            for group, values in self.figures.items()
            if isinstance(values, dict)
            for key, value in values.items()
        }
        return [(str(LABELS[k]), format_value(k, flat[k])) for k in FIGURE_KEYS if k in flat]

    def as_dict(self) -> dict:
        return {
            "org": self.organization.code,
            "period": self.period.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "checked_on": self.period.checked_on.isoformat(),
            "title": self.title,
            "figures": self.figures,
            "praised": [
                {"org": p.organization.code, "name": p.organization.name, "deeds": p.deeds}
                for p in self.praised
            ],
            "laggards": [
                {"org": lag.code, "name": lag.name, "findings": [f.as_dict() for f in lag.findings]}
                for lag in self.laggards
            ],
            "overdue_tasks": [
                {"title": t.title, "org": t.organization, "due_on": t.due_on.isoformat()}
                for t in self.overdue
            ],
        }


def build_bulletin(org: Organization, period: Period) -> Bulletin:
    day = period.checked_on
    found = collect(org, day)
    bulletin = Bulletin(org, period, compute_stats(org, period.start, period.end))
    bulletin.laggards = laggards(found)
    bulletin.praised = praised(org, period, found)
    bulletin.overdue = [
        OverdueTask(task.title, task.responsible_org.name, task.due_on)
        for task in overdue_tasks(
            WorkTask.objects.filter(responsible_org__path__startswith=org.path), day
        )
    ]
    return bulletin


def laggards(found: list[Finding]) -> list[Laggard]:
    """The organisations the findings name, in tree order, each with its findings (red
    first). One query for the names."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in found:
        by_code[finding.org].append(finding)
    names = dict(Organization.objects.filter(code__in=by_code).values_list("code", "name"))
    rows = [
        Laggard(code, names.get(code, code), items[0].path,
                sorted(items, key=lambda f: (f.severity != "red", f.kind, f.ref)))
        for code, items in by_code.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda lag: (lag.path, lag.code))


def praised(org: Organization, period: Period, found: list[Finding]) -> list[Praised]:
    flagged = {f.path for f in found}
    branches = {
        b.pk: b
        for b in Organization.objects.filter(
            alive_on(period.end), kind=OrgKind.BRANCH, path__startswith=org.path
        )
        if not any(path.startswith(b.path) for path in flagged)
    }
    met: dict[int, list] = defaultdict(list)
    for row in compliance(org.path, period.start, period.end):
        if row.organization.pk in branches:
            met[row.organization.pk].append(row)
    best = {
        pk: Praised(
            branches[pk],
            sum(r.met for r in rows),
            [str(MeetingKind(r.kind).label) for r in rows if r.required],
        )
        for pk, rows in met.items()
        if sum(r.required for r in rows) and all(r.met == r.required for r in rows)
    }
    _add_service(best, period)
    ranked = sorted(
        best.values(),
        key=lambda p: (-p.activities, -p.meetings_met, p.organization.path),
    )
    return ranked[:PRAISE_LIMIT]


def _add_service(best: dict[int, Praised], period: Period) -> None:
    """Service activities each branch led in the period, and its problems resolved on
    time. Two queries."""
    span = (period.start, period.end)
    for row in (
        ServiceActivity.objects.filter(organization_id__in=best, held_on__range=span)
        .values("organization_id")
        .annotate(n=Count("pk"), served=Sum("people_served"))
        .order_by()
    ):
        best[row["organization_id"]].activities = row["n"]
        best[row["organization_id"]].people_served = row["served"] or 0
    on_time = Q(deadline__isnull=True) | Q(resolved_on__lte=F("deadline"))
    for row in (
        Problem.objects.filter(organization_id__in=best, resolved_on__range=span)
        .filter(on_time)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        best[row["organization_id"]].problems_on_time = row["n"]
