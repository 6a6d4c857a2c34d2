import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import CommitteePost
from dangjian.people.models import (
    Employment,
    Membership,
    Status,
    StatusPeriod,
    TalentCategory,
    Transfer,
    TransferDirection,
)
from tests.factories import add_seat, make_member

from .scoped import ScopedPageTest
from .world import add_members

pytestmark = pytest.mark.django_db


class TestPersonList(ScopedPageTest):
    outsider_status = 200
    expected_text = ("党员名册", "政治面貌", "正式党员", "HA心内科党支部")

    def url(self, world):
        return reverse("people:list")

    def grow(self, world, n):
        add_members(world.ha_b1, n)
        add_members(world.ha_b2, n, status=Status.PROBATIONARY, employment=Employment.RETIRED)

    def private_text(self, world):
        return "HA心内科党支部"


class TestPersonListFilteredByOrg(TestPersonList):
    outsider_status = 200

    def url(self, world):
        return reverse("people:list") + f"?org={world.ha.code}&status=full&q=测试"


def _person(world):
    """The person whose page is tested, with one row of every history kind."""
    if not hasattr(world, "person"):
        world.person = make_member(world.ha_b1, name="张三", phone="13912345678")
    return world.person


class TestPersonDetail(ScopedPageTest):
    expected_text = ("张三", "政治面貌记录", "组织关系记录", "党内职务", "组织关系转接")

    def url(self, world):
        return reverse("people:detail", args=[_person(world).pk])

    def grow(self, world, n):
        person = _person(world)
        for i in range(n):
            day = dt.date(2000 + StatusPeriod.objects.filter(person=person).count(), 1, 1)
            StatusPeriod.objects.create(
                person=person, status=Status.ACTIVIST, started_on=day, ended_on=day.replace(month=6)
            )
            Membership.objects.create(
                person=person,
                organization=world.ha_b2,
                started_on=day,
                ended_on=day.replace(month=6),
            )
            Transfer.objects.create(
                person=person,
                direction=TransferDirection.IN,
                organization=world.ha_b1,
                other_organization=f"外院党支部{i}",
                transferred_on=day,
            )
        add_seat(world.ha_b2, make_member(world.ha_b2), CommitteePost.YOUTH)
        seat = add_seat(world.ha_b2, person, CommitteePost.PUBLICITY)
        seat.ended_on = dt.date(2023, 12, 31)
        seat.save()


def _names(response) -> set[str]:
    return {row.record.name for row in response.context["table"].paginated_rows}


@pytest.fixture
def roster(world):
    """A small roster in hospital A (B1, B2) and one person in hospital B."""
    people = {
        "full": make_member(
            world.ha_b1,
            name="甲正式",
            is_department_head=True,
            talent_category=TalentCategory.DISCIPLINE_LEADER,
        ),
        "prob": make_member(
            world.ha_b2, name="乙预备", status=Status.PROBATIONARY, employment=Employment.RETIRED
        ),
        "activist": make_member(world.ha_b2, name="丙积极", status=Status.ACTIVIST),
        "other": make_member(world.hb_b1, name="丁外院"),
    }
    masses = make_member(world.ha_b1, name="戊群众")
    masses.statuses.all().delete()
    people["masses"] = masses
    return people


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"甲正式", "乙预备", "丙积极", "戊群众"}),
        ("q=正式", {"甲正式"}),
        ("org=HA-B2", {"乙预备", "丙积极"}),
        ("org=HA", {"甲正式", "乙预备", "丙积极", "戊群众"}),
        ("org=HB", set()),  # outside the user's scope: nobody, not hospital B's people
        ("status=full", {"甲正式"}),
        ("status=probationary", {"乙预备"}),
        ("status=masses", {"戊群众"}),
        ("employment=retired", {"乙预备"}),
        ("talent=discipline_leader", {"甲正式"}),
        ("talent=none", {"乙预备", "丙积极", "戊群众"}),
        ("is_department_head=true", {"甲正式"}),
        ("is_department_head=false", {"乙预备", "丙积极", "戊群众"}),
    ],
)
def test_person_list_filters(client, world, roster, query, expected):
    client.force_login(world.user("office"))
    response = client.get(reverse("people:list") + "?" + query)
    assert response.status_code == 200
    assert _names(response) == expected


