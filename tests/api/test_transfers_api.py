"""POST /api/v1/transfers and POST /api/v1/transfers/{id}/accept (SPEC.md §4b, issue 16):
a transfer between two hospitals is pending until the receiving office accepts it, and
then the member counts in the receiving organisation from its date; `to_org` null with
`to_unit` issues the 介绍信; refusals are Chinese, another hospital's member is 404."""

import datetime as dt

import pytest

from dangjian.people.models import Membership, Transfer
from dangjian.people.queries import member_figures
from tests.factories import api_auth, make_member

pytestmark = pytest.mark.django_db


def _post(client, headers, url, body=None):
    return client.post(f"/api/v1{url}", body or {}, content_type="application/json", **headers)


def test_a_transfer_is_pending_until_the_receiving_office_accepts(client, world):
    person = make_member(world.ha_b1)
    office_a = api_auth(client, world.user("office"))
    office_b = api_auth(client, world.user("office", "B"))
    body = {"member": person.pk, "to_org": world.hb_b1.code, "on": "2025-03-10", "reason": "调动"}
    created = _post(client, office_a, "/transfers", body)
    assert created.status_code == 201, created.json()
    assert created.json()["state"] == "pending" and created.json()["to_org"] == world.hb_b1.code
    transfer_id = created.json()["id"]
    assert _post(client, office_a, f"/transfers/{transfer_id}/accept").status_code == 403
    listed = client.get("/api/v1/transfers?state=pending", **office_b).json()
    assert [t["id"] for t in listed] == [transfer_id] and listed[0]["member"] == person.pk

    accepted = _post(client, office_b, f"/transfers/{transfer_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert member_figures(world.hb_b1.path, dt.date(2025, 3, 10))["total"] == 1
    assert member_figures(world.ha_b1.path, dt.date(2025, 3, 9))["total"] == 1
    assert Membership.objects.filter(person=person).count() == 2  # the history keeps both


def test_a_transfer_out_of_the_system_issues_the_letter(client, world):
    person = make_member(world.ha_b1)
    headers = api_auth(client, world.user("office"))
    body = {"member": person.pk, "to_org": None, "to_unit": "外省某医院党委", "on": "2025-06-01"}
    created = _post(client, headers, "/transfers", body)
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert answer["state"] == "issued" and answer["letter_number"] == "2025-0001"
    assert answer["to_unit"] == "外省某医院党委" and answer["to_org"] is None


def test_refusals_are_chinese_and_change_nothing(client, world):
    person = make_member(world.ha_b1)
    headers = api_auth(client, world.user("office"))
    unknown = _post(client, headers, "/transfers",
                    {"member": person.pk, "to_org": "NOPE", "on": "2025-03-10"})  # fmt: skip
    assert unknown.status_code == 400 and "找不到编码" in unknown.json()["detail"]
    no_unit = _post(client, headers, "/transfers", {"member": person.pk, "on": "2025-03-10"})
    assert no_unit.status_code == 400 and "接收党组织" in no_unit.json()["detail"]
    extra = _post(client, headers, "/transfers",
                  {"member": person.pk, "to_org": world.hb_b1.code, "on": "2025-03-10", "x": 1})  # fmt: skip
    assert extra.status_code == 422
    assert not Transfer.objects.exists()


def test_another_hospitals_member_and_transfer_are_404(client, world):
    person = make_member(world.hb_b1)
    headers = api_auth(client, world.user("office"))
    body = {"member": person.pk, "to_org": world.ha_b1.code, "on": "2025-03-10"}
    assert _post(client, headers, "/transfers", body).status_code == 404
    mine = make_member(world.ha_b2)
    other = api_auth(client, world.user("office", "B"))
    letter = _post(client, headers, "/transfers",
                   {"member": mine.pk, "to_unit": "外单位", "on": "2025-06-01"}).json()  # fmt: skip
    assert _post(client, other, f"/transfers/{letter['id']}/accept").status_code == 404
    assert client.get("/api/v1/transfers", **other).json() == []
