"""Restructuring that moves people (组织调整): split a branch into new ones, merge branches
into one, end a temporary branch (临时党支部). Each first makes a plan — checked, nothing
written — that the pages show for confirmation; carrying it out writes everything in one
transaction: the new branches, each person's move (the old 组织关系 closed and kept, a new
one opened, posts in the old branch ended), the old branches dissolved on the day, a
succession row linking old and new, and audit entries. A refusal changes nothing.

A temporary branch (临时党支部) holds the 组织关系 of its people while it lasts: a person has
exactly one open relation (a constraint), and the roster, the member counts and the dues
bills all follow it, so the people are moved into it and, when it ends, back to the branch
they came from (the relation before it, if that branch is still open) or to one the office
picks. A second, parallel attachment is not modelled."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from dangjian.core import audit
from dangjian.people.models import (
    MASSES_LABEL,
    MEMBER_STATUSES,
    Membership,
    MembershipReason,
    Person,
    Status,
)
from dangjian.people.queries import current_status
from dangjian.people.services import PeopleError, move_person

from .models import Organization, OrgKind, Succession, SuccessionKind
from .rules import new_branch_problem
from .services import (
    OrgError,
    check_day,
    check_new_code,
    check_new_name,
    check_no_open_children,
    check_open,
    create_organization,
    dissolve_organization,
    hospital_of,
    open_members,
)

SIZE_WARNINGS = {
    "too_few_full": "正式党员不足3名（支部一般由3名以上正式党员组成）",
    "too_large": "党员超过50名（支部党员一般不超过50名）",
}


@dataclass(frozen=True)
class NewBranch:
    """A branch a split or merge sets up: its code, name and department (by name; a new
    department is added to the hospital with `category`)."""

    code: str
    name: str
    department: str = ""
    category: str = ""


@dataclass
class Destination:
    """Where some people go (`people`): a new branch (`new`) or an existing one (`org`),
    where others may be already (`staying`)."""

    label: str
    new: NewBranch | None = None
    org: Organization | None = None
    people: list = field(default_factory=list)
    staying: list = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(1 for p in self.people + self.staying if p.status_now in MEMBER_STATUSES)

    @property
    def full_members(self) -> int:
        return sum(1 for p in self.people + self.staying if p.status_now == Status.FULL)

    @property
    def warning(self) -> str:
        problem = new_branch_problem(self.full_members, self.members)
        return SIZE_WARNINGS.get(problem, "")


@dataclass
class Plan:
    on: dt.date
    sources: list[Organization]
    destinations: list[Destination]

    @property
    def moved(self) -> int:
        return sum(len(d.people) for d in self.destinations)


def people_of(org: Organization) -> list[Person]:
    """Everyone whose 组织关系 is in `org` now, with their status (`status_now`) and the
    day it began there (`since`)."""
    since = Membership.objects.filter(organization=org, ended_on__isnull=True)
    rows = list(
        open_members(org).annotate(status_now=current_status()).select_related("department")
    )
    started = dict(since.values_list("person_id", "started_on"))
    for person in rows:
        person.since = started[person.pk]
        person.status_label = Status(person.status_now).label if person.status_now else MASSES_LABEL
    return rows


def _check_source(org: Organization, on: dt.date) -> None:
    check_open(org)
    if org.kind != OrgKind.BRANCH or org.is_temporary:
        raise OrgError(f"{org.name} 不是常设党支部，不能拆分或合并")
    check_no_open_children(org)
    check_day(on, org)


def _check_since(people: list[Person], on: dt.date) -> None:
    late = [p for p in people if p.since > on]
    if late:
        names = "、".join(f"{p.name}（{p.since.isoformat()}）" for p in late[:5])
        raise OrgError(f"调整日期早于以下人员组织关系的开始日期：{names}")


def _check_new_branches(parent: Organization, branches: list[NewBranch], leaving) -> None:
    codes = [b.code.strip() for b in branches]
    names = [b.name.strip() for b in branches]
    for duplicates, what in ((codes, "组织编码"), (names, "组织名称")):
        repeated = sorted({x for x in duplicates if x and duplicates.count(x) > 1})
        if repeated:
            raise OrgError(f"新支部的{what}重复：{'、'.join(repeated)}")
    for branch in branches:
        check_new_code(branch.code)
        check_new_name(parent, branch.name, leaving=leaving)


def plan_split(
    org: Organization, branches: list[NewBranch], assignments: dict[int, int], on: dt.date
) -> Plan:
    """拆分: every person of `org` goes to one of `branches` (`assignments`: person id →
    index into `branches`); refused while anyone is unassigned or a new branch gets
    nobody."""
    _check_source(org, on)
    if len(branches) < 2:
        raise OrgError("拆分至少需要两个新支部")
    _check_new_branches(Organization.objects.get_parent(org), branches, leaving=[org])
    people = people_of(org)
    unassigned = [p.name for p in people if assignments.get(p.pk) is None]
    if unassigned:
        raise OrgError(f"以下人员未分配新支部：{'、'.join(unassigned)}")
    known = {p.pk for p in people}
    if set(assignments) - known:
        raise OrgError(f"所选人员不在{org.name}，请刷新页面后重试")
    destinations = [Destination(b.name.strip(), new=b) for b in branches]
    for person in people:
        index = assignments[person.pk]
        if not 0 <= index < len(destinations):
            raise OrgError(f"{person.name} 的新支部无效")
        destinations[index].people.append(person)
    empty = [d.label for d in destinations if not d.people]
    if empty:
        raise OrgError(f"新支部没有分配人员：{'、'.join(empty)}")
    _check_since(people, on)
    return Plan(on, [org], destinations)


def plan_merge(
    sources: list[Organization],
    on: dt.date,
    *,
    into: Organization | None = None,
    new: NewBranch | None = None,
) -> Plan:
    """合并: the people of every branch in `sources` go to `into` (an open sibling branch)
    or to a `new` branch under the same parent."""
    sources = list({o.pk: o for o in sources}.values())
    if (into is None) == (new is None):
        raise OrgError("请选择并入的支部，或填写新支部")
    if new is not None and len(sources) < 2:
        raise OrgError("合并为新支部至少需要选择两个支部")
    if not sources:
        raise OrgError("请选择要并入的支部")
    parents = {o.path[: -o.steplen] for o in sources}
    if len(parents) > 1:
        raise OrgError("只能合并同一上级组织下的支部")
    for org in sources:
        _check_source(org, on)
    parent = Organization.objects.get_parent(sources[0])
    if into is not None:
        if into.pk in {o.pk for o in sources}:
            raise OrgError(f"{into.name} 既是被合并的支部又是并入的支部")
        if into.path[: -into.steplen] != sources[0].path[: -into.steplen]:
            raise OrgError("并入的支部须与被合并的支部属于同一上级组织")
        check_open(into)
        if into.kind != OrgKind.BRANCH or into.is_temporary:
            raise OrgError(f"{into.name} 不是常设党支部")
        check_day(on, into)
        destination = Destination(into.name, org=into, staying=people_of(into))
    else:
        _check_new_branches(parent, [new], leaving=sources)
        destination = Destination(new.name.strip(), new=new)
    for org in sources:
        moving = people_of(org)
        _check_since(moving, on)
        destination.people.extend(moving)
    return Plan(on, sources, [destination])


def home_branches(people: list[Person], temporary: Organization) -> dict[int, Organization]:
    """Where each person goes back when the temporary branch ends: the branch their 组织关系
    was in before it, if that is still an open, standing branch. One query."""
    before = (
        Membership.objects.filter(person__in=[p.pk for p in people], ended_on__isnull=False)
        .exclude(organization=temporary)
        .select_related("organization")
        .order_by("person_id", "-ended_on", "-id")
    )
    homes: dict[int, Organization] = {}
    seen = set()
    for row in before:
        if row.person_id in seen:
            continue
        seen.add(row.person_id)
        org = row.organization
        if org.dissolved_on is None and not org.is_temporary and org.kind == OrgKind.BRANCH:
            homes[row.person_id] = org
    return homes


def home_branch(person: Person, temporary: Organization) -> Organization | None:
    return home_branches([person], temporary).get(person.pk)


def plan_temporary_end(org: Organization, returns: dict[int, Organization], on: dt.date) -> Plan:
    """结束临时党支部: each person goes back to a standing branch of the hospital
    (`returns`: person id → branch), then the temporary branch is dissolved."""
    check_open(org)
    if not org.is_temporary:
        raise OrgError(f"{org.name} 不是临时党支部")
    check_no_open_children(org)
    check_day(on, org, "结束日期")
    people = people_of(org)
    missing = [p.name for p in people if returns.get(p.pk) is None]
    if missing:
        raise OrgError(f"以下人员未选择回到的支部：{'、'.join(missing)}")
    hospital = hospital_of(org)
    destinations: dict[int, Destination] = {}
    for person in people:
        target = returns[person.pk]
        if (
            target.kind != OrgKind.BRANCH
            or target.is_temporary
            or target.dissolved_on
            or hospital is None
            or not target.path.startswith(hospital.path)
        ):
            raise OrgError(f"{person.name}：请选择本院的常设党支部")
        destinations.setdefault(target.pk, Destination(target.name, org=target))
        destinations[target.pk].people.append(person)
    _check_since(people, on)
    return Plan(on, [org], list(destinations.values()))


def _carry_out(plan: Plan, kind: str | None, by) -> list[Organization]:
    parent = Organization.objects.get_parent(plan.sources[0])
    targets = []
    for destination in plan.destinations:
        target = destination.org
        if target is None:
            new = destination.new
            target = create_organization(
                parent, code=new.code, name=new.name, kind=OrgKind.BRANCH,
                department_name=new.department, department_category=new.category,
                founded_on=plan.on, by=by,
            )  # fmt: skip
        for person in destination.people:
            try:
                move_person(person, target, plan.on, reason=MembershipReason.RESTRUCTURE, by=by)
            except PeopleError as exc:
                raise OrgError(str(exc)) from exc
        targets.append(target)
    for source in plan.sources:
        if kind is not None:
            Succession.objects.bulk_create(
                Succession(predecessor=source, successor=t, kind=kind, on=plan.on) for t in targets
            )
        dissolve_organization(source, plan.on, by=by)
    return targets


@transaction.atomic
def split(
    org: Organization,
    branches: list[NewBranch],
    assignments: dict[int, int],
    on: dt.date,
    *,
    by=None,
) -> list[Organization]:
    """拆分 `org` into `branches` under the same parent from `on` (e.g. one 内科党支部 into
    three department branches). Returns the new branches."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    plan = plan_split(org, branches, assignments, on)
    created = _carry_out(plan, SuccessionKind.SPLIT, by)
    audit.record(
        "org.split", actor=by, obj=org, org_path=org.path,
        summary={"code": org.code, "into": [o.code for o in created], "on": on,
                 "moved": plan.moved},
    )  # fmt: skip
    return created


