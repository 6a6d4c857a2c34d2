"""Changes to the organisation tree: create, rename, link a joint branch's departments,
dissolve. Each runs in one transaction, writes an audit entry and refuses bad input in
Chinese without changing anything; history rows (former names, closed links, dissolved
organisations) are kept, never deleted. Splits, merges and the end of a temporary branch,
which move people, are in `restructuring.py`."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit

from .models import (
    CommitteeSeat,
    Department,
    JointDepartment,
    Organization,
    OrganizationName,
    OrgKind,
)
from .rules import CHILD_KINDS, JOINT_BRANCH_MAX_UNITS, JOINT_BRANCH_MIN_UNITS, joint_units_problem

# Committees are set up and dissolved by the committee above the hospital, not here.
NOT_DISSOLVED_HERE = (OrgKind.GUIDANCE_COMMITTEE, OrgKind.COMMITTEE)


class OrgError(ValueError):
    """A refused change; the message is Chinese."""


def hospital_of(org: Organization) -> Organization | None:
    """The hospital Party committee `org` lies in: its topmost committee at or above it."""
    paths = [org.path[:n] for n in range(org.steplen, len(org.path) + 1, org.steplen)]
    return (
        Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE)
        .order_by("depth")
        .first()
    )


def check_day(on: dt.date, org: Organization | None = None, what: str = "调整日期") -> None:
    if on is None:
        raise OrgError(f"请填写{what}")
    if on > timezone.localdate():
        raise OrgError(f"{what}不能晚于今天")
    if org is not None and org.founded_on and on < org.founded_on:
        raise OrgError(f"{what}不能早于{org.name}的成立日期 {org.founded_on.isoformat()}")


def check_open(org: Organization) -> None:
    if org.dissolved_on is not None:
        raise OrgError(f"{org.name} 已于 {org.dissolved_on.isoformat()} 撤销")


def open_children(org: Organization):
    return Organization.objects.get_children(org).filter(dissolved_on__isnull=True)


def check_no_open_children(org: Organization) -> None:
    names = list(open_children(org).values_list("name", flat=True)[:5])
    if names:
        raise OrgError(f"{org.name} 下还有未撤销的下级组织：{'、'.join(names)}，请先撤销")


def check_new_name(parent: Organization, name: str, *, leaving=()) -> str:
    """A stripped name that no open sibling under `parent` bears (those in `leaving`, which
    the same change dissolves, aside)."""
    name = (name or "").strip()
    if not name:
        raise OrgError("请填写组织名称")
    taken = open_children(parent).filter(name=name).exclude(pk__in=[o.pk for o in leaving])
    if taken.exists():
        raise OrgError(f"{parent.name} 下已有名为“{name}”的组织")
    return name


def check_new_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise OrgError("请填写组织编码")
    if Organization.objects.filter(code=code).exists():
        raise OrgError(f"组织编码 {code} 已存在")
    return code


def department_named(
    hospital: Organization, name: str, category: str = "", *, by=None
) -> Department | None:
    """The hospital's department of this name, added (with `category`) when it has none;
    None for an empty name. An existing department keeps its category."""
    name = (name or "").strip()
    if not name:
        return None
    department, created = Department.objects.get_or_create(
        hospital=hospital, name=name, defaults={"category": category or ""}
    )
    if created:
        audit.record(
            "org.department_create", actor=by, obj=department, org_path=hospital.path,
            summary={"name": name, "category": category},
        )  # fmt: skip
    return department


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
    planned_end_on: dt.date | None = None,
    department_name: str = "",
    department_category: str = "",
    by=None,
) -> Organization:
    """A new organisation under `parent`, of a kind that may stand there. The department
    is given as a row or by name (`department_name`, found or added to the hospital)."""
    # Locked and fresh: treebeard numbers the new child from the parent's row.
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    check_open(parent)
    code = check_new_code(code)
    if kind not in OrgKind.values:
        raise OrgError(f"未知的组织类型：{kind}")
    if kind not in CHILD_KINDS[parent.kind]:
        label = OrgKind(kind).label
        raise OrgError(f"{parent.get_kind_display()}之下不能设立{label}")
    name = check_new_name(parent, name)
    if is_temporary and kind != OrgKind.BRANCH:
        raise OrgError("只有党支部可以设为临时党支部")
    if planned_end_on and not is_temporary:
        raise OrgError("只有临时党支部有计划结束日期")
    if planned_end_on and founded_on and planned_end_on <= founded_on:
        raise OrgError("计划结束日期须晚于成立日期")
    hospital = hospital_of(parent)
    if department is not None and department.hospital_id != getattr(hospital, "pk", 0):
        raise OrgError(f"科室 {department.name} 不属于本院")
    if department_name.strip():
        if hospital is None:
            raise OrgError("本组织及其上级中没有医院党委，无法关联科室")
        department = department_named(hospital, department_name, department_category, by=by)
    org = Organization.objects.add_child(
        parent,
        {
            "code": code,
            "name": name,
            "kind": kind,
            "department": department,
            "founded_on": founded_on,
            "is_temporary": is_temporary,
            "planned_end_on": planned_end_on,
        },
    )
    audit.record(
        "org.create", actor=by, obj=org, org_path=org.path,
        summary={"code": code, "name": name, "kind": kind, "temporary": is_temporary},
    )  # fmt: skip
    return org


@transaction.atomic
def rename(org: Organization, name: str, on: dt.date, *, by=None) -> Organization:
    """更名 from `on`: the old name is kept as a former name (曾用名) used until then."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_open(org)
    check_day(on, org, "更名日期")
    last = org.former_names.first()
    if last is not None and on < last.used_until:
        raise OrgError(f"更名日期不能早于上次更名日期 {last.used_until.isoformat()}")
    parent = Organization.objects.get_parent(org)
    new_name = check_new_name(parent, name, leaving=[org]) if parent else (name or "").strip()
    if not new_name:
        raise OrgError("请填写组织名称")
    if new_name == org.name:
        raise OrgError("新名称与现名称相同")
    OrganizationName.objects.create(organization=org, name=org.name, used_until=on)
    old_name, org.name = org.name, new_name
    org.save(update_fields=["name"])
    audit.record(
        "org.rename", actor=by, obj=org, org_path=org.path,
        summary={"from": old_name, "to": new_name, "on": on,
                 "changes": {"name": [old_name, new_name]}},
    )  # fmt: skip
    return org


