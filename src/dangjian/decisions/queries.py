"""Reads of the 三重一大 register shared by pages, the API and `stats`."""

import datetime as dt

from django.db.models import Count, Q, Sum

from dangjian.orgs.figures import SubtreeFigure, unit_expr

from .models import ExpertConsultation, MajorMatter, OpinionSolicitation
from .rules import DECIDED, MatterCategory


def decision_parts(orgs, start: dt.date, end: dt.date) -> dict:
    """Per unit: matters decided (passed or not) between `start` and `end`, in total and
    by category; expert consultations held and opinions received in the period, in the
    organisations `orgs`. Three queries."""
    in_orgs = orgs.values("pk")
    matters = (
        MajorMatter.objects.filter(
            organization__in=in_orgs, status__in=DECIDED, decided_on__range=(start, end)
        )
        .values(unit=unit_expr("organization__path"))
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(status="approved")),
            **{c: Count("pk", filter=Q(category=c)) for c in MatterCategory.values},
        )
        .order_by()
    )
    consultations = (
        ExpertConsultation.objects.filter(
            matter__organization__in=in_orgs, held_on__range=(start, end)
        )
        .values(unit=unit_expr("matter__organization__path"))
        .annotate(consultations=Count("pk"))
        .order_by()
    )
    opinions = (
        OpinionSolicitation.objects.filter(
            matter__organization__in=in_orgs, solicited_on__range=(start, end)
        )
        .values(unit=unit_expr("matter__organization__path"))
        .annotate(opinions=Sum("opinions"))
        .order_by()
    )
    parts: dict = {}
    for rows in (matters, consultations, opinions):
        for row in rows:
            unit = row.pop("unit")
            parts.setdefault(unit, {}).update({k: v or 0 for k, v in row.items()})
    return parts


DECISION_COUNTS = ("total", "approved", *MatterCategory.values, "consultations", "opinions")


def finish_decisions(counts: dict) -> dict:
    return {key: counts.get(key, 0) for key in DECISION_COUNTS}


# decisions.* of a subtree and period: decision_figures(path, start, end).
decision_figures = SubtreeFigure("decisions", decision_parts, finish_decisions)


def with_gathering(matters):
    """Each matter with its consultations held and opinions received, as subqueries (a
    join of both would multiply one by the other)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    consultations = (
        ExpertConsultation.objects.filter(matter=OuterRef("pk"))
        .values("matter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    opinions = (
        OpinionSolicitation.objects.filter(matter=OuterRef("pk"))
        .values("matter")
        .annotate(n=Sum("opinions"))
        .values("n")
    )
    return matters.annotate(
        consultation_count=Coalesce(Subquery(consultations, output_field=IntegerField()), Value(0)),
        opinion_count=Coalesce(Subquery(opinions, output_field=IntegerField()), Value(0)),
    )
