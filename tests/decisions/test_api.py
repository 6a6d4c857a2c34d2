import pytest

from dangjian.accounts.models import Role
from dangjian.decisions import services
from dangjian.decisions.models import MajorMatter
from tests.factories import api_auth

from .builders import committee, matter, meeting_with

pytestmark = pytest.mark.django_db


def test_register_and_scope(client, world):
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    created = client.post(
        "/api/v1/decisions/matters",
        {"org": world.ha.code, "category": "large_fund", "title": "CT采购", "proposer": "设备科",
         "proposed_on": "2025-03-01", "amount": "100000"},
        content_type="application/json", **office,
    )  # fmt: skip
    assert created.status_code == 400 and "大额资金标准" in created.json()["reasons"][0]
    assert not MajorMatter.objects.exists()
    found = matter(world.ha)
    listed = client.get(f"/api/v1/decisions/matters?org={world.ha.code}", **office).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "年度预算方案"
    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(f"/api/v1/decisions/matters/{found.pk}", **other).status_code == 404


def test_outcome_without_quorum_is_400_and_nothing_written(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=3)
    item = services.add_agenda_item(meeting, matter(world.ha))
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    refused = client.post(f"/api/v1/decisions/items/{item.pk}/outcome",
                          {"outcome": "approved", "decision": "同意", "votes_for": 3},
                          content_type="application/json", **office)  # fmt: skip
    assert refused.status_code == 400 and "未达到法定人数" in refused.json()["reasons"][0]
    item.refresh_from_db()
    assert item.outcome == "pending"
    detail = client.get(f"/api/v1/decisions/meetings/{meeting.pk}", **office).json()
    assert (detail["should_attend"], detail["present"], detail["quorum_met"]) == (7, 3, False)
    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(f"/api/v1/decisions/meetings/{meeting.pk}", **other).status_code == 404
    assert client.post(f"/api/v1/decisions/items/{item.pk}/outcome", {"outcome": "approved"},
                       content_type="application/json", **other).status_code == 404  # fmt: skip