def joint_departments(org: Organization) -> list[Department]:
    """The departments a joint branch covers now (none for an ordinary branch)."""
    links = org.joint_departments.filter(ended_on__isnull=True).select_related("department")
    return [link.department for link in links]


@transaction.atomic
def set_joint_departments(
    org: Organization, departments: list[Department], on: dt.date, *, by=None
) -> bool:
    """Make `org` a joint branch (联合党支部) covering `departments` from `on` (two to five,
    RULES.md §3), or an ordinary branch again with none. Links that go are closed on `on`,
    not deleted. Returns whether anything changed."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_open(org)
    if org.kind != OrgKind.BRANCH:
        raise OrgError("只有党支部可以设为联合党支部")
    check_day(on, org, "生效日期")
    wanted = {d.pk: d for d in departments}
    problem = joint_units_problem(len(wanted))
    if problem == "too_many":
        raise OrgError(
            f"联合党支部覆盖的单位一般不超过{JOINT_BRANCH_MAX_UNITS}个，已选{len(wanted)}个"
        )
    if problem == "too_few":
        raise OrgError(f"联合党支部至少涵盖{JOINT_BRANCH_MIN_UNITS}个科室")
    hospital = hospital_of(org)
    foreign = [d.name for d in wanted.values() if d.hospital_id != getattr(hospital, "pk", 0)]
    if foreign:
        raise OrgError(f"科室 {'、'.join(foreign)} 不属于本院")
    if wanted and org.department_id and org.department_id not in wanted:
        raise OrgError(f"联合党支部的科室须包含本支部的对应科室 {org.department.name}")
    open_links = {
        link.department_id: link
        for link in org.joint_departments.select_for_update().filter(ended_on__isnull=True)
    }
    gone = [link for pk, link in open_links.items() if pk not in wanted]
    added = [d for pk, d in wanted.items() if pk not in open_links]
    if not gone and not added:
        return False
    if any(on < link.started_on for link in gone):
        raise OrgError("生效日期不能早于原联合科室的开始日期")
    for link in gone:
        link.ended_on = on
        link.save(update_fields=["ended_on"])
    JointDepartment.objects.bulk_create(
        JointDepartment(organization=org, department=d, started_on=on) for d in added
    )
    audit.record(
        "org.joint_departments", actor=by, obj=org, org_path=org.path,
        summary={"added": [d.name for d in added],
                 "ended": [link.department.name for link in gone], "on": on},
    )  # fmt: skip
    return True


def open_members(org: Organization):
    """The people whose organisation relation (组织关系) is in `org` now."""
    from dangjian.people.models import Person

    return Person.objects.filter(
        memberships__organization=org, memberships__ended_on__isnull=True
    ).order_by("name", "pk")


@transaction.atomic
def dissolve_organization(
    org: Organization, on: dt.date, *, by=None, action: str = "org.dissolve"
) -> None:
    """撤销 from `on`: refused while anyone's organisation relation is still there or a
    child is still open; the committee seats still held end the same day. The row stays,
    with its history, marked dissolved."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if org.kind in NOT_DISSOLVED_HERE:
        raise OrgError(f"{org.get_kind_display()}的撤销由上级党组织决定，不能在此办理")
    check_open(org)
    check_day(on, org, "撤销日期")
    members = open_members(org).count()
    if members:
        raise OrgError(f"{org.name} 仍有成员（{members} 人），请先拆分、合并或调出后再撤销")
    check_no_open_children(org)
    seats = CommitteeSeat.objects.select_for_update().filter(
        organization=org, ended_on__isnull=True
    )
    late = seats.filter(started_on__gt=on).select_related("person").first()
    if late is not None:
        raise OrgError(f"{late.person.name} 的任职日期 {late.started_on.isoformat()} 晚于撤销日期")
    ended = seats.update(ended_on=on)
    org.joint_departments.filter(ended_on__isnull=True).update(ended_on=on)
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on"])
    audit.record(
        action, actor=by, obj=org, org_path=org.path,
        summary={"code": org.code, "on": on, "seats_ended": ended},
    )  # fmt: skip


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
        dissolve_organization(org, on, by=by)
    return len(moves)
