"""The read side of announcements and deliveries: scoped querysets and their counts, a
fixed number of queries whatever the number of rows."""

from django.db.models import Count, Exists, OuterRef, Q

from .models import Announcement, Dispatch, Receipt
from .rules import DispatchState


def receipt_for(user) -> Q:
    """A user's receipts: their account's, or their member record's."""
    return Q(user=user) | Q(person__user=user)


def addressed_to(user):
    """The announcements a user received and that are not withdrawn, each with
    `my_read_at` (None until read); pinned first, newest first."""
    mine = Receipt.objects.filter(announcement=OuterRef("pk")).filter(receipt_for(user))
    return (
        Announcement.objects.filter(Exists(mine), withdrawn_at__isnull=True)
        .annotate(is_unread=Exists(mine.filter(read_at__isnull=True)))
        .select_related("organization")
    )


def is_addressee(user, announcement) -> bool:
    return Receipt.objects.filter(announcement=announcement).filter(receipt_for(user)).exists()


def with_read_counts(announcements):
    """Each announcement with `addressee_count` and `read_count` (one query)."""
    return announcements.annotate(
        addressee_count=Count("receipts"),
        read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
    )


def unread_receipts(announcement):
    """Who has not read it yet, in roster order: members by name (with or without an
    account), then Party workers' accounts."""
    return (
        Receipt.objects.filter(announcement=announcement, read_at__isnull=True)
        .select_related("person", "person__organization", "user")
        .order_by("person__organization__path", "person__name", "user__username", "pk")
    )


def read_receipts(announcement):
    return (
        Receipt.objects.filter(announcement=announcement, read_at__isnull=False)
        .select_related("person", "person__organization", "user")
        .order_by("-read_at", "pk")
    )


def deliveries_of(org):
    return Dispatch.objects.filter(organization__path__startswith=org.path).select_related(
        "recipient", "webhook"
    )


def delivery_counts(org) -> dict[str, int]:
    """Deliveries of the subtree by state (one query)."""
    counts = {state: 0 for state in DispatchState.values}
    rows = deliveries_of(org).order_by().values("state").annotate(n=Count("pk"))
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
