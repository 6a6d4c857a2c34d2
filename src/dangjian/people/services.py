"""Every change to a person's organisation relationship. Each function runs in one
transaction and writes an audit entry; history rows are closed, never rewritten."""

import datetime as dt

from django.db import transaction

from dangjian.core import audit
from dangjian.orgs.models import CommitteeSeat, Organization

from .models import Membership, MembershipReason, Person
from .signals import member_moved


class PeopleError(ValueError):
    """A refused change; the message is Chinese and shown to the user as is."""


def _close_open_membership(person: Person, on: dt.date, reason: str) -> Membership | None:
    current = (
        Membership.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    )
    if current is None:
        return None
    if on < current.started_on:
        raise PeopleError(f"{person.name}：变动日期不能早于现组织关系开始日期 {current.started_on}")
    if on == current.started_on:
        # Same-day correction: the old row never really took effect.
        current.delete()
        return None
    current.ended_on = on
    current.end_reason = reason
    current.save(update_fields=["ended_on", "end_reason"])
    return current


@transaction.atomic
def move_person(
    person: Person, to_org: Organization, on: dt.date, *, reason=MembershipReason.MOVE, by=None
):
    """Move a person to another organisation from `on`, keeping the old relationship as
    history and ending the posts they held in the old organisation."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    old_org = person.organization
    if old_org.pk == to_org.pk:
        raise PeopleError(f"{person.name} 已在 {to_org.name}")
    _close_open_membership(person, on, reason)
    Membership.objects.create(
        person=person, organization=to_org, started_on=on, start_reason=reason
    )
    CommitteeSeat.objects.filter(person=person, organization=old_org, ended_on__isnull=True).update(
        ended_on=on
    )
    person.organization = to_org
    person.save(update_fields=["organization", "updated_at"])
    member_moved.send(Person, person=person, from_org=old_org, to_org=to_org, on=on, by=by)
    audit.record(
        "person.move",
        actor=by,
        obj=person,
        org_path=to_org.path,
        summary={"from": old_org.code, "to": to_org.code, "on": on, "reason": reason},
    )
    return person
