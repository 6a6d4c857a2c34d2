"""`GET /api/v1/cobuilding/agreements` and `/cobuilding/alliances`: scoped lists (both
sides of an agreement, every member of an alliance), their activity counts, 404 for
another hospital, a fixed number of queries as the rows grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.service import cobuilding, services
from dangjian.service.rules import PartnerKind
from tests.factories import api_auth, make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
SIGNED = TODAY - dt.timedelta(days=30)


@pytest.fixture
def setup(client, two_hospitals):
    guidance, (ha, b1, _b2), (hb, _hb1, _hb2) = two_hospitals
    auth_a = api_auth(client, make_user("office-a", Role.OFFICE, ha))
    auth_b = api_auth(client, make_user("office-b", Role.OFFICE, hb))
    return guidance, ha, b1, hb, auth_a, auth_b


def agreement(org, i=0, **fields):
    data = {"title": f"共建{i}", "partner_kind": PartnerKind.COMMUNITY, "signed_on": SIGNED,
            "partner_name": f"某社区{i}", **fields}  # fmt: skip
    item = cobuilding.create_partnership(org, cobuilding.PartnershipInput(**data))
    services.record_activity(
        org,
        services.ActivityInput(
            kind="clinic", title="义诊", held_on=TODAY, hours=Decimal("2"), people_served=30,
            volunteers=[make_member(org)], partnership=item,
        ),
    )  # fmt: skip
    return item


def test_agreements_are_listed_for_both_sides_and_no_one_else(client, setup):
    _g, ha, b1, hb, auth_a, auth_b = setup
    own = agreement(b1, 0)
    shared = agreement(b1, 1, partner_name="", partner_org=hb, partner_kind="hospital")
    body = client.get(f"/api/v1/cobuilding/agreements?org={ha.code}", **auth_a).json()
    assert body["count"] == 2
    row = next(r for r in body["items"] if r["id"] == own.pk)
    assert (row["org"], row["partner_name"], row["activities"], row["people_served"]) == (
        b1.code, "某社区0", 1, 30,
    )  # fmt: skip
    seen_by_b = client.get("/api/v1/cobuilding/agreements", **auth_b).json()
    assert [r["id"] for r in seen_by_b["items"]] == [shared.pk]
    assert seen_by_b["items"][0]["partner_org"] == hb.code
    assert client.get(f"/api/v1/cobuilding/agreements/{own.pk}", **auth_b).status_code == 404
    assert client.get(f"/api/v1/cobuilding/agreements?org={ha.code}", **auth_b).status_code == 404
    assert client.get("/api/v1/cobuilding/agreements").status_code == 401


def test_alliances_are_listed_for_the_lead_and_the_members(client, setup):
    guidance, ha, _b1, hb, auth_a, auth_b = setup
    found = cobuilding.create_alliance(
        ha, cobuilding.AllianceInput(name="联盟", founded_on=SIGNED, members=[],
                                     outside=[("某院", "hospital"), ("某校", "school")]),
    )  # fmt: skip
    body = client.get(f"/api/v1/cobuilding/alliances?org={ha.code}", **auth_a).json()
    assert body["count"] == 1
    assert body["items"][0]["members"] == [
        {"org": None, "name": "某院", "kind": "hospital"},
        {"org": None, "name": "某校", "kind": "school"},
    ]
    assert client.get(f"/api/v1/cobuilding/alliances/{found.pk}", **auth_b).status_code == 404
    assert client.get("/api/v1/cobuilding/alliances", **auth_b).json()["count"] == 0
    data = cobuilding.AllianceInput(
        name="联盟", founded_on=SIGNED, members=[hb], outside=[("某院", "hospital")]
    )
    cobuilding.edit_alliance(found, data)
    detail = client.get(f"/api/v1/cobuilding/alliances/{found.pk}", **auth_b).json()
    assert {m["org"] for m in detail["members"]} == {hb.code, None}


def test_the_lists_keep_a_fixed_query_count(client, setup):
    _g, ha, b1, _hb, auth_a, _b = setup
    agreement(b1, 0)
    client.get("/api/v1/cobuilding/agreements", **auth_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cobuilding/agreements", **auth_a)
    for i in range(1, 6):
        agreement(b1, i)
    with CaptureQueriesContext(connection) as more:
        body = client.get("/api/v1/cobuilding/agreements", **auth_a).json()
    assert body["count"] == 6
    assert len(more.captured_queries) == len(few.captured_queries)
