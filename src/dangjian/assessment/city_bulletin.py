"""The city version of the 党政管理通报, for a guidance committee over hospitals (issue
20): the period's city figures, every hospital compared on the figure families, the
hospitals praised with what they did, the hospitals lagging with the reasons found in the
records, and the tasks overdue, summarised per hospital.

- Lagging (通报): exactly the hospitals in whose subtree `dangjian check --on D` finds
  something, D being the day after the period's end (as the hospital bulletin); their
  reasons are the findings counted by rule, with examples.
- Praised (表扬): the hospitals whose branches' mean assessment score for the period is
  green (rules.GREEN_FROM or more), best first, at most PRAISE_LIMIT; what they did is
  read from their row of the comparison. The score is the committee's measure of the
  whole; a praised hospital's findings are still named under the problems, and its
  praise says so.
A fixed number of queries, whatever the number of hospitals.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dangjian.compliance.findings import Finding, collect
from dangjian.compliance.tasks import KIND_LABELS
from dangjian.core.datacache import UNIT_CHARS, unit_of
from dangjian.dashboard.stats import compute_stats
from dangjian.orgs.models import Organization
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

from .bulletin import Bulletin, OverdueTask
from .comparison import HospitalRow, compare
from .rules import GREEN_FROM, Period

PRAISE_LIMIT = 5
EXAMPLES = 2  # examples quoted per rule
# The comparison table of the bulletin: the families, with labels that fit a period.
TABLE = (
    ("assessment.mean_score", "考核平均分"),
    ("meetings.compliant_branches_ratio", "组织生活按期开展的支部"),
    ("dues.on_time_rate", "党费按月交纳率"),
    ("dues.arrears_members", "欠交党费人数"),
    ("tasks.overdue", "逾期任务"),
    ("development.admitted", "发展党员"),
    ("decisions.total", "“三重一大”事项"),
    ("service.activities", "志愿服务（场次）"),
    ("service.on_time_ratio", "问题按期办结率"),
)


def is_city(org: Organization) -> bool:
    """An organisation above the hospitals (a guidance committee): its bulletin compares
    hospitals."""
    return len(org.path) < UNIT_CHARS


@dataclass
class RuleCount:
    kind: str
    label: str
    count: int
    examples: list[str]

    @property
    def text(self) -> str:
        shown = "；".join(self.examples)
        more = "等" if self.count > len(self.examples) else ""
        return f"{self.label} {self.count} 项（如：{shown}{more}）"


@dataclass
class LaggingHospital:
    code: str
    name: str
    path: str
    findings: list[Finding]

    @property
    def by_rule(self) -> list[RuleCount]:
        """The findings counted by rule, the most frequent first, red before yellow."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            groups[finding.kind].append(finding)
        ordered = sorted(
            groups.items(),
            key=lambda kv: (all(f.severity != "red" for f in kv[1]), -len(kv[1]), kv[0]),
        )
        return [
            RuleCount(kind, str(KIND_LABELS.get(kind, kind)), len(items),
                      [f.message for f in items[:EXAMPLES]])
            for kind, items in ordered
        ]  # fmt: skip

    @property
    def red(self) -> int:
        return sum(f.severity == "red" for f in self.findings)

    @property
    def reasons(self) -> list[str]:
        return [rule.text for rule in self.by_rule]


@dataclass
class PraisedHospital:
    organization: Organization
    score: float | None
    deeds: list[str]


@dataclass
class HospitalOverdue:
    name: str
    count: int
    examples: list[str]


@dataclass
class CityBulletin:
    organization: Organization
    period: Period
    figures: dict
    comparison: dict
    laggards: list[LaggingHospital] = field(default_factory=list)
    praised: list[PraisedHospital] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    overdue_by_hospital: list[HospitalOverdue] = field(default_factory=list)
    is_city = True

    @property
    def title(self) -> str:
        return f"{self.organization.name}{self.period.label}公立医院党建工作通报"

    figure_rows = Bulletin.figure_rows

    @property
    def table_header(self) -> list[str]:
        return ["医院党委", *(label for _key, label in TABLE)]

    @property
    def table_rows(self) -> list[list[str]]:
        """Each hospital's cells of TABLE, then the city's."""
        rows = [[row.org.name, *_texts(row.cells)] for row in self.comparison["rows"]]
        return rows + [["全市", *_texts(self.comparison["totals"])]]

    def as_dict(self) -> dict:
        return {
            "org": self.organization.code,
            "period": self.period.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "checked_on": self.period.checked_on.isoformat(),
            "title": self.title,
            "city": True,
            "figures": self.figures,
            "hospitals": {
                "header": self.table_header,
                "rows": self.table_rows,
            },
            "praised": [
                {
                    "org": p.organization.code,
                    "name": p.organization.name,
                    "score": p.score,
                    "deeds": p.deeds,
                }
                for p in self.praised
            ],  # fmt: skip
            "laggards": [
                {
                    "org": lag.code,
                    "name": lag.name,
                    "reasons": lag.reasons,
                    "findings": [f.as_dict() for f in lag.findings],
                }
                for lag in self.laggards
            ],  # fmt: skip
            "overdue_tasks": [
                {"title": t.title, "org": t.organization, "due_on": t.due_on.isoformat()}
                for t in self.overdue
            ],
        }


