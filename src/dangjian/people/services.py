"""Every change to a person's organisation relationship. Each function runs in one
transaction and writes an audit entry; history rows are closed, never rewritten."""

import datetime as dt

from django.db import transaction

from dangjian.core import audit
from dangjian.orgs.models import CommitteeSeat, Organization

from .models import Membership, MembershipReason, Person, Transfer, TransferDirection


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
    audit.record(
        "person.move",
        actor=by,
        obj=person,
        org_path=to_org.path,
        summary={"from": old_org.code, "to": to_org.code, "on": on, "reason": reason},
    )
    return person


@transaction.atomic
def transfer_out(
    person: Person, other_organization: str, on: dt.date, *, note="", by=None
) -> Transfer:
    """组织关系转出 to an organisation outside the system. The person stays on record under
    their last organisation, so the history remains visible there."""
    if not other_organization.strip():
        raise PeopleError("请填写转入的对方组织")
    if _close_open_membership(person, on, MembershipReason.TRANSFER_OUT) is None:
        raise PeopleError(f"{person.name} 当前没有组织关系，无法转出")
    CommitteeSeat.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
    transfer = Transfer.objects.create(
        person=person,
        direction=TransferDirection.OUT,
        organization=person.organization,
        other_organization=other_organization.strip(),
        transferred_on=on,
        note=note,
    )
    audit.record(
        "person.transfer_out",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"to": other_organization, "on": on},
    )
    return transfer


@transaction.atomic
def transfer_in(
    person: Person, to_org: Organization, other_organization: str, on: dt.date, *, note="", by=None
) -> Transfer:
    """组织关系转入 from outside: opens a relationship with `to_org` from `on`."""
    if not other_organization.strip():
        raise PeopleError("请填写转出的对方组织")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Membership.objects.filter(person=person, ended_on__isnull=True).exists():
        raise PeopleError(f"{person.name} 仍有未转出的组织关系")
    Membership.objects.create(
        person=person, organization=to_org, started_on=on, start_reason=MembershipReason.TRANSFER_IN
    )
    person.organization = to_org
    person.save(update_fields=["organization", "updated_at"])
    transfer = Transfer.objects.create(
        person=person,
        direction=TransferDirection.IN,
        organization=to_org,
        other_organization=other_organization.strip(),
        transferred_on=on,
        note=note,
    )
    audit.record(
        "person.transfer_in",
        actor=by,
        obj=person,
        org_path=to_org.path,
        summary={"from": other_organization, "on": on},
    )
    return transfer
