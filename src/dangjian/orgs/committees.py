"""Committee seats at every level — a branch's 支委, a general branch's, a hospital's 党委班子:
who holds which post from when to when. A seat is closed, never deleted, so the history
of every committee stays; each change is one transaction, audited, refused in Chinese."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.people.models import Person, Status, StatusPeriod

from .models import CommitteePost, CommitteeSeat, Organization
from .services import OrgError


def eligible_people(org: Organization):
    """Full members whose organisation lies in `org`'s subtree: who may sit on its
    committee (a hospital's 党委 draws on every branch)."""
    full = StatusPeriod.objects.filter(ended_on__isnull=True, status=Status.FULL)
    return (
        Person.objects.filter(organization__path__startswith=org.path)
        .filter(pk__in=full.values("person_id"))
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )


@transaction.atomic
def appoint(
    org: Organization, person: Person, post: str, started_on: dt.date, *, by=None
) -> CommitteeSeat:
    if post not in CommitteePost.values:
        raise OrgError("请选择党内职务")
    if started_on > timezone.localdate():
        raise OrgError("任职日期不能晚于今天")
    if not eligible_people(org).filter(pk=person.pk).exists():
        raise OrgError(f"{person.name} 不是{org.name}（含下级组织）的正式党员，不能任职")
    open_seats = CommitteeSeat.objects.select_for_update().filter(
        organization=org, ended_on__isnull=True
    )
    held = open_seats.filter(person=person).first()
    if held is not None:
        raise OrgError(f"{person.name} 已任{held.get_post_display()}，请先登记离任")
    if post == CommitteePost.SECRETARY:
        secretary = open_seats.filter(post=CommitteePost.SECRETARY).select_related("person").first()
        if secretary is not None:
            raise OrgError(f"{org.name}已有书记 {secretary.person.name}，请先登记其离任")
    seat = CommitteeSeat.objects.create(
        organization=org, person=person, post=post, started_on=started_on
    )
    audit.record(
        "org.seat_appoint",
        actor=by,
        obj=org,
        org_path=org.path,
        summary={"person": person.pk, "post": post, "on": started_on},
    )
    return seat


@transaction.atomic
def end_seat(seat: CommitteeSeat, ended_on: dt.date, *, by=None) -> CommitteeSeat:
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.ended_on is not None:
        raise OrgError("该职务已离任")
    if ended_on < seat.started_on:
        raise OrgError(f"离任日期不能早于任职日期 {seat.started_on.isoformat()}")
    if ended_on > timezone.localdate():
        raise OrgError("离任日期不能晚于今天")
    seat.ended_on = ended_on
    seat.save(update_fields=["ended_on"])
    audit.record(
        "org.seat_end",
        actor=by,
        obj=seat.organization,
        org_path=seat.organization.path,
        summary={"person": seat.person_id, "post": seat.post, "on": ended_on},
    )
    return seat
