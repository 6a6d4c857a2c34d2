"""Reads of the task ledger shared by pages, the API, exports, reminders, `check` and
`stats`: which tasks a period covers, what is overdue or due soon, progress by area."""

import datetime as dt

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from dangjian.orgs.figures import SubtreeFigure, by_unit, ratio, unit_expr
from dangjian.orgs.models import Organization

from .models import TaskState, WorkTask
from .rules import DUE_SOON_DAYS


def in_subtree(path: str) -> Q:
    """Tasks the organisations of the subtree at `path` are responsible for."""
    return Q(responsible_org__path__startswith=path)


def in_period(start: dt.date, end: dt.date) -> Q:
    """Tasks of the lists of the years the period touches, plus tasks of earlier lists
    still open when it starts (carried over, so a year end does not hide them)."""
    this_years = Q(area__target_list__year__range=(start.year, end.year))
    carried = Q(area__target_list__year__lt=start.year) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    return this_years | carried


def open_on(day: dt.date) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


def overdue_on(day: dt.date) -> Q:
    """Past the deadline on `day` and not closed by then (rules.is_overdue)."""
    return Q(due_on__lt=day) & open_on(day)


def due_soon_on(day: dt.date, days: int = DUE_SOON_DAYS) -> Q:
    return Q(closed_on__isnull=True, due_on__range=(day, day + dt.timedelta(days=days)))


def task_parts(orgs, start: dt.date, day: dt.date) -> dict:
    """Per unit of the responsible organisation: total, closed (by `day`), overdue (on
    `day`), due_soon and closed_late, over the tasks the period covers. One query."""
    rows = (
        WorkTask.objects.filter(in_period(start, day), responsible_org__in=orgs.values("pk"))
        .values(unit=unit_expr("responsible_org__path"))
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(closed_on__lte=day)),
            overdue=Count("pk", filter=overdue_on(day)),
            due_soon=Count("pk", filter=due_soon_on(day)),
            closed_late=Count("pk", filter=Q(closed_on__lte=day, closed_on__gt=F("due_on"))),
        )
        .order_by()
    )
    return by_unit(rows, TASK_COUNTS)


TASK_COUNTS = ("total", "closed", "overdue", "due_soon", "closed_late")


def finish_tasks(counts: dict) -> dict:
    figures = {key: counts.get(key, 0) for key in TASK_COUNTS}
    figures["closed_ratio"] = ratio(figures["closed"], figures["total"])
    return figures


# tasks.* of the tasks the period covers in a subtree: task_figures(path, start, day).
task_figures = SubtreeFigure("tasks", task_parts, finish_tasks)


def with_list(qs: QuerySet) -> QuerySet:
    return qs.select_related("area__target_list__organization", "responsible_org")


def overdue_tasks(qs: QuerySet, day: dt.date) -> QuerySet:
    return with_list(qs.filter(overdue_on(day)).exclude(state=TaskState.CLOSED)).order_by(
        "due_on", "pk"
    )


def due_soon_tasks(qs: QuerySet, day: dt.date, days: int = DUE_SOON_DAYS) -> QuerySet:
    return with_list(qs.filter(due_soon_on(day, days))).order_by("due_on", "pk")


def progress_by_area(qs: QuerySet, day: dt.date) -> list[dict]:
    """Per area: tasks, closed, overdue and the weighted percentage done. One query."""
    weighted = ExpressionWrapper(
        F("weight") * F("percent"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    rows = (
        qs.values("area__target_list__year", "area__order", "area__name")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(state=TaskState.CLOSED)),
            overdue=Count("pk", filter=overdue_on(day)),
            total_weight=Sum("weight"),
            weighted_done=Sum(weighted),
        )
        .order_by("-area__target_list__year", "area__order", "area__name")
    )
    result = []
    for row in rows:
        weight = row["total_weight"] or 0
        percent = float(row["weighted_done"] or 0) / float(weight) if weight else 0.0
        result.append(
            {
                "year": row["area__target_list__year"],
                "area": row["area__name"],
                "total": row["total"],
                "closed": row["closed"],
                "overdue": row["overdue"],
                "percent": round(percent, 1),
            }
        )
    return result


def tasks_in(user, org: Organization):
    """Tasks the user may see that belong to `org`'s subtree, by list or by carrier."""
    return WorkTask.objects.visible_to(user).filter(
        Q(area__target_list__organization__path__startswith=org.path)
        | Q(responsible_org__path__startswith=org.path)
    )
