"""Task ledger pages: each renders for hospital A, is 404 for hospital B's user, keeps its
query count as tasks grow; the secretary's close-out with a photo and the office's review
run through the pages."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.tasks import services
from dangjian.tasks.models import TargetList, TaskEvidence, TaskState, WorkTask
from tests.factories import make_member
from tests.pages.scoped import ScopedPageTest

from .builders import a_task, evidence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def this_year(world):
    """Hospital A's list of this year with one area, made once per world."""
    found = TargetList.objects.filter(organization=world.ha, year=TODAY.year).first()
    if found is None:
        found = services.create_target_list(world.ha, year=TODAY.year)
        services.add_area(found, "组织建设")
    return found


def add_tasks(world, n, *, due=None):
    area = this_year(world).areas.get()
    owner = make_member(world.ha_b1)
    for i in range(n):
        a_task(area, world.ha_b1, owners=[owner], title=f"任务{WorkTask.objects.count() + i}",
               due=due or TODAY + dt.timedelta(days=10))  # fmt: skip


class TestTaskList(ScopedPageTest):
    expected_text = ("目标任务清单", "组织建设", "任务0", "HA心内科党支部", "30天内到期")

    def url(self, world):
        return reverse("tasks:list") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_tasks(world, n)


class TestOverdueList(TestTaskList):
    expected_text = ("已逾期",)

    def url(self, world):
        return reverse("tasks:list") + f"?org={world.ha.code}&view=overdue"

    def grow(self, world, n):
        add_tasks(world, n, due=TODAY - dt.timedelta(days=1))


class TestTargetListPage(ScopedPageTest):
    expected_text = ("添加任务", "添加方面", "任务0")

    def url(self, world):
        return reverse("tasks:target_list", args=[this_year(world).pk])

    def grow(self, world, n):
        add_tasks(world, n)


class TestTaskDetail(ScopedPageTest):
    viewer_role = Role.SECRETARY
    expected_text = ("推进台账", "登记推进情况", "申请销号")

    def url(self, world):
        return reverse(
            "tasks:detail",
            args=[WorkTask.objects.filter(area__target_list__organization=world.ha).first().pk],
        )

    def grow(self, world, n):
        if not WorkTask.objects.exists():
            add_tasks(world, 1)
        task = WorkTask.objects.first()
        for _ in range(n):
            services.record_progress(task, text="推进", percent=50, files=[evidence()])


class TestEvidenceDownload(ScopedPageTest):
    def url(self, world):
        return reverse("tasks:evidence", args=[TaskEvidence.objects.first().pk])

    def grow(self, world, n):
        if not WorkTask.objects.exists():
            add_tasks(world, 1)
        task = WorkTask.objects.first()
        services.record_progress(task, text="推进", files=[evidence() for _ in range(n)])


class TestExport(ScopedPageTest):
    def url(self, world):
        return reverse("tasks:export") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_tasks(world, n)


def test_export_lists_tasks_and_ledger(client, world):
    add_tasks(world, 2)
    services.record_progress(WorkTask.objects.first(), text="召开推进会", percent=30)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("tasks:export") + f"?org={world.ha.code}")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["任务清单", "推进台账"]
    rows = list(book["任务清单"].iter_rows(values_only=True))
    assert rows[0][3] == "任务" and len(rows) == 3
    assert list(book["推进台账"].iter_rows(values_only=True))[1][2] == "召开推进会"
    assert AuditEntry.objects.filter(action="tasks.export").exists()


def test_secretary_closes_with_a_photo_and_office_approves(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    url = reverse("tasks:detail", args=[task.pk])
    from tests.factories import make_user

    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))  # the branch's
    refused = client.post(url, {"action": "apply", "summary": "已完成"})
    assert "至少一份佐证材料" in refused.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    done = client.post(url, {"action": "apply", "summary": "已完成", "files": [evidence()]})
    assert done.status_code == 302
    # The secretary may not review; the office may.
    assert client.post(url, {"action": "review", "decision": "approve"}).status_code == 403
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.post(url, {"action": "review", "decision": "approve"}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    page = client.get(url).content.decode()
    assert "登记推进情况" not in page and "重新打开任务" in page


def test_a_member_who_owns_a_task_reports_progress_but_others_may_not(client, world):
    from tests.factories import make_user

    add_tasks(world, 1)
    task = WorkTask.objects.get()
    owner_user = make_user("owner", Role.MEMBER, world.ha_b1)
    owner = task.owners.get()
    owner.user = owner_user
    owner.save()
    client.force_login(owner_user)
    url = reverse("tasks:detail", args=[task.pk])
    ok = client.post(
        url, {"action": "progress", "recorded_on": TODAY.isoformat(), "text": "推进", "percent": 40}
    )
    assert ok.status_code == 302
    assert (
        reverse("tasks:detail", args=[task.pk])
        in client.get(reverse("tasks:mine")).content.decode()
    )
    stranger = make_user("stranger", Role.MEMBER, world.ha_b1)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
