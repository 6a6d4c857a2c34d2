"""Changes to the organisation tree. Each runs in one transaction and is audited."""

import datetime as dt

from django.db import transaction

from dangjian.core import audit

from .models import Department, Organization, OrgKind


class OrgError(ValueError):
    """A refused change; the message is Chinese."""


@transaction.atomic
def create_organization(
    parent: Organization,
    *,
    code: str,
    name: str,
    kind: str,
    department: Department | None = None,
    founded_on: dt.date | None = None,
    is_temporary: bool = False,
    by=None,
) -> Organization:
    if Organization.objects.filter(code=code).exists():
        raise OrgError(f"组织编码 {code} 已存在")
    if kind not in OrgKind.values:
        raise OrgError(f"未知的组织类型：{kind}")
    org = Organization.objects.add_child(
        parent,
        {
            "code": code,
            "name": name,
            "kind": kind,
            "department": department,
            "founded_on": founded_on,
            "is_temporary": is_temporary,
        },
    )
    audit.record(
        "org.create", actor=by, obj=org, org_path=org.path, summary={"code": code, "name": name}
    )
    return org


@transaction.atomic
def restructure(
    moves: list[tuple], on: dt.date, *, dissolve: list[Organization] = (), by=None
) -> int:
    """Restructure (组织调整, e.g. 7 → 32 branches): move each (person, organisation) pair
    from `on`, keeping every old relationship as history, then dissolve the emptied
    organisations. Returns the number of people moved."""
    from dangjian.people.models import MembershipReason
    from dangjian.people.services import move_person

    for person, target in moves:
        move_person(person, target, on, reason=MembershipReason.RESTRUCTURE, by=by)
    for org in dissolve:
        org.refresh_from_db()
        if org.memberships.filter(ended_on__isnull=True).exists():
            raise OrgError(f"{org.name} 仍有成员，不能撤销")
        org.dissolved_on = on
        org.save(update_fields=["dissolved_on"])
        audit.record("org.dissolve", actor=by, obj=org, org_path=org.path, summary={"on": on})
    return len(moves)