def test_person_list_shows_status_labels_and_paginates_by_25(client, world, roster):
    add_members(world.ha_b1, 30)
    client.force_login(world.user("office"))
    response = client.get(reverse("people:list"))
    page = response.content.decode()
    assert "正式党员" in page and "预备党员" in page and "群众" in page
    assert len(response.context["table"].paginated_rows) == 25
    assert "共 34 人" in page


def test_person_list_sorts_by_status(client, world, roster):
    client.force_login(world.user("office"))
    response = client.get(reverse("people:list") + "?sort=-current_status")
    assert response.status_code == 200
    assert [r.record.name for r in response.context["table"].paginated_rows][0] == "乙预备"


def test_unknown_org_code_warns(client, world, roster):
    client.force_login(world.user("office"))
    page = client.get(reverse("people:list") + "?org=HB").content.decode()
    assert "组织编码不存在或不在您的权限范围内" in page


def test_detail_masks_numbers_and_audits_the_read(client, world):
    person = make_member(world.ha_b1, name="张三", phone="13912345678")
    client.force_login(world.user("office"))
    response = client.get(reverse("people:detail", args=[person.pk]))
    page = response.content.decode()
    assert person.id_number_masked in page and person.id_number not in page
    assert "139****5678" in page and "13912345678" not in page
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="person.view")
    assert entry.object_id == str(person.pk) and entry.org_path == world.ha_b1.path
    assert entry.actor_name == "office-a"


def test_reveal_with_reason_shows_full_numbers_once_and_audits(client, world):
    person = make_member(world.ha_b1, name="张三", phone="13912345678")
    client.force_login(world.user("office"))
    url = reverse("people:reveal", args=[person.pk])
    response = client.post(url, {"reason": "核对组织关系转接材料"})
    page = response.content.decode()
    assert response.status_code == 200
    assert person.id_number in page and "13912345678" in page
    entry = AuditEntry.objects.get(action="person.reveal")
    assert entry.summary == {"reason": "核对组织关系转接材料"}
    assert entry.org_path == world.ha_b1.path and entry.object_id == str(person.pk)
    # The next plain visit is masked again.
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.id_number not in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_reveal_without_reason_is_refused_and_not_logged(client, world, reason):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    response = client.post(reverse("people:reveal", args=[person.pk]), {"reason": reason})
    page = response.content.decode()
    assert "请填写查看完整号码的原因" in page
    assert person.id_number not in page
    assert not AuditEntry.objects.filter(action="person.reveal").exists()


@pytest.mark.parametrize("role", ["secretary", "auditor", "guidance"])
def test_reveal_without_the_right_is_forbidden(client, world, role):
    person = make_member(world.ha_b1)
    hospital = "CITY" if role == "guidance" else "A"
    client.force_login(world.user(role, hospital))
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "查看完整身份证号" not in detail
    response = client.post(reverse("people:reveal", args=[person.pk]), {"reason": "想看看"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="person.reveal").exists()


def test_reveal_of_another_hospitals_person_is_404(client, world):
    person = make_member(world.hb_b1)
    client.force_login(world.user("office"))
    response = client.post(reverse("people:reveal", args=[person.pk]), {"reason": "核对"})
    assert response.status_code == 404


def test_reveal_needs_post(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    assert client.get(reverse("people:reveal", args=[person.pk])).status_code == 405


def test_member_sees_own_page_only(client, world):
    me = make_member(world.ha_b1, name="本人")
    colleague = make_member(world.ha_b1, name="同事")
    user = world.user("member")
    me.user = user
    me.save()
    client.force_login(user)
    assert client.get(reverse("people:detail", args=[me.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[colleague.pk])).status_code == 404


@pytest.mark.parametrize(
    "column",
    [
        "name",
        "gender",
        "organization",
        "department",
        "current_status",
        "employment",
        "talent_category",
        "is_department_head",
        "admin_title",
    ],
)
def test_person_list_sorts_by_every_column(client, world, roster, column):
    client.force_login(world.user("office"))
    for sort in (column, f"-{column}"):
        response = client.get(reverse("people:list") + f"?sort={sort}")
        assert response.status_code == 200
        assert len(response.context["table"].paginated_rows) == 4
