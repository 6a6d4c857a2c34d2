"""Adding and editing a person in the registry: the roster's fields, one transaction,
audited. The caller has checked the fields with `forms.PersonForm` (pages and API alike);
a changed organisation is a move, which `services.move_person` records with its history,
so editing never changes it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.crypto import digest

from .models import Membership, MembershipReason, Person, StatusPeriod
from .rules import birth_date_from_id, gender_from_id

STAFF_FIELDS = (
    "name", "id_number", "phone", "department", "admin_title", "is_department_head",
    "professional_title", "talent_category", "employment",
)  # fmt: skip


def _identity(number: str) -> dict:
    return {
        "id_number": number,
        "id_digest": digest(number),
        "gender": gender_from_id(number),
        "birth_date": birth_date_from_id(number),
    }


@transaction.atomic
def create_person(
    data: dict, *, by=None, on: dt.date | None = None, relation: bool = True
) -> Person:
    """A new person in `data["organization"]` from `on` (default today), with the status
    history of `data["periods"]` ((status, started_on) in pipeline order). Without
    `relation`, the organisation relation is left to the caller (a transfer in)."""
    org = data["organization"]
    fields = {name: data[name] for name in STAFF_FIELDS if name != "id_number"}
    person = Person.objects.create(organization=org, **fields, **_identity(data["id_number"]))
    periods = data.get("periods") or []
    # The relation starts with the earliest stage recorded, so the person counts from then.
    started = periods[0][1] if periods else (on or timezone.localdate())
    if relation:
        Membership.objects.create(
            person=person, organization=org, started_on=started,
            start_reason=MembershipReason.ENTRY,
        )  # fmt: skip
    for i, (status, day) in enumerate(periods):
        ended = periods[i + 1][1] if i + 1 < len(periods) else None
        StatusPeriod.objects.create(person=person, status=status, started_on=day, ended_on=ended)
    audit.record(
        "person.create",
        actor=by,
        obj=person,
        org_path=org.path,
        summary={"organization": org.code, "status": periods[-1][0] if periods else ""},
    )
    return person


@transaction.atomic
def update_person(person: Person, data: dict, *, by=None) -> list[str]:
    """Write the staff fields of `data` that differ; returns their names. The audit
    entry names them with before → after (ID and phone numbers masked, never whole)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    for name in STAFF_FIELDS:
        if name in data and getattr(person, name) != data[name]:
            changed.append(name)
    if not changed:
        return []
    before = {name: _shown(person, name) for name in changed}
    for name in changed:
        if name == "id_number":
            for field, value in _identity(data[name]).items():
                setattr(person, field, value)
        else:
            setattr(person, name, data[name])
    person.save()
    audit.record(
        "person.update",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={
            "fields": changed,
            "changes": audit.changes(before, {name: _shown(person, name) for name in changed}),
        },
    )
    return changed


def _shown(person: Person, name: str):
    """A staff field's value as the audit log keeps it: numbers masked, a department by
    its name."""
    if name == "id_number":
        return person.id_number_masked
    if name == "phone":
        return person.phone_masked
    value = getattr(person, name)
    return str(value) if name == "department" and value is not None else value
