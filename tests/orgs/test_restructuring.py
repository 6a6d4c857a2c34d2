"""Organisations run from the registry (issue 16): create, rename, split, merge, dissolve,
joint branches (联合党支部, at most 5 units: RULES.md §3) and the end of a temporary branch.
Every change is one transaction with an audit entry; a refusal is Chinese and changes
nothing; history rows are kept."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import (
    CommitteePost,
    CommitteeSeat,
    Department,
    JointDepartment,
    Organization,
    OrganizationName,
    OrgKind,
    Succession,
)
from dangjian.orgs.restructuring import (
    NewBranch,
    end_temporary,
    home_branch,
    merge,
    plan_split,
    split,
)
from dangjian.orgs.rules import joint_units_problem, new_branch_problem
from dangjian.orgs.services import (
    OrgError,
    create_organization,
    dissolve_organization,
    rename,
    set_joint_departments,
)
from dangjian.people.models import Membership, MembershipReason, Status
from dangjian.people.queries import member_figures
from dangjian.people.services import PeopleError, move_person
from tests.factories import DepartmentFactory, add_org, add_seat, make_member

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2024, 7, 1)
THREE = [
    NewBranch("HA-XN", "心内科党支部", "心内科", "clinical"),
    NewBranch("HA-XH", "消化内科党支部", "消化内科", "clinical"),
    NewBranch("HA-HX", "呼吸内科党支部", "呼吸内科", "clinical"),
]


@pytest.fixture
def internal(world):
    """内科党支部 of hospital A with nine members, its secretary among them."""
    dept = DepartmentFactory(hospital=world.ha, name="内科")
    branch = add_org(world.ha, "HA-NK", OrgKind.BRANCH, "内科党支部", department=dept)
    people = [make_member(branch, name=f"内科{i}") for i in range(8)]
    people.append(make_member(branch, name="内科预备", status=Status.PROBATIONARY))
    add_seat(branch, people[0], CommitteePost.SECRETARY)
    world.ha.refresh_from_db()
    return branch, people


def thirds(people) -> dict[int, int]:
    return {p.pk: i % 3 for i, p in enumerate(people)}


def snapshot():
    """What a refused change must leave as it was."""
    return (
        list(Organization.objects.values_list("code", "name", "dissolved_on")),
        list(Membership.objects.values_list("person_id", "organization_id", "ended_on")),
        list(CommitteeSeat.objects.values_list("pk", "ended_on")),
        list(JointDepartment.objects.values_list("pk", "ended_on")),
        OrganizationName.objects.count(),
        Succession.objects.count(),
        AuditEntry.objects.filter(action__startswith="org.").count(),
    )


# -- split --------------------------------------------------------------------------------


def test_split_moves_everyone_keeps_history_and_dissolves_the_old_branch(world, internal):
    branch, people = internal
    new = split(branch, THREE, thirds(people), ON)

    assert [o.name for o in new] == ["心内科党支部", "消化内科党支部", "呼吸内科党支部"]
    assert all(Organization.objects.get_parent(o) == world.ha and o.founded_on == ON for o in new)
    assert [o.department.name for o in new] == ["心内科", "消化内科", "呼吸内科"]
    assert Department.objects.get(hospital=world.ha, name="消化内科").category == "clinical"
    assert [o.memberships.filter(ended_on__isnull=True).count() for o in new] == [3, 3, 3]
    branch.refresh_from_db()
    assert branch.dissolved_on == ON
    old = Membership.objects.filter(organization=branch)
    assert old.count() == 9 and set(old.values_list("ended_on", "end_reason")) == {
        (ON, MembershipReason.RESTRUCTURE)
    }
    assert CommitteeSeat.objects.get(organization=branch).ended_on == ON
    assert Succession.objects.filter(predecessor=branch, kind="split").count() == 3
    assert AuditEntry.objects.filter(action="org.split", object_id=str(branch.pk)).exists()
    assert AuditEntry.objects.filter(action="person.move").count() == 9
    assert AuditEntry.objects.filter(action="org.dissolve", object_id=str(branch.pk)).exists()


def test_a_split_keeps_the_hospitals_member_total(world, internal):
    branch, people = internal
    today = timezone.localdate()
    before = member_figures(world.ha.path, today)
    assert before["total"] == 9
    split(branch, THREE, thirds(people), today)
    assert member_figures(world.ha.path, today) == before


def test_the_plan_counts_members_and_warns_of_a_small_branch(internal):
    branch, people = internal
    assignments = {p.pk: 0 for p in people}
    assignments[people[1].pk] = 1
    plan = plan_split(branch, THREE[:2], assignments, ON)
    first, second = plan.destinations
    assert (len(first.people), first.full_members, first.members) == (8, 7, 8)
    assert first.warning == ""
    assert (len(second.people), second.full_members) == (1, 1)
    assert "正式党员不足3名" in second.warning
    assert plan.moved == 9
    assert not Organization.objects.filter(code__in=["HA-XN", "HA-XH"]).exists()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unassigned", "未分配新支部：内科预备"),
        ("one_branch", "至少需要两个新支部"),
        ("empty_branch", "没有分配人员：呼吸内科党支部"),
        ("code_taken", "组织编码 HA-B1 已存在"),
        ("codes_repeated", "组织编码重复：HA-XN"),
        ("name_taken", "已有名为“HA行政党支部”的组织"),
        ("no_name", "请填写组织名称"),
        ("future", "不能晚于今天"),
        ("before_membership", "早于以下人员组织关系的开始日期：内科0（2010-07-01）"),
        ("has_group", "未撤销的下级组织：内科第一党小组"),
        ("dissolved", "已于 2024-01-01 撤销"),
    ],
)
def test_a_split_the_rules_refuse_changes_nothing(world, internal, case, message):
    branch, people = internal
    branches, assignments, on = list(THREE), thirds(people), ON
    if case == "unassigned":
        del assignments[people[-1].pk]
    elif case == "one_branch":
        branches, assignments = branches[:1], {p.pk: 0 for p in people}
    elif case == "empty_branch":
        assignments = {p.pk: i % 2 for i, p in enumerate(people)}
    elif case == "code_taken":
        branches[1] = NewBranch("HA-B1", "消化内科党支部")
    elif case == "codes_repeated":
        branches[1] = NewBranch("HA-XN", "消化内科党支部")
    elif case == "name_taken":
        branches[2] = NewBranch("HA-HX", "HA行政党支部")
    elif case == "no_name":
        branches[2] = NewBranch("HA-HX", " ")
    elif case == "future":
        on = timezone.localdate() + dt.timedelta(days=1)
    elif case == "before_membership":
        on = D(2009, 1, 1)
    elif case == "has_group":
        add_org(branch, "HA-NK-G1", OrgKind.GROUP, "内科第一党小组")
    elif case == "dissolved":
        Organization.objects.filter(pk=branch.pk).update(dissolved_on=D(2024, 1, 1))
        branch.refresh_from_db()
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        split(branch, branches, assignments, on)
    assert snapshot() == before


def test_a_failure_while_moving_rolls_the_whole_split_back(internal, monkeypatch):
    """A move refused halfway (after two branches and four moves are written) leaves no
    trace: the split is one transaction."""
    branch, people = internal
    from dangjian.orgs import restructuring

    calls = []

    def refusing_move(person, *args, **kwargs):
        calls.append(person.pk)
        if len(calls) == 5:
            raise PeopleError(f"{person.name}：模拟的拒绝")
        return move_person(person, *args, **kwargs)

    monkeypatch.setattr(restructuring, "move_person", refusing_move)
    before = snapshot()
    with pytest.raises(OrgError, match="模拟的拒绝"):
        split(branch, THREE, thirds(people), ON)
    assert len(calls) == 5
    assert snapshot() == before


# -- merge --------------------------------------------------------------------------------


def test_merge_into_an_existing_branch(world):
    a = [make_member(world.ha_b1) for _ in range(2)]
    b = [make_member(world.ha_b2) for _ in range(3)]
    add_seat(world.ha_b2, b[0], CommitteePost.SECRETARY)
    target = merge([world.ha_b2], ON, into=world.ha_b1)
    assert target == world.ha_b1
    assert set(open_people(world.ha_b1)) == {p.pk for p in a + b}
    world.ha_b2.refresh_from_db()
    assert world.ha_b2.dissolved_on == ON
    assert CommitteeSeat.objects.get(organization=world.ha_b2).ended_on == ON
    assert Succession.objects.get(predecessor=world.ha_b2).successor == world.ha_b1
    assert AuditEntry.objects.filter(action="org.merge", object_id=str(target.pk)).exists()


def test_merge_into_a_new_branch(world):
    people = [make_member(world.ha_b1), make_member(world.ha_b2)]
    target = merge(
        [world.ha_b1, world.ha_b2], ON, new=NewBranch("HA-HB", "内科联合党支部", "内科", "clinical")
    )
    assert Organization.objects.get_parent(target) == world.ha and target.founded_on == ON
    assert set(open_people(target)) == {p.pk for p in people}
    assert Organization.objects.filter(code__in=["HA-B1", "HA-B2"], dissolved_on=ON).count() == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_parent", "同一上级组织"),
        ("target_among_sources", "既是被合并的支部又是并入的支部"),
        ("one_into_new", "至少需要选择两个支部"),
        ("neither", "请选择并入的支部，或填写新支部"),
        ("temporary_target", "不是常设党支部"),
        ("other_hospital_target", "同一上级组织"),
    ],
)
def test_a_merge_the_rules_refuse_changes_nothing(world, case, message):
    make_member(world.ha_b1)
    make_member(world.ha_b2)
    sources, into, new = [world.ha_b2], world.ha_b1, None
    if case == "other_parent":
        general = add_org(world.ha, "HA-ZZ", OrgKind.GENERAL_BRANCH, "内科党总支")
        sources = [world.ha_b2, add_org(general, "HA-ZZ-1", OrgKind.BRANCH, "一支部")]
    elif case == "target_among_sources":
        sources = [world.ha_b1, world.ha_b2]
    elif case == "one_into_new":
        into, new = None, NewBranch("HA-N", "新支部")
    elif case == "neither":
        into = None
    elif case == "temporary_target":
        world.ha.refresh_from_db()
        into = add_org(world.ha, "HA-T", OrgKind.BRANCH, "临时党支部", is_temporary=True)
    elif case == "other_hospital_target":
        into = world.hb_b1
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        merge(sources, ON, into=into, new=new)
    assert snapshot() == before


def open_people(org) -> list[int]:
    return list(org.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True))


# -- dissolve -----------------------------------------------------------------------------


def test_dissolving_an_empty_branch_ends_its_open_seats(world):
    person = make_member(world.ha_b2)
    seat = add_seat(world.ha_b1, person, CommitteePost.PUBLICITY)  # a seat held from elsewhere
    dissolve_organization(world.ha_b1, ON)
    world.ha_b1.refresh_from_db()
    seat.refresh_from_db()
    assert world.ha_b1.dissolved_on == ON and seat.ended_on == ON
    assert Organization.objects.filter(pk=world.ha_b1.pk).exists()  # the row stays
    assert AuditEntry.objects.filter(action="org.dissolve").count() == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("members", "仍有成员（1 人）"),
        ("open_child", "未撤销的下级组织：第一党小组"),
        ("committee", "党委的撤销由上级党组织决定"),
        ("twice", "已于 2024-01-01 撤销"),
        ("before_founding", "不能早于.*成立日期 2024-09-01"),
        ("seat_after", "任职日期 2024-09-01 晚于撤销日期"),
    ],
)
def test_a_dissolution_the_rules_refuse_changes_nothing(world, case, message):
    org = world.ha_b1
    if case == "members":
        make_member(org)
    elif case == "open_child":
        add_org(org, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    elif case == "committee":
        org = world.ha
    elif case == "twice":
        Organization.objects.filter(pk=org.pk).update(dissolved_on=D(2024, 1, 1))
    elif case == "before_founding":
        Organization.objects.filter(pk=org.pk).update(founded_on=D(2024, 9, 1))
    elif case == "seat_after":
        add_seat(org, make_member(world.ha_b2), CommitteePost.YOUTH, started_on=D(2024, 9, 1))
    org.refresh_from_db()
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        dissolve_organization(org, ON)
    assert snapshot() == before


def test_a_dissolved_group_no_longer_blocks_its_branch(world):
    group = add_org(world.ha_b1, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    dissolve_organization(group, D(2024, 6, 1))
    world.ha_b1.refresh_from_db()
    dissolve_organization(world.ha_b1, ON)
    world.ha_b1.refresh_from_db()
    assert world.ha_b1.dissolved_on == ON


# -- rename -------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_as_history(world):
    rename(world.ha_b2, "党政综合党支部", D(2024, 3, 1))
    rename(world.ha_b2, "机关第一党支部", ON)
    world.ha_b2.refresh_from_db()
    assert world.ha_b2.name == "机关第一党支部"
    assert list(world.ha_b2.former_names.values_list("name", "used_until")) == [
        ("党政综合党支部", ON),
        ("HA行政党支部", D(2024, 3, 1)),
    ]
    entry = AuditEntry.objects.filter(action="org.rename").order_by("seq").last()
    assert entry.summary == {
        "from": "党政综合党支部", "to": "机关第一党支部", "on": "2024-07-01",
        "changes": {"name": ["党政综合党支部", "机关第一党支部"]},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "on", "message"),
    [
        ("HA行政党支部", ON, "新名称与现名称相同"),
        ("HA心内科党支部", ON, "已有名为“HA心内科党支部”的组织"),
        ("  ", ON, "请填写组织名称"),
        ("新名称", D(2099, 1, 1), "不能晚于今天"),
        ("新名称", D(2023, 12, 31), "不能早于上次更名日期 2024-01-01"),
    ],
)
def test_a_rename_the_rules_refuse_changes_nothing(world, name, on, message):
    OrganizationName.objects.create(organization=world.ha_b2, name="旧名", used_until=D(2024, 1, 1))
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        rename(world.ha_b2, name, on)
    assert snapshot() == before


# -- joint branch (联合党支部) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "problem"),
    [(0, None), (1, "too_few"), (2, None), (3, None), (5, None), (6, "too_many"), (9, "too_many")],
)
def test_a_joint_branch_covers_two_to_five_units(units, problem):
    assert joint_units_problem(units) == problem


@pytest.mark.parametrize(
    ("units", "message"),
    [
        (1, "至少涵盖2个科室"),
        (2, None),
        (5, None),
        (6, "联合党支部覆盖的单位一般不超过5个，已选6个"),
        (7, "不超过5个，已选7个"),
    ],
)
def test_the_joint_branch_limit_is_kept_by_the_service(world, units, message):
    departments = [DepartmentFactory(hospital=world.ha, name=f"科{i}") for i in range(units)]
    branch = world.ha_b2  # no department of its own
    if message is None:
        assert set_joint_departments(branch, departments, ON) is True
        assert branch.joint_departments.filter(ended_on__isnull=True).count() == units
        assert AuditEntry.objects.filter(action="org.joint_departments").count() == 1
        return
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        set_joint_departments(branch, departments, ON)
    assert snapshot() == before


def test_changing_a_joint_branchs_departments_closes_links_and_keeps_them(world):
    a, b, c = (DepartmentFactory(hospital=world.ha, name=n) for n in ("眼科", "耳鼻喉科", "口腔科"))
    set_joint_departments(world.ha_b2, [a, b], D(2024, 1, 1))
    set_joint_departments(world.ha_b2, [a, c], ON)
    rows = JointDepartment.objects.filter(organization=world.ha_b2).order_by("id")
    assert list(rows.values_list("department__name", "started_on", "ended_on")) == [
        ("眼科", D(2024, 1, 1), None),
        ("耳鼻喉科", D(2024, 1, 1), ON),
        ("口腔科", ON, None),
    ]
    assert set_joint_departments(world.ha_b2, [a, c], ON) is False  # no change, no entry
    set_joint_departments(world.ha_b2, [], ON)  # an ordinary branch again
    assert not rows.filter(ended_on__isnull=True).exists() and rows.count() == 3


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_hospital", "不属于本院"),
        ("without_its_own", "须包含本支部的对应科室 HA心内科"),
        ("not_a_branch", "只有党支部可以设为联合党支部"),
    ],
)
def test_joint_departments_the_rules_refuse(world, case, message):
    org = world.ha_b1  # linked to HA心内科
    ours = [org.department, DepartmentFactory(hospital=world.ha, name="眼科")]
    if case == "other_hospital":
        ours.append(DepartmentFactory(hospital=world.hb, name="外院科室"))
    elif case == "without_its_own":
        ours = [DepartmentFactory(hospital=world.ha, name=n) for n in ("甲科", "乙科")]
    elif case == "not_a_branch":
        org = world.ha
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        set_joint_departments(org, ours, ON)
    assert snapshot() == before


# -- temporary branch (临时党支部) --------------------------------------------------------


@pytest.fixture
def rescue(world):
    """A temporary branch whose people came from the two standing branches."""
    team = create_organization(
        world.ha, code="HA-JY", name="紧急医学救援队临时党支部", kind=OrgKind.BRANCH,
        founded_on=D(2024, 2, 1), is_temporary=True, planned_end_on=D(2024, 8, 1),
    )  # fmt: skip
    people = [make_member(world.ha_b1), make_member(world.ha_b2), make_member(world.ha_b1)]
    for person in people:
        move_person(person, team, D(2024, 2, 1))
    return team, people


def test_ending_a_temporary_branch_sends_people_home_and_dissolves_it(world, rescue):
    team, people = rescue
    homes = {p.pk: home_branch(p, team) for p in people}
    assert [homes[p.pk] for p in people] == [world.ha_b1, world.ha_b2, world.ha_b1]
    assert end_temporary(team, homes, ON) == 3
    team.refresh_from_db()
    assert team.dissolved_on == ON and team.planned_end_on == D(2024, 8, 1)
    for person in people:
        person.refresh_from_db()
        assert person.organization == homes[person.pk]
        assert list(person.memberships.values_list("organization__code", flat=True)) == [
            homes[person.pk].code,
            "HA-JY",
            homes[person.pk].code,
        ]
    assert AuditEntry.objects.filter(action="org.end_temporary").count() == 1


def test_a_home_branch_dissolved_meanwhile_is_no_default(world, rescue):
    team, people = rescue
    dissolve_organization(world.ha_b2, D(2024, 3, 1))
    assert home_branch(people[1], team) is None


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "未选择回到的支部"),
        ("to_itself", "请选择本院的常设党支部"),
        ("other_hospital", "请选择本院的常设党支部"),
        ("not_temporary", "不是临时党支部"),
        ("before_founding", "不能早于.*成立日期 2024-02-01"),
    ],
)
def test_ending_a_temporary_branch_the_rules_refuse(world, rescue, case, message):
    team, people = rescue
    returns, on = {p.pk: world.ha_b1 for p in people}, ON
    if case == "missing":
        del returns[people[0].pk]
    elif case == "to_itself":
        returns[people[0].pk] = team
    elif case == "other_hospital":
        returns[people[0].pk] = world.hb_b1
    elif case == "not_temporary":
        team = world.ha_b2
    elif case == "before_founding":
        on = D(2024, 1, 1)
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        end_temporary(team, returns, on)
    assert snapshot() == before


# -- create -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parent", "fields", "message"),
    [
        ("ha", {"kind": OrgKind.GROUP}, "党委之下不能设立党小组"),
        ("ha_b1", {"kind": OrgKind.BRANCH}, "党支部之下不能设立党支部"),
        ("ha", {"kind": OrgKind.GENERAL_BRANCH, "is_temporary": True}, "只有党支部可以设为临时"),
        ("ha", {"kind": OrgKind.BRANCH, "planned_end_on": D(2025, 1, 1)}, "只有临时党支部"),
        ("ha", {"kind": OrgKind.BRANCH, "name": "HA行政党支部"}, "已有名为"),
        ("ha", {"kind": OrgKind.BRANCH, "code": "HA-B2"}, "已存在"),
    ],
)
def test_a_new_organisation_the_rules_refuse(world, parent, fields, message):
    values = {"code": "HA-NEW", "name": "新党支部", **fields}
    before = snapshot()
    with pytest.raises(OrgError, match=message):
        create_organization(getattr(world, parent), **values)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("full", "members", "problem"),
    [(2, 2, "too_few_full"), (3, 3, None), (3, 50, None), (40, 51, "too_large")],
)
def test_new_branch_size_warnings(full, members, problem):
    assert new_branch_problem(full, members) == problem
