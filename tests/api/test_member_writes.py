"""POST /api/v1/members and PATCH /api/v1/members/{id} (SPEC.md §4b, issue 16): the
office's checks and right, a dry run that writes nothing, unknown fields refused, and
another hospital's office answered 404."""

import datetime as dt

import pytest

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Department
from dangjian.people.models import Person, Status
from dangjian.people.rules import make_id_number
from tests.factories import api_auth, make_member

pytestmark = pytest.mark.django_db
NUMBER = make_id_number(dt.date(1988, 2, 29), "female", 3)


def _post(client, headers, body, query=""):
    return client.post(f"/api/v1/members{query}", body, content_type="application/json", **headers)


def _patch(client, headers, pk, body, query=""):
    return client.patch(
        f"/api/v1/members/{pk}{query}", body, content_type="application/json", **headers
    )


def _new(world, **extra) -> dict:
    body = {"name": "接口新增", "id_number": NUMBER, "organization": world.ha_b1.code,
            "status": Status.PROBATIONARY, "admitted_on": "2026-01-05", "phone": "13700000001"}  # fmt: skip
    body.update(extra)
    return body


def test_post_adds_a_member_and_a_dry_run_writes_nothing(client, world):
    headers = api_auth(client, world.user("office"))
    dry = _post(client, headers, _new(world), "?dry_run=true")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True and dry.json()["member"] is None
    assert not Person.objects.filter(name="接口新增").exists()
    created = _post(client, headers, _new(world))
    assert created.status_code == 201, created.json()
    member = created.json()["member"]
    assert member["organization"] == world.ha_b1.code and member["status"] == Status.PROBATIONARY
    assert member["id_number"] != NUMBER  # masked in every answer
    assert member["gender"] == "female" and member["birth_date"] == "1988-02-29"
    assert [s["status"] for s in member["statuses"]] == [Status.PROBATIONARY]


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"id_number": "12345"}, "身份证号：身份证号须为18位"),
        ({"status": Status.FULL, "admitted_on": None}, "入党日期：正式党员须填写入党日期"),
        ({"status": Status.FULL}, "转正日期：未填写时按入党日期满一年计为 2027-01-05"),
        ({"phone": "12"}, "手机号：手机号应为以 1 开头的 11 位数字"),
        ({"organization": "NOPE"}, "组织编码 NOPE 不存在或不由您维护"),
        ({"department": "无此科室"}, "科室“无此科室”不存在于该医院"),
    ],
)
def test_a_bad_member_is_refused_in_chinese_and_nothing_is_written(client, world, extra, reason):
    headers = api_auth(client, world.user("office"))
    response = _post(client, headers, _new(world, **extra))
    assert response.status_code == 400 and reason in response.json()["detail"]
    assert not Person.objects.filter(name="接口新增").exists()


def test_an_unknown_field_is_refused_not_dropped(client, world):
    headers = api_auth(client, world.user("office"))
    person = make_member(world.ha_b1)
    response = _patch(client, headers, person.pk, {"phonee": "13700000002"})
    assert response.status_code == 422 and "phonee" in response.json()["detail"]


def test_patch_changes_staff_fields_with_a_dry_run_first(client, world):
    person = make_member(world.ha_b1, professional_title="主治医师")
    Department.objects.create(hospital=world.ha, name="心内科")
    headers = api_auth(client, world.user("office"))
    body = {"professional_title": "副主任医师", "department": "心内科", "employment": "retired"}
    dry = _patch(client, headers, person.pk, body, "?dry_run=true")
    assert dry.status_code == 200, dry.json()
    assert dry.json()["changed"] == ["department", "professional_title", "employment"]
    person.refresh_from_db()
    assert person.professional_title == "主治医师"
    done = _patch(client, headers, person.pk, body)
    assert done.status_code == 200 and done.json()["member"]["department"] == "心内科"
    person.refresh_from_db()
    assert (person.professional_title, person.employment) == ("副主任医师", "retired")
    assert person.phone  # not sent: kept
    entry = AuditEntry.objects.get(action="person.update", object_id=str(person.pk))
    assert entry.summary["fields"] == ["department", "professional_title", "employment"]
    cleared = _patch(client, headers, person.pk, {"department": None})
    assert cleared.json()["member"]["department"] is None


def test_a_secretary_is_403_and_another_hospitals_office_404(client, world):
    person = make_member(world.ha_b1)
    secretary = api_auth(client, world.user("secretary"))
    assert _patch(client, secretary, person.pk, {"admin_title": "x"}).status_code == 403
    assert _post(client, secretary, _new(world)).status_code == 403
    other = api_auth(client, world.user("office", "B"))
    assert _patch(client, other, person.pk, {"admin_title": "x"}).status_code == 404
    assert _post(client, other, _new(world)).status_code == 400  # HA-B1 is not theirs
    person.refresh_from_db()
    assert person.admin_title != "x" and not Person.objects.filter(name="接口新增").exists()
