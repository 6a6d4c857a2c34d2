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
from tests.factories import make_member, make_user
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


class TestTaskEdit(ScopedPageTest):
    expected_text = ("修改任务", "已登记的进度与节点保持不变", "完成时限")

    def url(self, world):
        if not WorkTask.objects.exists():
            add_tasks(world, 1)
        return reverse("tasks:edit", args=[WorkTask.objects.first().pk])

    def grow(self, world, n):
        add_tasks(world, n)


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


class TestMyTasks(ScopedPageTest):
    """Everyone has a "my tasks" page; hospital B's owner does not see A's tasks in it."""

    outsider_status = 200
    expected_text = ("我的任务", "任务0")

    def viewer(self, world):
        return _owner_user(world)

    def url(self, world):
        return reverse("tasks:mine")

    def grow(self, world, n):
        area = this_year(world).areas.get()
        owner = _owner_user(world).person
        for _ in range(n):
            a_task(area, world.ha_b1, owners=[owner], title=f"任务{WorkTask.objects.count()}",
                   due=TODAY + dt.timedelta(days=5))  # fmt: skip

    def private_text(self, world):
        return "任务0"

    def test_other_hospital_cannot_see_it(self, client, world):
        self.grow(world, 1)
        client.force_login(make_user("owner-b", Role.MEMBER, world.hb_b1))
        response = client.get(self.url(world))
        assert response.status_code == 200 and "任务0" not in response.content.decode()


def _owner_user(world):
    from dangjian.accounts.models import User

    found = User.objects.filter(username="owner-a").first()
    if found is None:
        found = make_user("owner-a", Role.MEMBER, world.ha_b1)
        make_member(world.ha_b1, user=found)
    return found


class TestNewListForm(ScopedPageTest):
    expected_text = ("制定目标任务清单",)

    def url(self, world):
        return reverse("tasks:list_new") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_tasks(world, n)


class TestDueSoonList(TestTaskList):
    expected_text = ("30天内到期", "任务0")

    def url(self, world):
        return reverse("tasks:list") + f"?org={world.ha.code}&view=due_soon"


def test_list_filters_by_owner_area_and_view(client, world):
    area = this_year(world).areas.get()
    other_area = services.add_area(this_year(world), "思想建设")
    zhang, li = make_member(world.ha_b1, name="张三"), make_member(world.ha_b1, name="李四")
    a_task(area, world.ha_b1, owners=[zhang], title="张的任务", due=TODAY + dt.timedelta(days=3))
    a_task(other_area, world.ha_b2, owners=[li], title="李的任务",
           due=TODAY + dt.timedelta(days=90))  # fmt: skip
    a_task(area, world.ha_b1, owners=[li], title="逾期任务", due=TODAY - dt.timedelta(days=1))
    client.force_login(world.user(Role.OFFICE, "A"))
    base = reverse("tasks:list") + f"?org={world.ha.code}"

    def titles(query):
        page = client.get(base + query).content.decode()
        return {t for t in ("张的任务", "李的任务", "逾期任务") if t in page}

    assert titles("") == {"张的任务", "李的任务", "逾期任务"}
    assert titles(f"&owner={li.pk}") == {"李的任务", "逾期任务"}
    assert titles("&area=思想建设") == {"李的任务"}
    assert titles("&view=overdue") == {"逾期任务"}
    assert titles("&view=due_soon") == {"张的任务"}
    page = client.get(base).content.decode()
    assert "chart-progress" in page and "echarts" in page