def _texts(cells) -> list[str]:
    by_key = {cell.column.key: cell for cell in cells}
    return [by_key[key].text for key, _label in TABLE]


def build_city_bulletin(city: Organization, period: Period) -> CityBulletin:
    day = period.checked_on
    comparison = compare(city, period.start, period.end, period)
    bulletin = CityBulletin(city, period, compute_stats(city, period.start, period.end), comparison)
    found = collect(city, day)
    bulletin.laggards = lagging_hospitals(found)
    bulletin.praised = praised_hospitals(
        comparison["rows"], {lag.path: lag for lag in bulletin.laggards}
    )
    names = {row.org.path: row.org.name for row in comparison["rows"]}
    tasks = list(
        overdue_tasks(
            WorkTask.objects.filter(responsible_org__path__startswith=city.path), day
        ).select_related("responsible_org")
    )
    bulletin.overdue = [OverdueTask(t.title, t.responsible_org.name, t.due_on) for t in tasks]
    bulletin.overdue_by_hospital = _overdue_by_hospital(tasks, names)
    return bulletin


def lagging_hospitals(found: list[Finding]) -> list[LaggingHospital]:
    """The hospitals (units) in whose subtree something was found, in tree order. One
    query for the organisations' paths and the hospitals' names."""
    codes = {f.org for f in found}
    paths = dict(Organization.objects.filter(code__in=codes).values_list("code", "path"))
    by_unit: dict[str, list[Finding]] = defaultdict(list)
    for finding in found:
        by_unit[unit_of(finding.path or paths.get(finding.org, ""))].append(finding)
    units = {
        path: (code, name)
        for path, code, name in Organization.objects.filter(path__in=by_unit).values_list(
            "path", "code", "name"
        )
    }
    return [
        LaggingHospital(*units.get(unit, ("", unit)), unit, by_unit[unit])
        for unit in sorted(by_unit)
    ]


def praised_hospitals(
    rows: list[HospitalRow], lagging: dict[str, LaggingHospital]
) -> list[PraisedHospital]:
    scored = []
    for row in rows:
        cells = {cell.column.key: cell for cell in row.cells}
        score = cells["assessment.mean_score"].value
        if score is not None and score >= GREEN_FROM:
            scored.append((row, cells, score))
    scored.sort(key=lambda item: (-item[2], item[0].org.path))
    return [
        PraisedHospital(row.org, score, _deeds(cells, lagging.get(row.org.path)))
        for row, cells, score in scored
    ][:PRAISE_LIMIT]


def _deeds(cells: dict, lagging: LaggingHospital | None) -> list[str]:
    done = []
    score = cells["assessment.mean_score"]
    done.append(f"党支部考核平均 {score.text} 分（{score.detail} 个支部有评分）")
    meetings = cells["meetings.compliant_branches_ratio"]
    if meetings.value is not None:
        done.append(f"组织生活按期开展的支部 {meetings.detail}（{meetings.text}）")
    dues = cells["dues.on_time_rate"]
    if dues.value is not None:
        done.append(f"党费按月交纳率 {dues.text}")
    admitted = cells["development.admitted"].value
    if admitted:
        done.append(f"发展党员 {admitted} 名")
    activities = cells["service.activities"].value
    if activities:
        served = cells["service.people_served"].text
        done.append(f"开展志愿服务 {activities} 场、服务群众 {served} 人次")
    if lagging is None:
        done.append("合规检查未发现问题")
    elif not lagging.red:
        done.append(f"合规检查无严重问题（提醒 {len(lagging.findings)} 项，见“存在的问题”）")
    else:
        done.append(f"另有问题 {len(lagging.findings)} 项须整改，见“存在的问题”")
    return done


def _overdue_by_hospital(tasks: list[WorkTask], names: dict[str, str]) -> list[HospitalOverdue]:
    by_unit: dict[str, list[WorkTask]] = defaultdict(list)
    for task in tasks:
        by_unit[unit_of(task.responsible_org.path)].append(task)
    counts = Counter({unit: len(items) for unit, items in by_unit.items()})
    return [
        HospitalOverdue(
            names.get(unit, unit),
            n,
            [f"{t.title}（{t.responsible_org.name}，{_day(t.due_on)}到期）"
             for t in sorted(by_unit[unit], key=lambda t: t.due_on)[:EXAMPLES]],
        )
        for unit, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]  # fmt: skip


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"