@transaction.atomic
def merge(
    sources: list[Organization],
    on: dt.date,
    *,
    into: Organization | None = None,
    new: NewBranch | None = None,
    by=None,
) -> Organization:
    """合并 `sources` into `into` or a `new` branch from `on`. Returns the branch they
    became."""
    locked = Organization.objects.select_for_update()
    sources = list(locked.filter(pk__in=[o.pk for o in sources]).order_by("path"))
    into = locked.get(pk=into.pk) if into is not None else None
    plan = plan_merge(sources, on, into=into, new=new)
    (target,) = _carry_out(plan, SuccessionKind.MERGE, by)
    audit.record(
        "org.merge", actor=by, obj=target, org_path=target.path,
        summary={"from": [o.code for o in sources], "into": target.code, "on": on,
                 "moved": plan.moved},
    )  # fmt: skip
    return target


@transaction.atomic
def end_temporary(
    org: Organization, returns: dict[int, Organization], on: dt.date, *, by=None
) -> int:
    """结束临时党支部 on `on`: its people go back to standing branches and it is dissolved.
    Returns the number of people moved."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    plan = plan_temporary_end(org, returns, on)
    _carry_out(plan, None, by)
    audit.record(
        "org.end_temporary", actor=by, obj=org, org_path=org.path,
        summary={"code": org.code, "on": on, "moved": plan.moved,
                 "planned_end_on": org.planned_end_on},
    )  # fmt: skip
    return plan.moved
