"""The read side for people: as-of-date membership and the member figures."""

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery

from .models import MEMBER_STATUSES, Employment, Membership, Status, StatusPeriod


def open_on(day: dt.date, prefix: str = "") -> Q:
    """Rows of a period table (started_on / ended_on) that cover `day`."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def status_on(day: dt.date, person_ref: str = "person") -> Subquery:
    """The political status a person held on `day` (None for 群众 or not yet applied)."""
    return Subquery(
        StatusPeriod.objects.filter(open_on(day), person=OuterRef(person_ref))
        .order_by("-started_on", "-id")
        .values("status")[:1]
    )


def current_status(person_ref: str = "pk") -> Subquery:
    # No ordering: one open period per person (a constraint), and the model's default
    # ordering would join and sort the person table inside every correlated subquery.
    return Subquery(
        StatusPeriod.objects.filter(person=OuterRef(person_ref), ended_on__isnull=True)
        .order_by()
        .values("status")[:1]
    )


def memberships_on(path: str, day: dt.date):
    """Organisation relations inside the subtree at `path` that were open on `day`."""
    return Membership.objects.filter(open_on(day), organization__path__startswith=path)


def member_figures(path: str, day: dt.date) -> dict:
    """members.*: Party members (full + probationary) in the subtree as of `day`. One query:
    the status periods open on `day` joined to the organisation relation open that day
    (both are non-overlapping intervals, so each member counts once)."""
    in_subtree = open_on(day, "person__memberships__") & Q(
        person__memberships__organization__path__startswith=path
    )
    rows = StatusPeriod.objects.filter(open_on(day), in_subtree, status__in=MEMBER_STATUSES)
    return rows.aggregate(
        total=Count("pk"),
        full=Count("pk", filter=Q(status=Status.FULL)),
        probationary=Count("pk", filter=Q(status=Status.PROBATIONARY)),
        in_service=Count("pk", filter=Q(person__employment=Employment.IN_SERVICE)),
        retired=Count("pk", filter=Q(person__employment=Employment.RETIRED)),
    )
