import pytest

from dangjian.accounts.models import Role
from dangjian.tasks import services
from tests.factories import api_auth

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
