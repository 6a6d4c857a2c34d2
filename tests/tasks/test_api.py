import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.tasks import services
from dangjian.tasks.models import TaskEvidence, TaskState
from tests.factories import api_auth, make_member, make_user

from .builders import a_list, a_task, evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world):
    _, area = a_list(world.ha)
    return a_task(area, world.ha_b1)


def test_list_detail_and_scope(client, world, task):
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    listed = client.get(f"/api/v1/tasks?org={world.ha.code}", **office).json()
    assert listed["count"] == 1 and listed["items"][0]["responsible_org"] == world.ha_b1.code
    assert listed["items"][0]["overdue"] is True  # due 2025-06-30
    assert client.get(f"/api/v1/tasks/{task.pk}", **office).json()["title"] == "完成支部换届"
    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(f"/api/v1/tasks/{task.pk}", **other).status_code == 404
    assert client.get(f"/api/v1/tasks?org={world.ha.code}", **other).status_code == 404
    assert client.get("/api/v1/tasks").status_code == 401


def test_progress_refusal_and_review(client, world, task):
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    bad = client.post(f"/api/v1/tasks/{task.pk}/progress", {"text": "x", "percent": 150},
                      content_type="application/json", **office)  # fmt: skip
    assert bad.status_code == 400 and "0% 到 100%" in bad.json()["detail"]
    ok = client.post(f"/api/v1/tasks/{task.pk}/progress", {"text": "推进", "percent": 40},
                     content_type="application/json", **office)  # fmt: skip
    assert ok.status_code == 201 and ok.json()["percent"] == 40
    services.apply_close(task, summary="完成", files=[evidence()])
    done = client.post(f"/api/v1/tasks/{task.pk}/review", {"approve": True},
                       content_type="application/json", **office)  # fmt: skip
    assert done.status_code == 200 and done.json()["state"] == "closed"
    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.post(f"/api/v1/tasks/{task.pk}/review", {"approve": False, "reason": "x"},
                       content_type="application/json", **other).status_code == 404  # fmt: skip


def test_list_filters_by_state_and_overdue(client, world, task):
    _, area = task.area.target_list, task.area
    a_task(area, world.ha_b2, title="明年任务", due=dt.date(2099, 6, 30))
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    url = f"/api/v1/tasks?org={world.ha.code}"
    assert client.get(url, **office).json()["count"] == 2
    overdue = client.get(url + "&overdue=true", **office).json()
    assert [t["title"] for t in overdue["items"]] == ["完成支部换届"]
    branch = client.get(f"/api/v1/tasks?org={world.ha_b2.code}", **office).json()
    assert [t["title"] for t in branch["items"]] == ["明年任务"]
    assert client.get(url + "&state=closed", **office).json()["count"] == 0
    assert client.get(url + "&state=nonsense", **office).status_code == 400


def test_close_out_with_files_then_return_with_reasons(client, world, task):
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    sec = api_auth(client, secretary)
    url = f"/api/v1/tasks/{task.pk}/close-out"
    refused = client.post(url, {"summary": ""}, **sec)
    assert refused.status_code == 400
    assert refused.json()["reasons"] == ["请填写完成情况", "申请销号须上传至少一份佐证材料"]
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and not TaskEvidence.objects.exists()
    applied = client.post(
        url,
        {"summary": "换届完成", "files": [evidence(), evidence("决议.pdf", b"%PDF-1.4")]},
        **sec,
    )
    assert applied.status_code == 201, applied.content
    body = applied.json()
    assert body["state"] == "applied" and body["closures"][0]["files"] == [
        "成果照片.jpg",
        "决议.pdf",
    ]
    # The branch secretary may not review; the office returns it, needing a reason.
    review = f"/api/v1/tasks/{task.pk}/review"
    assert client.post(review, {"approve": True}, content_type="application/json",
                       **sec).status_code == 403  # fmt: skip
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    no_reason = client.post(review, {"approve": False}, content_type="application/json", **office)
    assert no_reason.status_code == 400 and no_reason.json()["reasons"] == [
        "退回销号申请须说明理由"
    ]
    back = client.post(review, {"approve": False, "reason": "缺少会议记录"},
                       content_type="application/json", **office)  # fmt: skip
    assert back.status_code == 200 and back.json()["state"] == "open"
    assert back.json()["closures"][0]["review_reason"] == "缺少会议记录"


def test_only_owners_and_writers_may_report(client, world, task):
    reader = api_auth(client, make_user("member-b2", Role.MEMBER, world.ha_b2))
    # A member elsewhere in the hospital does not even see the task.
    assert client.get(f"/api/v1/tasks/{task.pk}", **reader).status_code == 404
    owner_user = make_user("owner", Role.MEMBER, world.ha_b1)
    owner = make_member(world.ha_b1, user=owner_user)
    task.owners.add(owner)
    mine = api_auth(client, owner_user)
    ok = client.post(f"/api/v1/tasks/{task.pk}/progress", {"text": "召开推进会", "percent": 40},
                     content_type="application/json", **mine)  # fmt: skip
    assert ok.status_code == 201 and ok.json()["ledger"][0]["text"] == "召开推进会"
    other_hospital = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.post(f"/api/v1/tasks/{task.pk}/close-out", {"summary": "x",
                       "files": [evidence()]}, **other_hospital).status_code == 404  # fmt: skip
    assert not TaskEvidence.objects.exists()


def test_milestone_progress_by_id(client, world, task):
    staged = a_task(task.area, world.ha_b1, title="分步任务", progress_kind="milestones",
                    milestones=[("方案", None), ("验收", None)])  # fmt: skip
    office = api_auth(client, world.user(Role.OFFICE, "A"))
    first = staged.milestones.order_by("pk").first()
    url = f"/api/v1/tasks/{staged.pk}/progress"
    done = client.post(url, {"text": "方案已定", "milestone": first.pk},
                       content_type="application/json", **office)  # fmt: skip
    assert done.status_code == 201 and done.json()["percent"] == 50
    wrong = client.post(url, {"text": "x", "milestone": 999999},
                        content_type="application/json", **office)  # fmt: skip
    assert wrong.status_code == 400 and "节点" in wrong.json()["detail"]
