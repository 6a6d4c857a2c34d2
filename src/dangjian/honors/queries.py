"""Reads of honours shared by the pages, the person's and organisation's pages and the
points: the scoped list of a subtree with its filters, and the year's counts by level."""

from django.db.models import Count, Q, QuerySet

from .models import Honor


def honours_in(user, org, *, level: str = "", year: int | None = None, who: str = "",
               text: str = "") -> QuerySet:  # fmt: skip
    """The honours of `org`'s subtree (every one the user reads when None) the user may
    see, filtered: level, year, whether a person's or an organisation's (`who` =
    "person" / "org"), and a name or title."""
    rows = Honor.objects.visible_to(user)
    if org is not None:
        rows = rows.filter(organization__path__startswith=org.path)
    if level:
        rows = rows.filter(level=level)
    if year:
        rows = rows.filter(awarded_on__year=year)
    if who == "person":
        rows = rows.filter(person__isnull=False)
    elif who == "org":
        rows = rows.filter(person__isnull=True)
    if text := text.strip():
        rows = rows.filter(
            Q(person__name__icontains=text) | Q(organization__name__icontains=text)
            | Q(title__icontains=text)
        )  # fmt: skip
    return rows.select_related("organization", "person", "certificate").order_by(
        "-awarded_on", "-pk"
    )


def level_counts(rows: QuerySet) -> dict[str, int]:
    """How many honours of each level the rows hold (one query)."""
    return dict(rows.order_by().values_list("level").annotate(n=Count("pk")))


def of_person(person) -> QuerySet:
    return Honor.objects.filter(person=person, revoked_on__isnull=True).order_by(
        "-awarded_on", "-pk"
    )


def of_org(org) -> QuerySet:
    """The organisation's own honours (not its members')."""
    return Honor.objects.filter(
        organization=org, person__isnull=True, revoked_on__isnull=True
    ).order_by("-awarded_on", "-pk")


def round_history(selection_round) -> list:
    """The round's stages as the audit log keeps them, oldest first: (when, who, what)."""
    from dangjian.core.audit_labels import ACTION_LABELS
    from dangjian.core.models import AuditEntry

    entries = AuditEntry.objects.filter(
        org_path=selection_round.organization.path,
        action__startswith="honors.",
        summary__round=selection_round.pk,
    ).order_by("seq")
    return [
        (e.created_at, e.actor_name, ACTION_LABELS.get(e.action, e.action))
        for e in entries.only("created_at", "actor_name", "action")
    ]
