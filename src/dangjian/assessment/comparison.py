"""The comparison of a city's hospitals (JOURNEYS.md, guidance committee 1), shared by the
city overview (home.city) and the city bulletin (assessment.city_bulletin): one row per
hospital of the subtree with the figures the committee compares them on, the city's
figures on top, and each hospital flagged where it lags the city.

Every figure comes from the cached, additive parts of the figure families (orgs.figures):
one `unit_parts` call per family gives every hospital's part, and the city's figures are
computed from the sum of the parts, so the page costs the same number of queries for 3
hospitals or 87. A column is a `Column`: the figure, how it is written, and the rate a
hospital is compared with the city on; another figure is one more entry of COLUMNS.

"—" where a hospital has no data: a ratio over nothing, and the counts of what went
wrong (arrears, overdue tasks) where there was nothing to go wrong (no bills, no tasks),
so an empty register never reads as a perfect one. Plain counts (members, activities)
stay 0: none is a fact. The assessment column is the mean branch score of each hospital
for the last full quarter (assessment.scores, one call on the whole city).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dangjian.core.datacache import unit_of
from dangjian.dashboard.labels import format_value
from dangjian.decisions.queries import decision_figures
from dangjian.development.queries import development_figures
from dangjian.dues.queries import dues_figures
from dangjian.meetings.queries import meeting_figures
from dangjian.orgs.figures import add, ratio
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import alive_on, branch_figures
from dangjian.people.queries import member_figures
from dangjian.service.queries import service_figures
from dangjian.tasks.queries import task_figures

from . import rules as assessment_rules
from .rules import Period, last_full_quarter
from .scores import branch_scores

Parts = dict[str, dict]  # {family: part} of one hospital, or their sum for the city


def _get(family: str, key: str) -> Callable[[Parts], int]:
    return lambda parts: parts.get(family, {}).get(key, 0)


def _ratio(family: str, part: str, whole: str) -> Callable[[Parts], float | None]:
    return lambda parts: ratio(_get(family, part)(parts), _get(family, whole)(parts))


def _count_if(family: str, key: str, whole: str) -> Callable[[Parts], int | None]:
    """A count of failures, None ("—") where the denominator is nothing."""
    return lambda parts: _get(family, key)(parts) if _get(family, whole)(parts) else None


def _mean_score(parts: Parts) -> float | None:
    total, scored = _get("assessment", "score_sum")(parts), _get("assessment", "scored")(parts)
    return round(total / scored, 1) if scored else None


@dataclass(frozen=True)
class Column:
    """One figure of each hospital. `key` names it (format_value formats `*_ratio` as a
    percentage, counts with separators); `rate` is what a hospital is compared with the
    city on (the figure itself when None and it is a ratio; no flag when `compare` is
    off); `lower_is_better` for arrears and overdue work; `detail` the counts behind a
    ratio, written under it."""

    key: str
    label: str | Promise
    value: Callable[[Parts], float | int | None]
    compare: bool = True
    rate: Callable[[Parts], float | None] | None = None
    lower_is_better: bool = False
    detail: Callable[[Parts], tuple[int, int]] | None = None
    colour: Callable[[float | int | None], str] | None = None  # red / yellow / green

    @property
    def family(self) -> str:
        """The figure family its value is read from (the trend computes only that)."""
        return FAMILY_OF.get(self.key, self.key.split(".")[0])


FAMILY_OF = {"organizations.branches": "branches"}


COLUMNS = [
    Column("members.total", _("党员数"), _get("members", "total"), compare=False),
    Column("organizations.branches", _("党支部"), _get("branches", "branches"), compare=False),
    Column(
        "branches.dual_leader_ratio", _("“双带头人”比例"), _ratio("branches", "dual", "linked"),
        detail=lambda p: (_get("branches", "dual")(p), _get("branches", "linked")(p)),
    ),
    Column(
        "meetings.compliant_branches_ratio", _("组织生活按期开展的支部"),
        _ratio("meetings", "branches_compliant", "branches_measured"),
        detail=lambda p: (
            _get("meetings", "branches_compliant")(p), _get("meetings", "branches_measured")(p)
        ),
    ),
    Column(
        "dues.on_time_rate", _("党费按月交纳率"), _ratio("dues", "on_time", "due"),
        detail=lambda p: (_get("dues", "on_time")(p), _get("dues", "due")(p)),
    ),
    Column(
        "dues.arrears_members", _("欠交党费人数"), _count_if("dues", "arrears_members", "due"),
        rate=lambda p: ratio(_get("dues", "arrears_members")(p), _get("members", "total")(p)),
        lower_is_better=True,  # compared per member
    ),
    Column(
        "tasks.overdue", _("逾期任务"), _count_if("tasks", "overdue", "total"),
        rate=_ratio("tasks", "overdue", "total"), lower_is_better=True,
    ),
    Column("development.applied", _("本年递交入党申请"), _get("development", "applied"), compare=False),
    Column("development.activists", _("本年确定积极分子"), _get("development", "activists"), compare=False),
    Column("development.admitted", _("本年发展党员"), _get("development", "admitted"), compare=False),
    Column("decisions.total", _("本年“三重一大”事项"), _get("decisions", "total"), compare=False),
    Column("service.activities", _("志愿服务（场次）"), _get("service", "activities"), compare=False),
    Column(
        "service.people_served", _("服务群众（人次）"), _get("service", "people_served"),
        rate=lambda p: ratio(_get("service", "people_served")(p), _get("members", "total")(p)),
    ),
    Column(
        "service.on_time_ratio", _("问题按期办结率"),
        _ratio("service", "problems_resolved_on_time", "problems_resolved"),
        detail=lambda p: (
            _get("service", "problems_resolved_on_time")(p), _get("service", "problems_resolved")(p)
        ),
    ),
    Column(
        "assessment.mean_score", _("支部考核平均分（上季度）"), _mean_score,
        colour=assessment_rules.colour,
        detail=lambda p: (_get("assessment", "scored")(p), _get("assessment", "branches")(p)),
    ),
]  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}


@dataclass
class Cell:
    column: Column
    value: float | int | None
    text: str
    detail: str = ""
    lagging: bool = False
    colour: str = ""


@dataclass
class HospitalRow:
    org: Organization
    cells: list[Cell]

    @property
    def lagging(self) -> int:
        return sum(cell.lagging for cell in self.cells)


def _rate(column: Column, parts: Parts):
    if column.rate is not None:
        return column.rate(parts)
    return column.value(parts)


def format_cell(column: Column, value) -> str:
    if column.colour is not None and value is not None:
        return f"{value:.1f}"  # a score out of 100
    return format_value(column.key, value)


def _cells(parts: Parts, city: Parts | None = None) -> list[Cell]:
    cells = []
    for column in COLUMNS:
        value = column.value(parts)
        cell = Cell(column, value, format_cell(column, value))
        if column.detail is not None and value is not None:  # no "0 / 0" under a "—"
            cell.detail = "{} / {}".format(*column.detail(parts))
        if column.colour is not None:
            cell.colour = column.colour(value)
        if city is not None and column.compare:
            mine, theirs = _rate(column, parts), _rate(column, city)
            if mine is not None and theirs is not None:
                cell.lagging = mine > theirs if column.lower_is_better else mine < theirs
        cells.append(cell)
    return cells


def assessment_parts(city: Organization, period: Period) -> dict[str, dict]:
    """{unit: {"score_sum", "scored", "branches"}}: each hospital's branch scores for the
    period, from one `branch_scores` call on the whole city (a fixed number of queries)."""
    parts: dict[str, dict] = {}
    for entry in branch_scores(city, period):
        part = parts.setdefault(unit_of(entry.organization.path), {})
        part["branches"] = part.get("branches", 0) + 1
        if entry.score is not None:
            part["score_sum"] = part.get("score_sum", 0) + entry.score
            part["scored"] = part.get("scored", 0) + 1
    return parts


FAMILIES: dict[str, Callable[[str, dt.date, dt.date], dict]] = {
    "members": lambda path, start, day: member_figures.unit_parts(path, day),
    "branches": lambda path, start, day: branch_figures.unit_parts(path, day),
    "meetings": meeting_figures.unit_parts,
    "dues": dues_figures.unit_parts,
    "tasks": task_figures.unit_parts,
    "development": development_figures.unit_parts,
    "decisions": decision_figures.unit_parts,
    "service": service_figures.unit_parts,
}


def family_parts(
    city: Organization, start: dt.date, day: dt.date, assessed: Period | None, names=None
) -> dict[str, dict]:
    """{family: {unit: part}} for every hospital of the city: one call per family (only
    `names` when given); the assessment family for the period `assessed`."""
    wanted = set(FAMILIES) | {"assessment"} if names is None else set(names)
    parts = {name: FAMILIES[name](city.path, start, day) for name in FAMILIES if name in wanted}
    if "assessment" in wanted and assessed is not None:
        parts["assessment"] = assessment_parts(city, assessed)
    return parts


def city_hospitals(city: Organization, day: dt.date) -> list[Organization]:
    return list(Organization.objects.get_children(city).filter(alive_on(day)).order_by("path"))


def compare(city: Organization, start: dt.date, day: dt.date, assessed: Period | None) -> dict:
    """{"columns", "totals" (the city's cells), "rows" (a HospitalRow per hospital alive
    on `day`, in tree order), "start", "assessed"} for `start` to `day`, the assessment
    column for the period `assessed`."""
    families = family_parts(city, start, day, assessed)
    hospitals = city_hospitals(city, day)
    by_hospital = {
        h.path: {name: units.get(h.path, {}) for name, units in families.items()} for h in hospitals
    }
    city_parts = {name: add(by_hospital[h.path][name] for h in hospitals) for name in families}
    rows = [HospitalRow(h, _cells(by_hospital[h.path], city_parts)) for h in hospitals]
    return {
        "columns": COLUMNS, "totals": _cells(city_parts), "rows": rows, "start": start,
        "assessed": assessed,
    }  # fmt: skip


def city_overview(city: Organization, day: dt.date) -> dict:
    """The year to `day`; the assessment of the last full quarter."""
    return compare(city, dt.date(day.year, 1, 1), day, last_full_quarter(day))
