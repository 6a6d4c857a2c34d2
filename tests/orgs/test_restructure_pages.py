"""The office's organisation pages (issue 16): each renders for hospital A's office with a
fixed number of queries, answers 404 to hospital B's office and 403 to a branch secretary,
is reached from the organisation's page, and confirms a destructive change first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import (
    CommitteePost,
    Department,
    JointDepartment,
    Organization,
    OrganizationName,
    OrgKind,
)
from dangjian.orgs.services import create_organization
from dangjian.people.models import Membership, Status
from dangjian.people.queries import member_figures
from dangjian.people.services import move_person
from tests.factories import DepartmentFactory, add_org, add_seat, make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _internal(world):
    """内科党支部 (HA-NK) of hospital A, made once per test."""
    found = Organization.objects.filter(code="HA-NK").first()
    if found:
        return found
    world.ha.refresh_from_db()
    dept = DepartmentFactory(hospital=world.ha, name="内科")
    return add_org(world.ha, "HA-NK", OrgKind.BRANCH, "内科党支部", department=dept)


def _temporary(world):
    found = Organization.objects.filter(code="HA-JY").first()
    if found:
        return found
    return create_organization(
        world.ha, code="HA-JY", name="医疗队临时党支部", kind=OrgKind.BRANCH,
        founded_on=dt.date(2024, 2, 1), is_temporary=True, planned_end_on=dt.date(2024, 8, 1),
    )  # fmt: skip


class TestNewChildPage(ScopedPageTest):
    expected_text = ("新建下级组织", "组织编码", "临时党支部", "计划结束日期")

    def url(self, world):
        return reverse("orgs:new_child", args=[world.ha.code])

    def grow(self, world, n):
        for _ in range(n):
            DepartmentFactory(hospital=world.ha)


class TestRenamePage(ScopedPageTest):
    expected_text = ("更名", "曾用名", "HA行政党支部")

    def url(self, world):
        return reverse("orgs:rename", args=[world.ha_b2.code])

    def grow(self, world, n):
        start = OrganizationName.objects.count()
        for i in range(n):
            OrganizationName.objects.create(
                organization=world.ha_b2, name=f"旧名{start + i}", used_until=dt.date(2020, 1, 1)
            )


class TestJointPage(ScopedPageTest):
    expected_text = ("联合党支部科室", "涵盖科室", "HA心内科")

    def url(self, world):
        return reverse("orgs:joint", args=[world.ha_b1.code])

    def grow(self, world, n):
        for _ in range(n):
            DepartmentFactory(hospital=world.ha)


class TestDissolvePage(ScopedPageTest):
    expected_text = ("撤销 内科党支部", "暂不能撤销", "仍有未撤销的下级组织")

    def url(self, world):
        return reverse("orgs:dissolve", args=[_internal(world).code])

    def grow(self, world, n):
        branch = _internal(world)
        for _ in range(n):
            branch.refresh_from_db()
            add_org(branch, f"HA-NK-G{branch.numchild + 1}", OrgKind.GROUP)
            make_member(branch)


class TestSplitPage(ScopedPageTest):
    expected_text = ("拆分 内科党支部", "新支部 3", "人员去向", "增加一个新支部", "按科室自动选择")

    def url(self, world):
        return reverse("orgs:split", args=[_internal(world).code])

    def grow(self, world, n):
        branch = _internal(world)
        for _ in range(n):
            make_member(branch, department=branch.department)


class TestMergePage(ScopedPageTest):
    expected_text = ("合并支部", "被合并的支部", "HA心内科党支部", "新建一个支部")

    def url(self, world):
        return reverse("orgs:merge", args=[world.ha_b1.code])

    def grow(self, world, n):
        for _ in range(n):
            world.ha.refresh_from_db()
            add_org(world.ha, f"HA-M{world.ha.numchild + 1}", OrgKind.BRANCH)


class TestEndTemporaryPage(ScopedPageTest):
    expected_text = ("结束 医疗队临时党支部", "计划结束日期：2024-08-01", "人员去向")

    def url(self, world):
        return reverse("orgs:end_temporary", args=[_temporary(world).code])

    def grow(self, world, n):
        team = _temporary(world)
        for i in range(n):
            person = make_member(world.ha_b1 if i % 2 else world.ha_b2)
            move_person(person, team, dt.date(2024, 2, 1))


PAGES = ["new_child", "rename", "joint", "dissolve", "split", "merge"]


@pytest.mark.parametrize("name", PAGES)
def test_a_branch_secretary_may_not_restructure(client, world, name):
    secretary = make_user("secretary-b1", "secretary", world.ha_b1)
    client.force_login(secretary)
    url = reverse(f"orgs:{name}", args=[world.ha_b1.code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"on": "2024-07-01", "confirm": "1"}).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_another_hospitals_office_cannot_post_either(client, world, name):
    client.force_login(world.user("office", "B"))
    response = client.post(reverse(f"orgs:{name}", args=[world.ha_b1.code]), {"confirm": "1"})
    assert response.status_code == 404


def test_every_page_is_reached_from_the_organisation_page(client, world):
    team = _temporary(world)
    client.force_login(world.user("office"))
    branch_page = client.get(reverse("orgs:detail", args=[world.ha_b1.code])).content.decode()
    for name in PAGES:
        assert reverse(f"orgs:{name}", args=[world.ha_b1.code]) in branch_page, name
    team_page = client.get(reverse("orgs:detail", args=[team.code])).content.decode()
    assert reverse("orgs:end_temporary", args=[team.code]) in team_page
    assert reverse("orgs:split", args=[team.code]) not in team_page
    assert "计划结束日期" in team_page and "已到计划结束日期" in team_page
    hospital_page = client.get(reverse("orgs:detail", args=[world.ha.code])).content.decode()
    assert reverse("orgs:new_child", args=[world.ha.code]) in hospital_page
    assert reverse("orgs:dissolve", args=[world.ha.code]) not in hospital_page


def test_a_secretary_sees_no_restructuring_buttons(client, world):
    client.force_login(make_user("secretary-b1", "secretary", world.ha_b1))
    page = client.get(reverse("orgs:detail", args=[world.ha_b1.code])).content.decode()
    assert reverse("orgs:split", args=[world.ha_b1.code]) not in page
    assert "新建下级组织" not in page


def _split_post(people, rows, on, **extra) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "on": on.isoformat()}
    for i, (code, name, dept) in enumerate(rows):
        data |= {f"form-{i}-code": code, f"form-{i}-name": name, f"form-{i}-department": dept}
        data[f"form-{i}-category"] = "clinical" if code else ""
    for person, row in people.items():
        data[f"person_{person.pk}"] = str(row)
    return data | extra


THREE = [
    ("HA-XN", "心内科党支部", "心内科"),
    ("HA-XH", "消化内科党支部", "消化内科"),
    ("HA-HX", "呼吸内科党支部", "呼吸内科"),
]


def test_the_split_page_confirms_how_many_move_where_then_splits(client, world):
    branch = _internal(world)
    people = [make_member(branch, name=f"内科{i}") for i in range(7)]
    add_seat(branch, people[0], CommitteePost.SECRETARY)
    client.force_login(world.user("office"))
    url = reverse("orgs:split", args=[branch.code])
    total = member_figures(world.ha.path, TODAY())["total"]
    data = _split_post({p: i % 3 for i, p in enumerate(people)}, THREE, TODAY())

    page = client.post(url, data).content.decode()
    assert "确认自" in page and "拆分为 3 个支部，7 人转入新支部" in page
    assert "转入 3 人" in page and "转入 2 人" in page
    assert "正式党员不足3名" in page  # two of the three get only two full members
    assert not Organization.objects.filter(code="HA-XN").exists()  # nothing written yet

    back = client.post(url, data | {"back": "1"}).content.decode()
    assert "下一步：确认" in back and 'value="消化内科党支部"' in back

    response = client.post(url, data | {"confirm": "1"})
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.dissolved_on == TODAY()
    assert Organization.objects.filter(code__in=["HA-XN", "HA-XH", "HA-HX"]).count() == 3
    assert member_figures(world.ha.path, TODAY())["total"] == total
    old_page = client.get(reverse("orgs:detail", args=[branch.code])).content.decode()
    assert "已于" in old_page and "拆分为" in old_page and "呼吸内科党支部" in old_page
    assert reverse("orgs:split", args=[branch.code]) not in old_page  # nothing more to change
    new_page = client.get(reverse("orgs:detail", args=["HA-XH"])).content.decode()
    assert "由" in new_page and "内科党支部" in new_page and "拆分而来" in new_page


def test_the_split_page_refuses_an_unassigned_member_in_chinese(client, world):
    branch = _internal(world)
    people = [make_member(branch, name=f"内科{i}") for i in range(4)]
    client.force_login(world.user("office"))
    data = _split_post({p: i % 2 for i, p in enumerate(people[:3])}, THREE[:2], TODAY())
    page = client.post(reverse("orgs:split", args=[branch.code]), data | {"confirm": "1"})
    assert "以下人员未分配新支部：内科3" in page.content.decode()
    assert Organization.objects.get(pk=branch.pk).dissolved_on is None
    assert not Organization.objects.filter(code__startswith="HA-X").exists()


def test_a_person_sent_to_a_blank_row_is_refused(client, world):
    branch = _internal(world)
    person = make_member(branch)
    client.force_login(world.user("office"))
    data = _split_post({person: 2}, THREE[:2] + [("", "", "")], TODAY())
    page = client.post(reverse("orgs:split", args=[branch.code]), data).content.decode()
    assert "新支部 3 未填写编码和名称" in page


def test_the_split_page_adds_rows_and_assigns_by_department(client, world):
    branch = _internal(world)
    cardio = DepartmentFactory(hospital=world.ha, name="心内科")
    gastro = DepartmentFactory(hospital=world.ha, name="消化内科")
    a, b, c = (make_member(branch, department=d) for d in (cardio, gastro, None))
    client.force_login(world.user("office"))
    url = reverse("orgs:split", args=[branch.code])
    data = _split_post({}, THREE, TODAY())
    more = client.post(url, data | {"more": "1"}).content.decode()
    assert "新支部 4" in more and 'name="form-TOTAL_FORMS" value="4"' in more
    assigned = client.post(url, data | {"by_department": "1"})
    form = assigned.context["assignment"]
    assert form[f"person_{a.pk}"].value() == "0" and form[f"person_{b.pk}"].value() == "1"
    assert not form[f"person_{c.pk}"].value()


def test_the_merge_page_confirms_then_merges_into_a_new_branch(client, world):
    people = [make_member(world.ha_b1), make_member(world.ha_b2), make_member(world.ha_b2)]
    client.force_login(world.user("office"))
    url = reverse("orgs:merge", args=[world.ha_b1.code])
    data = {
        "sources": [world.ha_b1.pk, world.ha_b2.pk],
        "into": "",
        "on": TODAY().isoformat(),
        "new-code": "HA-HB",
        "new-name": "综合党支部",
    }
    page = client.post(url, data).content.decode()
    assert "确认自" in page and "3 人转入" in page and "综合党支部" in page
    response = client.post(url, data | {"confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("orgs:detail", args=["HA-HB"])
    target = Organization.objects.get(code="HA-HB")
    assert set(Membership.objects.filter(organization=target).values_list("person", flat=True)) == {
        p.pk for p in people
    }
    assert AuditEntry.objects.filter(action="org.merge").count() == 1


def test_the_merge_page_merges_into_an_existing_sibling(client, world):
    make_member(world.ha_b2)
    client.force_login(world.user("office"))
    url = reverse("orgs:merge", args=[world.ha_b2.code])
    data = {"sources": [world.ha_b2.pk], "into": world.ha_b1.pk, "on": TODAY().isoformat()}
    assert client.post(url, data | {"confirm": "1"}).status_code == 302
    assert Organization.objects.get(pk=world.ha_b2.pk).dissolved_on == TODAY()


def test_the_merge_page_offers_no_other_hospitals_branch(client, world):
    client.force_login(world.user("office"))
    url = reverse("orgs:merge", args=[world.ha_b1.code])
    data = {"sources": [world.ha_b1.pk], "into": world.hb_b1.pk, "on": TODAY().isoformat()}
    page = client.post(url, data | {"confirm": "1"})
    assert page.status_code == 200 and "into" in page.context["form"].errors
    assert "HB心内科党支部" not in page.content.decode()
    assert Organization.objects.get(pk=world.ha_b1.pk).dissolved_on is None


def test_the_dissolve_page_confirms_and_ends_seats(client, world):
    seat = add_seat(world.ha_b2, make_member(world.ha_b1, name="兼任委员"), CommitteePost.YOUTH)
    client.force_login(world.user("office"))
    url = reverse("orgs:dissolve", args=[world.ha_b2.code])
    page = client.post(url, {"on": TODAY().isoformat()}).content.decode()
    assert "确认自" in page and "在任委员同日离任：兼任委员（青年委员）" in page
    assert Organization.objects.get(pk=world.ha_b2.pk).dissolved_on is None
    assert client.post(url, {"on": TODAY().isoformat(), "confirm": "1"}).status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == TODAY()
    again = client.get(url)  # a dissolved organisation: back to its page with a message
    assert again.status_code == 302


def test_the_dissolve_page_names_what_stands_in_the_way(client, world):
    make_member(world.ha_b1)
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:dissolve", args=[world.ha_b1.code])).content.decode()
    assert "仍有 1 人的组织关系在本组织" in page
    assert reverse("orgs:split", args=[world.ha_b1.code]) in page
    response = client.post(
        reverse("orgs:dissolve", args=[world.ha_b1.code]),
        {"on": TODAY().isoformat(), "confirm": "1"},
    )
    assert "仍有成员（1 人）" in response.content.decode()
    assert Organization.objects.get(pk=world.ha_b1.pk).dissolved_on is None


def test_the_rename_page_keeps_the_former_name_on_the_organisation_page(client, world):
    client.force_login(world.user("office"))
    url = reverse("orgs:rename", args=[world.ha_b2.code])
    response = client.post(url, {"name": "党政综合党支部", "on": "2024-07-01"})
    assert response.status_code == 302
    page = client.get(reverse("orgs:detail", args=[world.ha_b2.code])).content.decode()
    assert "党政综合党支部" in page and "曾用名" in page and "HA行政党支部" in page
    assert "使用至 2024-07-01" in page
    refused = client.post(url, {"name": "HA心内科党支部", "on": "2024-08-01"}).content.decode()
    assert "已有名为“HA心内科党支部”的组织" in refused


def test_the_joint_page_refuses_six_departments_and_shows_five(client, world):
    branch = world.ha_b1
    others = [DepartmentFactory(hospital=world.ha, name=f"联合科室{i}") for i in range(5)]
    client.force_login(world.user("office"))
    url = reverse("orgs:joint", args=[branch.code])
    six = [branch.department.pk] + [d.pk for d in others]
    page = client.post(url, {"departments": six, "on": "2024-07-01"}).content.decode()
    assert "联合党支部覆盖的单位一般不超过5个，已选6个" in page
    assert not JointDepartment.objects.exists()
    assert client.post(url, {"departments": six[:5], "on": "2024-07-01"}).status_code == 302
    detail = client.get(reverse("orgs:detail", args=[branch.code])).content.decode()
    assert "联合党支部" in detail and "联合科室3" in detail and "5 个科室" in detail


def test_the_new_child_page_makes_a_temporary_branch_with_a_new_department(client, world):
    client.force_login(world.user("office"))
    url = reverse("orgs:new_child", args=[world.ha.code])
    data = {
        "kind": "branch",
        "code": "HA-YL",
        "name": "援疆医疗队临时党支部",
        "department": "援疆医疗队",
        "category": "clinical",
        "founded_on": "2024-03-01",
        "is_temporary": "on",
        "planned_end_on": "2025-03-01",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    team = Organization.objects.get(code="HA-YL")
    assert team.is_temporary and team.planned_end_on == dt.date(2025, 3, 1)
    assert Department.objects.get(hospital=world.ha, name="援疆医疗队").category == "clinical"
    added = AuditEntry.objects.get(action="org.department_create")
    assert added.actor == world.user("office")
    page = client.post(url, data).content.decode()  # the same code again
    assert "组织编码 HA-YL 已存在" in page


def test_a_refused_new_organisation_adds_no_department(client, world):
    client.force_login(world.user("office"))
    data = {"kind": "branch", "code": "HA-B1", "name": "重复编码党支部", "department": "新科室",
            "founded_on": "2024-03-01"}  # fmt: skip
    page = client.post(reverse("orgs:new_child", args=[world.ha.code]), data).content.decode()
    assert "已存在" in page
    assert not Department.objects.filter(name="新科室").exists()


def test_the_end_page_sends_people_home_by_default(client, world):
    team = _temporary(world)
    people = [make_member(world.ha_b1), make_member(world.ha_b2, status=Status.PROBATIONARY)]
    for person in people:
        move_person(person, team, dt.date(2024, 2, 1))
    client.force_login(world.user("office"))
    url = reverse("orgs:end_temporary", args=[team.code])
    form = client.get(url).context["returns"]
    assert form[f"person_{people[0].pk}"].value() == world.ha_b1.pk
    assert form[f"person_{people[1].pk}"].value() == world.ha_b2.pk
    data = {"on": "2024-08-01"} | {f"person_{p.pk}": form[f"person_{p.pk}"].value() for p in people}
    page = client.post(url, data).content.decode()
    assert "确认自 2024-08-01 结束 医疗队临时党支部，2 人回到常设支部" in page
    assert client.post(url, data | {"confirm": "1"}).status_code == 302
    team.refresh_from_db()
    assert team.dissolved_on == dt.date(2024, 8, 1)
    for person, home in zip(people, (world.ha_b1, world.ha_b2), strict=True):
        person.refresh_from_db()
        assert person.organization == home
