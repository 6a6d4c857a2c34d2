import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.orgs.models import CommitteePost, DepartmentCategory, OrgKind
from dangjian.orgs.rules import reelection_state
from dangjian.people.models import Status
from tests.factories import DepartmentFactory, add_org, add_seat, add_term, make_member

from .scoped import ScopedPageTest
from .world import add_dual_branch, add_members

pytestmark = pytest.mark.django_db


class TestOrgTree(ScopedPageTest):
    outsider_status = 200
    expected_text = ("党组织", "HA医院党委", "HA心内科党支部", "党支部")

    def url(self, world):
        return reverse("orgs:tree")

    def grow(self, world, n):
        start = world.ha.numchild
        for i in range(n):
            branch = add_dual_branch(world.ha, f"HA-T{start + i}")
            add_org(branch, f"{branch.code}-G", OrgKind.GROUP)  # a collapsed subtree

    def private_text(self, world):
        return "HA医院党委"


class TestOrgChildrenFragment(ScopedPageTest):
    expected_text = ("HA心内科党支部",)

    def url(self, world):
        return reverse("orgs:children", args=[world.ha.code])

    def grow(self, world, n):
        TestOrgTree.grow(self, world, n)


class TestOrgDetail(ScopedPageTest):
    expected_text = ("HA医院党委", "下级组织", "HA心内科党支部", "人员构成", "委员会组成")

    def url(self, world):
        return reverse("orgs:detail", args=[world.ha.code])

    def grow(self, world, n):
        TestOrgTree.grow(self, world, n)
        world.ha.refresh_from_db()
        for person in add_members(world.ha, n, status=Status.PROBATIONARY):
            add_seat(world.ha, person, CommitteePost.ORGANIZATION)


def test_tree_shows_member_counts_kinds_and_dual_leader(client, world):
    add_members(world.ha_b1, 3)
    add_members(world.ha_b2, 2, status=Status.PROBATIONARY)
    add_members(world.ha_b2, 4, status=Status.ACTIVIST)  # not members: not counted
    dual = add_dual_branch(world.ha, "HA-B3")  # its secretary is a member too
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "HA医院党委" in page and "党委" in page
    assert "6 名党员" in page  # the hospital: 3 + 2 + the dual branch's secretary
    assert "3 名党员" in page and "2 名党员" in page
    assert dual.name in page and "双带头人" in page and "非双带头人" in page
    assert "HB医院党委" not in page


def test_tree_for_guidance_shows_hospitals_and_loads_deeper_levels_lazily(client, world):
    client.force_login(world.user("guidance", "CITY"))
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "示例市医院党建工作指导委员会" in page
    assert "HA医院党委" in page and "HB医院党委" in page
    # Branches are two levels down: fetched with htmx when the hospital is opened.
    assert "HA心内科党支部" not in page
    assert reverse("orgs:children", args=["HA"]) in page
    fragment = client.get(reverse("orgs:children", args=["HA"])).content.decode()
    assert "HA心内科党支部" in fragment and "HB" not in fragment


def test_branch_detail_shows_department_seats_dual_leader_and_term(client, world):
    branch = world.ha_b1  # linked to HA心内科 (clinical)
    secretary = make_member(
        branch, name="王书记", department=branch.department, is_department_head=True
    )
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    add_seat(branch, make_member(branch, name="李委员"), CommitteePost.PUBLICITY)
    former = make_member(branch, name="赵前任")
    seat = add_seat(branch, former, CommitteePost.YOUTH)
    seat.ended_on = dt.date(2023, 6, 1)
    seat.save()
    add_members(branch, 2, status=Status.PROBATIONARY)
    add_term(branch, timezone.localdate() - dt.timedelta(days=365 * 3 - 30))
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:detail", args=[branch.code])).content.decode()
    assert "HA心内科" in page and "临床" in page
    assert "王书记" in page and "书记" in page and "李委员" in page and "宣传委员" in page
    assert "赵前任" not in page  # only open seats
    assert "支部书记为本科室负责人" in page
    assert "3个月内到期" in page
    assert "正式党员" in page and "预备党员" in page
    assert f"{reverse('people:list')}?org={branch.code}" in page


def test_branch_without_dual_leader_says_why(client, world):
    branch = world.ha_b1
    secretary = make_member(branch, name="钱书记", department=branch.department)
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    add_term(branch, dt.date(2018, 1, 1))
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:detail", args=[branch.code])).content.decode()
    assert "支部书记不是本科室负责人" in page
    assert "已逾期未换届" in page


def test_secretary_heading_another_department_is_not_dual_leader(client, world):
    branch = world.ha_b1
    other = DepartmentFactory(hospital=world.ha, name="骨科", category=DepartmentCategory.CLINICAL)
    secretary = make_member(branch, department=other, is_department_head=True)
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:detail", args=[branch.code])).content.decode()
    assert "支部书记不是本科室负责人" in page


def test_member_role_sees_no_roster_link(client, world):
    person = make_member(world.ha_b1)
    user = world.user("member")
    person.user = user
    person.save()
    client.force_login(user)
    page = client.get(reverse("orgs:detail", args=[world.ha.code])).content.decode()
    assert reverse("people:list") not in page


@pytest.mark.parametrize(
    "ends_on, state",
    [
        (dt.date(2024, 5, 31), "overdue"),
        (dt.date(2024, 6, 1), "due"),
        (dt.date(2024, 9, 1), "due"),
        (dt.date(2024, 9, 2), "ok"),
    ],
)
def test_reelection_state(ends_on, state):
    assert reelection_state(ends_on, today=dt.date(2024, 6, 1)) == state


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
