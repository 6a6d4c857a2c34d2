"""Adding and editing a person from the office's pages (people.records, forms.PersonForm):
the roster's checks in Chinese, nothing written on a refusal, numbers never shown in a
form, another hospital's office gets 404 (issue 16)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.masking import mask_id_number, mask_phone
from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Department
from dangjian.people.models import Membership, Person, Status, StatusPeriod
from dangjian.people.records import update_person
from dangjian.people.rules import make_id_number
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = dt.date
NUMBER = make_id_number(D(1990, 5, 17), "male", 7)


def _fields(org, **extra) -> dict:
    data = {
        "name": "新同志", "id_number": NUMBER, "phone": "13900001111",
        "organization": org.pk, "employment": "in_service", "talent_category": "",
        "status": Status.FULL, "stage_3": "2015-06-30",
    }  # fmt: skip
    data.update(extra)
    return data


def test_the_office_adds_a_full_member_with_the_history_the_roster_would_write(client, world):
    client.force_login(world.user("office"))
    response = client.post(reverse("people:add"), _fields(world.ha_b1))
    person = Person.objects.get(name="新同志")
    assert response.status_code == 302 and response.url == reverse(
        "people:detail", args=[person.pk]
    )
    assert (person.gender, person.birth_date, person.organization) == (
        "male",
        D(1990, 5, 17),
        world.ha_b1,
    )
    periods = list(person.statuses.values_list("status", "started_on", "ended_on"))
    assert periods == [
        (Status.PROBATIONARY, D(2015, 6, 30), D(2016, 6, 30)),
        (Status.FULL, D(2016, 6, 30), None),  # probation of one year when 转正日期 is blank
    ]
    relation = Membership.objects.get(person=person)
    assert (relation.organization, relation.started_on, relation.start_reason) == (
        world.ha_b1, D(2015, 6, 30), "entry",
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"id_number": NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")}, "id_number", "校验位"),
        ({"phone": "2390000111"}, "phone", "11 位数字"),
        ({"stage_3": ""}, "stage_3", "正式党员须填写入党日期"),
        ({"stage_0": "2016-01-01"}, "stage_3", "早于申请入党日期"),
        ({"name": ""}, "name", "这个字段是必填项"),
    ],
)
def test_a_bad_field_is_named_in_chinese_and_nothing_is_written(
    client, world, extra, field, message
):
    client.force_login(world.user("office"))
    page = client.post(reverse("people:add"), _fields(world.ha_b1, **extra))
    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors.get(field, []))
    assert not Person.objects.filter(name="新同志").exists()


def test_a_registered_number_is_refused_without_saying_whose_it_is(client, world):
    other = make_member(world.hb_b1)
    client.force_login(world.user("office"))
    page = client.post(reverse("people:add"), _fields(world.ha_b1, id_number=other.id_number))
    errors = " ".join(page.context["form"].errors["id_number"])
    assert "已登记" in errors and other.name not in page.content.decode()


def test_a_department_of_another_hospital_is_refused(client, world):
    theirs = Department.objects.create(hospital=world.hb, name="外院科室")
    client.force_login(world.user("office"))
    page = client.post(reverse("people:add"), _fields(world.ha_b1, department=theirs.pk))
    assert "department" in page.context["form"].errors
    assert not Person.objects.filter(name="新同志").exists()


def test_an_organisation_outside_the_office_is_not_offered(client, world):
    client.force_login(world.user("office"))
    page = client.post(reverse("people:add"), _fields(world.hb_b1))
    assert "organization" in page.context["form"].errors
    assert world.hb_b1.name not in client.get(reverse("people:add")).content.decode()


def test_editing_shows_no_numbers_keeps_them_when_blank_and_audits_the_fields(client, world):
    person = make_member(world.ha_b1, admin_title="")
    client.force_login(world.user("office"))
    url = reverse("people:edit", args=[person.pk])
    form = client.get(url).content.decode()
    assert person.id_number not in form and person.phone not in form
    assert person.id_number_masked in form
    data = {"name": person.name, "id_number": "", "phone": "", "admin_title": "副主任",
            "employment": "retired", "talent_category": ""}  # fmt: skip
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.admin_title, person.employment) == ("副主任", "retired")
    assert person.id_number and person.phone  # unchanged
    entry = AuditEntry.objects.get(action="person.update", object_id=str(person.pk))
    assert entry.summary == {
        "fields": ["admin_title", "employment"],
        "changes": {"admin_title": ["", "副主任"], "employment": ["in_service", "retired"]},
    }
    assert StatusPeriod.objects.filter(person=person).count() == 1


def test_a_new_id_or_phone_number_is_audited_masked_before_and_after(world):
    person = make_member(world.ha_b1)
    old_number, old_phone = person.id_number, person.phone
    update_person(person, {"id_number": NUMBER, "phone": "13900002222"})
    entry = AuditEntry.objects.get(action="person.update", object_id=str(person.pk))
    changes = entry.summary["changes"]
    assert changes["id_number"] == [mask_id_number(old_number), mask_id_number(NUMBER)]
    assert changes["phone"] == [mask_phone(old_phone), mask_phone("13900002222")]
    for number in (old_number, NUMBER, old_phone, "13900002222"):
        assert number not in str(entry.summary)


def test_a_corrected_id_number_rewrites_gender_birth_date_and_digest(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("people:edit", args=[person.pk])
    data = {"name": person.name, "id_number": NUMBER, "employment": "in_service"}
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.gender, person.birth_date) == (NUMBER, "male", D(1990, 5, 17))
    assert Person.objects.filter(id_digest=person.id_digest).count() == 1


def test_a_secretary_may_not_add_or_edit_and_another_hospital_gets_404(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("secretary"))
    assert client.get(reverse("people:add")).status_code == 403
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 403
    client.force_login(world.user("office", "B"))
    response = client.post(reverse("people:edit", args=[person.pk]), {"name": "改名"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.name != "改名"
