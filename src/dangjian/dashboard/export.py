"""The city statistics as the workbook a guidance committee files with its provincial
report: the figures of the dashboard (SPEC.md §4) for every hospital of the subtree, one
row each with its name and code, and the totals, in the shared layout (core.sheets). One
sheet per family of figures, so that each prints legibly on one A4 page wide.

Each family's figures come from its per-hospital parts (orgs.figures): one grouped query
per family for the whole subtree, whatever the number of hospitals, and the totals are
the sum of the same parts (equal to `compute_stats` of the subtree). A ratio over nothing
is "—", not 0 %."""

import datetime as dt

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core.sheets import MONEY, NUMBER, PERCENT, Column, Heading, Table, saved
from dangjian.decisions.queries import decision_figures
from dangjian.development.queries import development_figures
from dangjian.dues.queries import dues_figures
from dangjian.meetings.queries import meeting_figures
from dangjian.orgs.figures import add
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import branch_figures
from dangjian.people.queries import member_figures
from dangjian.service.queries import service_figures
from dangjian.tasks.queries import task_figures

from .labels import LABELS, flatten
from .stats import resolve_period

# (family, whether it counts over the period [start, day] or as of the day only)
FAMILIES = (
    (member_figures, False),
    (branch_figures, False),
    (development_figures, True),
    (meeting_figures, True),
    (dues_figures, True),
    (task_figures, True),
    (decision_figures, True),
    (service_figures, True),
)
# One sheet per group of keys: a title and the key prefixes it shows.
SHEETS = (
    ("党员与组织", ("members.", "organizations.", "branches.")),
    ("党员发展", ("development.",)),
    ("组织生活与党费", ("meetings.", "dues.")),
    ("目标任务", ("tasks.",)),
    ("三重一大", ("decisions.",)),
    ("志愿服务", ("service.",)),
)
NO_DATA = "—"
HOSPITAL_DEPTH = 2


def summarised_by_hospital(org: Organization) -> bool:
    """Whether the workbook applies: a hospital or above (its rows are hospitals)."""
    return org.depth <= HOSPITAL_DEPTH


def hospitals_of(org: Organization) -> list[Organization]:
    """The hospitals of the subtree in tree order (the organisation itself if it is one)."""
    if org.depth >= HOSPITAL_DEPTH:
        return [org]
    return list(
        Organization.objects.filter(path__startswith=org.path, depth=HOSPITAL_DEPTH).order_by(
            "path"
        )
    )


def city_figures(org: Organization, start: dt.date, day: dt.date):
    """(hospitals with the flat figures of each, the flat figures of the whole subtree).
    One query for the hospitals and one grouped read per family."""
    hospitals = hospitals_of(org)
    per_hospital: dict[str, dict] = {h.path: {} for h in hospitals}
    total: dict = {}
    for family, over_period in FAMILIES:
        args = (start, day) if over_period else (day,)
        parts = family.unit_parts(org.path, *args)
        for hospital in hospitals:
            per_hospital[hospital.path].update(_named(family, parts.get(hospital.path, {})))
        total.update(_named(family, add(parts.values())))
    return [(h, flatten(per_hospital[h.path])) for h in hospitals], flatten(total)


def _named(family, part: dict) -> dict:
    """A family's finished figures, nested by group as `compute_stats` has them."""
    figures = family.finish(part)
    if family is branch_figures:  # organizations.* and branches.*
        return figures
    return {family.name: figures}


def _kind(key: str) -> str:
    if key.endswith(("_ratio", "_share", "_rate")):
        return PERCENT
    return MONEY if key == "dues.collected" else NUMBER


def build_city_workbook(
    org: Organization, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> bytes:
    start, day = resolve_period(date_from, date_to)
    rows, total = city_figures(org, start, day)
    period = _("%(start)s 至 %(day)s") % {"start": start.isoformat(), "day": day.isoformat()}
    book = Workbook()
    book.remove(book.active)
    for title, prefixes in SHEETS:
        keys = [k for k in LABELS if k.startswith(prefixes) and k in total]
        columns = [Column(_("医院")), Column(_("组织编码"))] + [
            Column(str(LABELS[k]), _kind(k)) for k in keys
        ]
        caption = _("%(org)s 党建统计 · %(title)s（%(period)s）") % {
            "org": org.name, "title": title, "period": period,
        }  # fmt: skip
        table = Table(
            book.create_sheet(title),
            columns,
            Heading(_("党建统计 · %(title)s") % {"title": title}, org.name, day),
            title_rows=[caption],
        )
        for hospital, figures in rows:
            table.row([hospital.name, hospital.code, *(_cell(figures.get(k)) for k in keys)])
        table.row([_("合计"), org.code, *(_cell(total.get(k)) for k in keys)], bold=True)
        table.finish()
    return saved(book).getvalue()


def _cell(value):
    return NO_DATA if value is None else value
