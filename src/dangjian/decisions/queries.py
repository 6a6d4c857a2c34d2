"""Reads of the 三重一大 register shared by pages, the API and `stats`."""

import datetime as dt

from django.db.models import Count, Q, Sum

from .models import ExpertConsultation, MajorMatter, OpinionSolicitation
from .rules import DECIDED, MatterCategory


def decision_figures(path: str, start: dt.date, end: dt.date) -> dict:
    """decisions.*: matters decided (passed or not) between `start` and `end`, in total and
    by category; expert consultations held and opinions received in the period, in the
    organisations of the subtree at `path`. Three queries."""
    decided = MajorMatter.objects.filter(
        organization__path__startswith=path, status__in=DECIDED, decided_on__range=(start, end)
    )
    row = decided.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status="approved")),
        **{c: Count("pk", filter=Q(category=c)) for c in MatterCategory.values},
    )
    row["consultations"] = ExpertConsultation.objects.filter(
        matter__organization__path__startswith=path, held_on__range=(start, end)
    ).count()
    row["opinions"] = (
        OpinionSolicitation.objects.filter(
            matter__organization__path__startswith=path, solicited_on__range=(start, end)
        ).aggregate(n=Sum("opinions"))["n"]
        or 0
    )
    return row


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
