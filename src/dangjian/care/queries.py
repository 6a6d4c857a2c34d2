"""Reads of the care register shared by the pages and the export: the register and the
visits of a subtree, and the figures a Party office reports, for the subtree and each
branch in it, by database aggregation (one query for the register, one for the visits,
grouped by organisation; the groups are then added up per branch)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from dangjian.orgs.models import Organization
from dangjian.orgs.queries import branches_on

from . import rules
from .models import CareCase, CareVisit, CaseStatus, VisitReason

VISIT_COUNTS = ("visits", "helped", "july_first", *(f"reason_{r}" for r in VisitReason.values))
FIGURES = ("in_register", *VISIT_COUNTS, "amount")


def cases_in(user, org: Organization) -> QuerySet:
    return CareCase.objects.visible_to(user).filter(person__organization__path__startswith=org.path)


def visits_in(user, org: Organization) -> QuerySet:
    return CareVisit.objects.visible_to(user).filter(
        person__organization__path__startswith=org.path
    )


def register(cases: QuerySet) -> QuerySet:
    """Register rows with the person and their help: visits and amount, all years."""
    return cases.select_related("person__organization").annotate(
        visit_count=Count("visits"), amount_total=Sum("visits__amount")
    )


def visit_rows(visits: QuerySet) -> QuerySet:
    return visits.select_related("person__organization", "case")


def in_year(visits: QuerySet, year: int) -> QuerySet:
    return visits.filter(visited_on__range=rules.year_range(year))


def _by_org(cases: QuerySet, visits: QuerySet, year: int) -> dict[str, dict]:
    """{organisation path: figures} of the people's organisations. Two queries."""
    per_org: dict[str, dict] = {}

    def row(path):
        return per_org.setdefault(path, {name: 0 for name in FIGURES} | {"amount": Decimal(0)})

    open_cases = (
        cases.filter(status=CaseStatus.HELPING)
        .values("person__organization__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in open_cases:
        row(item["person__organization__path"])["in_register"] = item["n"]
    reasons = {
        f"reason_{reason}": Count("pk", filter=Q(reason=reason)) for reason in VisitReason.values
    }
    yearly = (
        in_year(visits, year)
        .values("person__organization__path")
        .annotate(
            visits=Count("pk"),
            # 困难党员 helped: distinct people helped through their register entry.
            helped=Count("person", filter=Q(case__isnull=False), distinct=True),
            july_first=Count("pk", filter=Q(reason=VisitReason.JULY_FIRST)),
            amount=Sum("amount"),
            **reasons,
        )
        .order_by()
    )
    for item in yearly:
        figures = row(item["person__organization__path"])
        for name in (*VISIT_COUNTS, "amount"):
            figures[name] = item[name] or figures[name]
    return per_org


def _summed(per_org: dict[str, dict], path: str) -> dict:
    total = {name: 0 for name in FIGURES} | {"amount": Decimal(0)}
    for org_path, figures in per_org.items():
        if org_path.startswith(path):
            for name in FIGURES:
                total[name] += figures[name]
    return total


def figures(user, org: Organization, year: int) -> dict:
    """{"total": figures of the subtree, "branches": [(branch, figures)]}: the register
    now, and of `year` the visits (by reason), the 困难党员 helped, the amount and the 七一
    visits. A person counts in the organisation they belong to now."""
    per_org = _by_org(cases_in(user, org), visits_in(user, org), year)
    branches = branches_on(org.path, dt.date(year, 12, 31))
    return {
        "total": _summed(per_org, org.path),
        "branches": [(branch, _summed(per_org, branch.path)) for branch in branches],
        "year": year,
    }


def reason_rows(figures_row: dict) -> list[tuple[str, int]]:
    """(reason label, visits) of one figures row, in the reasons' order."""
    return [(str(label), figures_row[f"reason_{value}"]) for value, label in VisitReason.choices]


def this_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year