def test_a_reader_sees_the_task_but_may_not_change_it(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    client.force_login(world.user(Role.AUDITOR, "A"))
    url = reverse("tasks:detail", args=[task.pk])
    page = client.get(url).content.decode()
    assert task.title in page and "登记推进情况" not in page
    for action in ({"action": "progress", "recorded_on": TODAY.isoformat(), "text": "x"},
                   {"action": "apply", "summary": "x", "files": [evidence()]},
                   {"action": "review", "decision": "approve"},
                   {"action": "reopen", "reason": "x"}):  # fmt: skip
        assert client.post(url, action).status_code == 403
    target = reverse("tasks:target_list", args=[task.area.target_list.pk])
    assert client.post(target, {"action": "area", "name": "新方面"}).status_code == 403
    new = reverse("tasks:list_new") + f"?org={world.ha.code}"
    assert client.get(new).status_code == 403
    assert not task.progress.exists() and not task.closures.exists()
    assert task.area.target_list.areas.count() == 1


def test_the_office_builds_a_list_and_a_bad_deadline_is_refused(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    created = client.post(reverse("tasks:list_new") + f"?org={world.ha.code}", {"year": 2027})
    target = TargetList.objects.get(organization=world.ha, year=2027)
    assert created.status_code == 302 and created["Location"].endswith(f"/lists/{target.pk}/")
    again = client.post(reverse("tasks:list_new") + f"?org={world.ha.code}", {"year": 2027})
    assert "已存在" in again.content.decode()
    url = reverse("tasks:target_list", args=[target.pk])
    assert client.post(url, {"action": "area", "name": "组织建设"}).status_code == 302
    area = target.areas.get()
    owner = make_member(world.ha_b1)
    task = {
        "action": "task", "area": area.pk, "title": "完成支部换届",
        "responsible_org": world.ha_b1.pk, "owners": [owner.pk], "starts_on": "2027-03-01",
        "due_on": "2027-02-01", "weight": "2", "progress_kind": "percent",
    }  # fmt: skip
    refused = client.post(url, task)
    assert refused.status_code == 200 and "不能早于开始日期" in refused.content.decode()
    assert not WorkTask.objects.exists()
    assert client.post(url, {**task, "due_on": "2027-06-30"}).status_code == 302
    saved = WorkTask.objects.get()
    assert (saved.responsible_org, list(saved.owners.all())) == (world.ha_b1, [owner])
    outsider = make_member(world.hb_b1)  # not offered, so not accepted
    bad = client.post(
        url, {**task, "title": "外院", "due_on": "2027-06-30", "owners": [outsider.pk]}
    )
    assert bad.status_code == 200 and WorkTask.objects.count() == 1


def test_return_with_reason_and_reopen_with_reason_through_the_page(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    url = reverse("tasks:detail", args=[task.pk])
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    client.post(url, {"action": "apply", "summary": "已完成", "files": [evidence()]})
    client.force_login(world.user(Role.OFFICE, "A"))
    no_reason = client.post(url, {"action": "review", "decision": "return", "reason": ""})
    assert "须说明理由" in no_reason.content.decode()
    client.post(url, {"action": "review", "decision": "return", "reason": "缺少会议记录"})
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert "缺少会议记录" in client.get(url).content.decode()
    client.force_login(make_user("sec-b1b", Role.SECRETARY, world.ha_b1))
    client.post(url, {"action": "apply", "summary": "已补充", "files": [evidence()]})
    client.force_login(world.user(Role.OFFICE, "A"))
    client.post(url, {"action": "review", "decision": "approve"})
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    closed = client.get(url).content.decode()
    assert "台账只读" in closed and "申请销号</h2>" not in closed
    # Progress on a closed task is refused, nothing written.
    late = client.post(url, {"action": "progress", "recorded_on": TODAY.isoformat(), "text": "x"})
    assert late.status_code == 200 and not task.progress.exists()
    assert "须说明理由" in client.post(url, {"action": "reopen", "reason": ""}).content.decode()
    assert client.post(url, {"action": "reopen", "reason": "复查不合格"}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert AuditEntry.objects.filter(action="tasks.reopened", object_id=str(task.pk)).exists()


def test_evidence_download_is_private_and_audited(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    services.record_progress(task, text="推进", files=[evidence()])
    item = TaskEvidence.objects.get()
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("tasks:evidence", args=[item.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff demo"
    assert AuditEntry.objects.filter(summary__evidence=item.pk).exists()
    client.force_login(make_user("member-b2", Role.MEMBER, world.ha_b2))
    assert client.get(reverse("tasks:evidence", args=[item.pk])).status_code == 404


def test_a_refusal_shows_its_chinese_reason(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    client.force_login(world.user(Role.AUDITOR, "A"))
    response = client.post(reverse("tasks:detail", args=[task.pk]), {"action": "reopen"})
    assert response.status_code == 403
    assert "只有清单所属党组织可以审核销号或重新打开任务" in response.content.decode()
    missing = client.get(reverse("tasks:detail", args=[task.pk + 1000]))
    assert missing.status_code == 404 and "不在您的权限范围内" in missing.content.decode()


def test_a_branch_secretary_sees_the_list_title_but_no_dead_link(client, world):
    from tests.factories import make_user

    add_tasks(world, 1)
    task = WorkTask.objects.get()
    list_url = reverse("tasks:target_list", args=[task.area.target_list.pk])
    client.force_login(make_user("sec-b1-link", Role.SECRETARY, world.ha_b1))
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert task.area.target_list.title in page and list_url not in page
    assert client.get(list_url).status_code == 404
    client.force_login(world.user(Role.OFFICE, "A"))
    assert list_url in client.get(reverse("tasks:detail", args=[task.pk])).content.decode()


def test_the_office_changes_a_task_and_a_bad_deadline_changes_nothing(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    services.record_progress(task, text="已启动", percent=30, files=[evidence()])
    client.force_login(world.user(Role.OFFICE, "A"))
    detail = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    url = reverse("tasks:edit", args=[task.pk])
    assert url in detail
    owner = make_member(world.ha_b2)
    change = {
        "title": "按期完成支部换届", "expected_result": "换届选举材料归档",
        "responsible_org": world.ha_b2.pk, "owners": [owner.pk],
        "starts_on": task.starts_on.isoformat(), "due_on": task.starts_on.isoformat(),
        "weight": "3",
    }  # fmt: skip
    refused = client.post(url, {**change, "due_on": "2000-01-01"})
    assert refused.status_code == 200 and "不能早于开始日期" in refused.content.decode()
    task.refresh_from_db()
    assert task.title != change["title"] and task.responsible_org == world.ha_b1
    due = TODAY + dt.timedelta(days=60)
    assert client.post(url, {**change, "due_on": due.isoformat()}).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.responsible_org, task.due_on, list(task.owners.all())) == (
        "按期完成支部换届",
        world.ha_b2,
        due,
        [owner],
    )
    assert task.percent == 30 and task.progress.count() == 1  # the ledger stays
    assert AuditEntry.objects.filter(action="tasks.task_changed").exists()


def test_only_the_lists_managers_edit_and_never_a_closed_task(client, world):
    add_tasks(world, 1)
    task = WorkTask.objects.get()
    url = reverse("tasks:edit", args=[task.pk])
    form = {"title": "改", "responsible_org": world.ha_b1.pk, "due_on": TODAY.isoformat(),
            "weight": "1"}  # fmt: skip
    # The branch carrying the task may report on it, not change what the hospital asks.
    for user in (make_user("sec-b1", Role.SECRETARY, world.ha_b1), world.user(Role.AUDITOR)):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form).status_code == 403
    services.apply_close(task, summary="完成", files=[evidence()])
    services.approve_close(task)
    client.force_login(world.user(Role.OFFICE, "A"))
    detail = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert url not in detail
    refused = client.post(url, form)
    assert refused.status_code == 200 and "已销号" in refused.content.decode()
    task.refresh_from_db()
    assert task.title != "改"
