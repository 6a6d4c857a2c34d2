"""The guidance committee's city overview (JOURNEYS.md, guidance committee 1): one row per
hospital of the subtree with the figures the committee compares them on, the city's
figures on top, and each hospital flagged where it lags the city.

Every figure comes from the cached, additive parts of the figure families (orgs.figures):
one `unit_parts` call per family gives every hospital's part, and the city's figures are
computed from the sum of the parts, so the page costs the same number of queries for 3
hospitals or 87. A column is a `Column`: the figure, how it is written, and the rate a
hospital is compared with the city on; another figure is one more entry of COLUMNS.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dangjian.dashboard.labels import format_value
from dangjian.decisions.queries import decision_figures
from dangjian.dues.queries import dues_figures
from dangjian.meetings.queries import meeting_figures
from dangjian.orgs.figures import add, ratio
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import alive_on, branch_figures
from dangjian.people.queries import member_figures
from dangjian.service.queries import service_figures
from dangjian.tasks.queries import task_figures

Parts = dict[str, dict]  # {family: part} of one hospital, or their sum for the city


def _get(family: str, key: str) -> Callable[[Parts], int]:
    return lambda parts: parts.get(family, {}).get(key, 0)


def _ratio(family: str, part: str, whole: str) -> Callable[[Parts], float | None]:
    return lambda parts: ratio(_get(family, part)(parts), _get(family, whole)(parts))


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
        "dues.arrears_members", _("欠交党费人数"), _get("dues", "arrears_members"),
        rate=lambda p: ratio(_get("dues", "arrears_members")(p), _get("members", "total")(p)),
        lower_is_better=True,  # compared per member
    ),
    Column(
        "tasks.overdue", _("逾期任务"), _get("tasks", "overdue"),
        rate=_ratio("tasks", "overdue", "total"), lower_is_better=True,
    ),
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
]  # fmt: skip


@dataclass
class Cell:
    column: Column
    value: float | int | None
    text: str
    detail: str = ""
    lagging: bool = False


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


def _cells(parts: Parts, city: Parts | None = None) -> list[Cell]:
    cells = []
    for column in COLUMNS:
        value = column.value(parts)
        cell = Cell(column, value, format_value(column.key, value))
        if column.detail is not None:
            cell.detail = "{} / {}".format(*column.detail(parts))
        if city is not None and column.compare:
            mine, theirs = _rate(column, parts), _rate(column, city)
            if mine is not None and theirs is not None:
                cell.lagging = mine > theirs if column.lower_is_better else mine < theirs
        cells.append(cell)
    return cells


def _family_parts(city: Organization, start: dt.date, day: dt.date) -> dict[str, dict]:
    """{family: {unit: part}} for every hospital of the city: one call per family."""
    return {
        "members": member_figures.unit_parts(city.path, day),
        "branches": branch_figures.unit_parts(city.path, day),
        "meetings": meeting_figures.unit_parts(city.path, start, day),
        "dues": dues_figures.unit_parts(city.path, start, day),
        "tasks": task_figures.unit_parts(city.path, start, day),
        "decisions": decision_figures.unit_parts(city.path, start, day),
        "service": service_figures.unit_parts(city.path, start, day),
    }


def city_overview(city: Organization, day: dt.date) -> dict:
    """{"columns", "totals" (the city's cells), "rows" (a HospitalRow per hospital alive
    on `day`, in tree order)} for the year to `day`."""
    start = dt.date(day.year, 1, 1)
    families = _family_parts(city, start, day)
    hospitals = list(Organization.objects.get_children(city).filter(alive_on(day)).order_by("path"))
    by_hospital = {
        h.path: {name: units.get(h.path, {}) for name, units in families.items()} for h in hospitals
    }
    city_parts = {name: add(by_hospital[h.path][name] for h in hospitals) for name in families}
    rows = [HospitalRow(h, _cells(by_hospital[h.path], city_parts)) for h in hospitals]
    return {"columns": COLUMNS, "totals": _cells(city_parts), "rows": rows, "start": start}
