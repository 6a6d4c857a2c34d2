"""Notices: the in-app inbox other areas use for reminders."""

from django.db import transaction

from . import delivery
from .models import Notice


@transaction.atomic
def send_notice(recipients, title: str, body: str = "", *, link: str = "", kind: str = "") -> int:
    """Put one notice in each recipient's inbox, and plan its delivery by the channels
    each recipient chose (`core.delivery`); returns how many were sent."""
    notices = [
        Notice(recipient=user, title=title, body=body, link=link, kind=kind) for user in recipients
    ]
    Notice.objects.bulk_create(notices)
    delivery.fan_out(notices)
    return len(notices)


def mark_read(user, notice_id: int) -> bool:
    from django.utils import timezone

    return bool(
        Notice.objects.filter(recipient=user, pk=notice_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def already_notified(kind: str, links: list[str], user_ids: set[int]):
    """(recipient id, link) pairs already sent for `kind`: reminder jobs put a stable key
    in each notice's link and skip those pairs, so nobody is told the same thing twice."""
    from .batching import chunked
    from .models import Notice

    sent = set()
    for some_links in chunked(links):
        sent.update(
            Notice.objects.filter(
                kind=kind, recipient_id__in=user_ids, link__in=some_links
            ).values_list("recipient_id", "link")
        )
    return sent
