import datetime as dt

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


def test_meeting_detail_lists_attendance_and_quorum(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=4)
    services.add_agenda_item(meeting, matter(world.ha, "key_appointment", title="任免"))
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    detail = client.get(f"/api/v1/decisions/meetings/{meeting.pk}", **office).json()
    assert len(detail["attendance"]) == 7
    assert sum(row["state"] == "leave" for row in detail["attendance"]) == 3
    assert (detail["quorum_met"], detail["appointment_quorum_met"]) == (True, False)
    assert "三分之二" in detail["items"][0]["quorum_problem"]
    listed = client.get(f"/api/v1/decisions/meetings?org={world.ha.code}", **office).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "2025年第3次党委会"
    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get("/api/v1/decisions/meetings", **other).json()["count"] == 0
    assert client.get(f"/api/v1/decisions/meetings?org={world.ha.code}", **other).status_code == 404


def test_outcome_refused_without_majority_then_recorded(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=5)
    item = services.add_agenda_item(meeting, matter(world.ha))
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    url = f"/api/v1/decisions/items/{item.pk}/outcome"
    refused = client.post(url, {"outcome": "approved", "decision": "同意", "votes_for": 3,
                                "votes_against": 2}, content_type="application/json", **office)  # fmt: skip
    body = refused.json()
    assert refused.status_code == 400 and "未过应到会人数的半数" in body["detail"]
    assert any("党委会议事规则" in r for r in body["reasons"])
    item.refresh_from_db()
    assert item.outcome == "pending"
    done = client.post(url, {"outcome": "approved", "decision": "同意", "votes_for": 4,
                             "votes_against": 1}, content_type="application/json", **office)  # fmt: skip
    assert done.status_code == 200 and done.json()["items"][0]["outcome"] == "approved"
    found = client.get(f"/api/v1/decisions/matters/{item.matter_id}", **office).json()
    assert found["status"] == "approved" and found["decided_on"] == "2025-03-10"


def test_matter_filters_and_read_only_users(client, world):
    matter(world.ha, title="预算")
    matter(world.ha, "large_fund", amount="800000", title="CT采购")
    matter(world.ha, title="旧事项", day=dt.date(2024, 5, 1))
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    base = f"/api/v1/decisions/matters?org={world.ha.code}"
    assert client.get(base, **office).json()["count"] == 3
    funds = client.get(base + "&category=large_fund", **office).json()
    assert [m["title"] for m in funds["items"]] == ["CT采购"]
    assert client.get(base + "&year=2024", **office).json()["count"] == 1
    assert client.get(base + "&category=nonsense", **office).status_code == 400
    auditor = api_auth(client, world.user(Role.AUDITOR, "A"))
    assert client.get(base, **auditor).json()["count"] == 3
    denied = client.post("/api/v1/decisions/matters",
                         {"org": world.ha.code, "category": "major_decision", "title": "新事项",
                          "proposer": "院办", "proposed_on": "2025-03-01"},
                         content_type="application/json", **auditor)  # fmt: skip
    assert denied.status_code == 403 and MajorMatter.objects.count() == 3
