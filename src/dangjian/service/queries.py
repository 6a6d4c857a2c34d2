"""Reads of volunteer service and the problem list shared by pages, the API and `stats`:
the `service.*` figures of a subtree and period, volunteer hours per member, and the
yearly target's progress. Each a fixed number of queries."""

import datetime as dt

from django.db.models import Count, F, Q, Sum

from dangjian.orgs.figures import SubtreeFigure, ratio, unit_expr

from .models import Problem, ServiceActivity, ServiceTarget, Volunteer
from .rules import progress


def service_parts(orgs, start: dt.date, end: dt.date) -> dict:
    """Per unit: activities held between `start` and `end` and the people they served
    (each counted once, for its lead organisation); problems found in the period; problems
    resolved in the period, and those resolved by their deadline. Two queries."""
    in_orgs = orgs.values("pk")
    activities = (
        ServiceActivity.objects.filter(organization__in=in_orgs, held_on__range=(start, end))
        .values(unit=unit_expr("organization__path"))
        .annotate(activities=Count("pk"), people_served=Sum("people_served"))
        .order_by()
    )
    problems = (
        Problem.objects.filter(organization__in=in_orgs)
        .filter(Q(found_on__range=(start, end)) | Q(resolved_on__range=(start, end)))
        .values(unit=unit_expr("organization__path"))
        .annotate(
            problems_found=Count("pk", filter=Q(found_on__range=(start, end))),
            problems_resolved=Count("pk", filter=Q(resolved_on__range=(start, end))),
            problems_resolved_on_time=Count(
                "pk",
                filter=Q(resolved_on__range=(start, end))
                & (Q(deadline__isnull=True) | Q(resolved_on__lte=F("deadline"))),
            ),
        )
        .order_by()
    )
    parts: dict = {}
    for rows in (activities, problems):
        for row in rows:
            unit = row.pop("unit")
            parts.setdefault(unit, {}).update({k: v or 0 for k, v in row.items()})
    return parts


SERVICE_COUNTS = (
    "activities", "people_served", "problems_found", "problems_resolved",
    "problems_resolved_on_time",
)  # fmt: skip


def finish_service(counts: dict) -> dict:
    figures = {key: counts.get(key, 0) for key in SERVICE_COUNTS}
    figures["on_time_ratio"] = ratio(
        figures["problems_resolved_on_time"], figures["problems_resolved"]
    )
    return figures


# service.* of a subtree and period: service_figures(path, start, end).
service_figures = SubtreeFigure("service", service_parts, finish_service)


def volunteer_hours(person_ids, start: dt.date, end: dt.date) -> dict[int, float]:
    """Volunteer hours per person in [start, end] (one query)."""
    rows = (
        Volunteer.objects.filter(person_id__in=person_ids, activity__held_on__range=(start, end))
        .values("person_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {row["person_id"]: float(row["hours"]) for row in rows}


def target_progress(org, year: int, figures: dict) -> dict:
    """The hospital's yearly targets against the year's figures (one query)."""
    target = ServiceTarget.objects.filter(organization=org, year=year).first()
    matters = figures.get("problems_resolved", 0)
    people_target = target.people_served if target else None
    matters_target = target.practical_matters if target else None
    return {
        "people_served": figures.get("people_served", 0),
        "people_served_target": people_target,
        "people_served_progress": progress(figures.get("people_served", 0), people_target),
        "matters": matters,
        "matters_target": matters_target,
        "matters_progress": progress(matters, matters_target),
    }


def overdue(problems, today: dt.date):
    """Open problems past their deadline."""
    return problems.filter(resolved_on__isnull=True, deadline__lt=today)


def hours_count_as_study(hospital, year: int) -> bool:
    """Whether the hospital counts its volunteers' hours of `year` as class hours."""
    return ServiceTarget.objects.filter(
        organization=hospital, year=year, hours_as_study=True
    ).exists()


# ---- co-building and alliances ---------------------------------------------------------
def link_figures(activities) -> dict:
    """Activities, people served and volunteer hours of an agreement's or an alliance's
    activities (two queries: summing hours over the volunteers' join would count each
    activity's people served once per volunteer)."""
    totals = activities.order_by().aggregate(n=Count("pk"), served=Sum("people_served"))
    hours = Volunteer.objects.filter(activity__in=activities.values("pk")).aggregate(
        h=Sum("hours")
    )["h"]
    return {
        "activities": totals["n"],
        "people_served": totals["served"] or 0,
        "hours": float(hours or 0),
    }


def with_activity_counts(rows):
    """Each agreement or alliance with its activities and people served (one query)."""
    return rows.annotate(
        activity_count=Count("activities", distinct=True),
        people_served=Sum("activities__people_served"),
    )
