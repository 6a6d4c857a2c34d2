"""The honours API: a subtree's honours with the page's filters, revoked ones only on
request, one honour, the selection rounds a caller sees (a panel member included), each
read audited, and another hospital's office answered 404."""

import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.honors import rounds, services
from dangjian.honors.services import HonorInput
from tests.factories import api_auth, make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _honour(**changes):
    data = {"organization": None, "person": None, "category": "outstanding_member",
            "level": "city", "awarded_on": dt.date(2026, 5, 1),
            "awarded_by": "市委卫生健康工委", "document_no": "卫工委〔2026〕12号"}  # fmt: skip
    return services.record_honor(HonorInput(**{**data, **changes}), today=TODAY)


def test_the_subtrees_honours_with_filters_and_scope(client, world):
    person = make_member(world.ha_b1)
    mine = _honour(person=person)
    branch = _honour(organization=world.ha_b2, category="four_strong", level="hospital")
    revoked = _honour(organization=world.ha_b1, category="four_strong")
    services.revoke_honor(revoked, "误录", today=TODAY)
    other = _honour(organization=world.hb_b1, category="four_strong")
    auth = api_auth(client, world.user(Role.OFFICE))

    body = client.get("/api/v1/honours", **auth).json()
    assert {item["id"] for item in body["items"]} == {mine.pk, branch.pk}
    item = next(i for i in body["items"] if i["id"] == mine.pk)
    assert (item["person"], item["person_name"], item["org"]) == (person.pk, person.name, "HA-B1")
    assert item["title"] == "优秀共产党员" and item["certificate"] is False
    assert [i["id"] for i in client.get("/api/v1/honours?who=org", **auth).json()["items"]] == [
        branch.pk
    ]
    levels = client.get("/api/v1/honours?level=hospital", **auth).json()["items"]
    assert [i["id"] for i in levels] == [branch.pk]
    with_revoked = client.get("/api/v1/honours?revoked=true&org=HA-B1", **auth).json()
    assert {i["id"] for i in with_revoked["items"]} == {mine.pk, revoked.pk}
    bad = client.get("/api/v1/honours?level=galactic", **auth)
    assert bad.status_code == 400 and "未知的荣誉级别" in bad.json()["detail"]
    assert client.get(f"/api/v1/honours/{mine.pk}", **auth).json()["document_no"] == (
        "卫工委〔2026〕12号"
    )
    assert client.get(f"/api/v1/honours/{other.pk}", **auth).status_code == 404
    assert client.get("/api/v1/honours?org=HB", **auth).status_code == 404
    assert AuditEntry.objects.filter(action="api.honours.list").exists()

    city = api_auth(client, world.user(Role.GUIDANCE, "CITY"))
    assert client.get("/api/v1/honours", **city).json()["count"] == 3


def test_rounds_seen_by_the_organiser_the_units_and_the_panel(client, world):
    guide = world.user(Role.GUIDANCE, "CITY")
    data = rounds.RoundInput("全市四强党支部评选", "四强", "city", TODAY, [("four_strong", "", 1)])
    city_round = rounds.open_round(world.guidance, data, by=guide, today=TODAY)
    office_a = world.user(Role.OFFICE)
    hospital_round = rounds.open_round(
        world.ha, rounds.RoundInput("院内评选", "条件", "hospital", TODAY, [("four_strong", "", 1)]),
        by=office_a, today=TODAY,
    )  # fmt: skip
    category = hospital_round.categories.get()
    rounds.recommend(
        rounds.NominationInput(category, world.ha, None, world.ha_b1, "事迹", []), today=TODAY
    )
    expert = make_user("expert-b", Role.OFFICE, world.hb)  # another hospital's office
    assert client.get("/api/v1/selection-rounds", **api_auth(client, expert)).json()["count"] == 1
    rounds.close_recommendations(
        hospital_round, [office_a, make_user("sec-a", Role.SECRETARY, world.ha_b2)], TODAY,
        today=TODAY,
    )  # fmt: skip

    rows = client.get("/api/v1/selection-rounds", **api_auth(client, office_a)).json()["items"]
    assert [(r["id"], r["state"]) for r in rows] == [
        (hospital_round.pk, "reviewing"), (city_round.pk, "open")
    ]  # fmt: skip
    assert (rows[0]["nominations"], rows[0]["reviewers"], rows[0]["review_by"]) == (
        1, 2, TODAY.isoformat()
    )  # fmt: skip
    expert_rows = client.get("/api/v1/selection-rounds", **api_auth(client, expert)).json()
    assert [r["id"] for r in expert_rows["items"]] == [city_round.pk]  # not B's to see
    reviewing = client.get("/api/v1/selection-rounds?state=reviewing", **api_auth(client, guide))
    assert [r["id"] for r in reviewing.json()["items"]] == [hospital_round.pk]
