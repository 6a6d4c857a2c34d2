"""The Excel export of the ledger: both sheets, their columns, the overdue flag, the
scope (a branch sees what it carries, another hospital gets 404) and the audit entry."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.tasks import services
from dangjian.tasks.export import LEDGER_HEADER, TASK_HEADER, build_workbook
from dangjian.tasks.models import WorkTask
from tests.factories import make_member, make_user

from .builders import a_task, evidence

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = dt.date


@pytest.fixture
def ledger(world):
    """This year's list at hospital A: an overdue task of branch 1 with two owners and a
    ledger entry, a closed task of branch 2, and a task of hospital B."""
    target = services.create_target_list(world.ha, year=TODAY.year)
    area = services.add_area(target, "组织建设")
    owners = [make_member(world.ha_b1, name="张三"), make_member(world.ha_b1, name="李四")]
    start = D(TODAY.year, 1, 1)
    late = a_task(area, world.ha_b1, owners=owners, title="完成支部换届", due=start)
    services.record_progress(late, text="召开推进会", percent=30, files=[evidence()], today=TODAY)
    done = a_task(area, world.ha_b2, title="建设党员活动室", due=D(TODAY.year, 12, 31))
    services.apply_close(done, summary="已建成", files=[evidence()], today=TODAY)
    services.approve_close(done, today=TODAY)
    other = services.create_target_list(world.hb, year=TODAY.year)
    a_task(services.add_area(other, "思想建设"), world.hb_b1, title="乙院任务", due=start)
    return late, done


def _book(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_two_sheets_with_every_column(client, world, ledger):
    late, done = ledger
    client.force_login(world.user(Role.OFFICE, "A"))
    book = _book(client.get(reverse("tasks:export") + f"?org={world.ha.code}"))
    assert book.sheetnames == ["任务清单", "推进台账"]
    rows = list(book["任务清单"].iter_rows(values_only=True))
    assert list(rows[0]) == TASK_HEADER
    by_title = {row[3]: dict(zip(TASK_HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_title) == {"完成支部换届", "建设党员活动室"}  # not hospital B's
    row = by_title["完成支部换届"]
    assert row["方面"] == "组织建设" and row["责任组织"] == world.ha_b1.name
    assert row["责任人"] == "张三、李四" and row["完成进度(%)"] == 30
    assert row["状态"] == "推进中" and row["销号日期"] is None
    assert row["是否逾期"] == ("是" if late.due_on < TODAY else "否")
    closed = by_title["建设党员活动室"]
    assert closed["状态"] == "已销号" and closed["是否逾期"] == "否"
    assert closed["销号日期"].date() == TODAY and closed["完成进度(%)"] == 100
    entries = list(book["推进台账"].iter_rows(values_only=True))
    assert list(entries[0]) == LEDGER_HEADER
    assert [(e[0], e[2], e[3]) for e in entries[1:]] == [("完成支部换届", "召开推进会", 30)]
    entry = AuditEntry.objects.get(action="tasks.export", object_type="tasks.worktask")
    assert entry.summary == {"org": world.ha.code, "tasks": 2}


def test_a_branch_exports_only_what_it_carries(client, world, ledger):
    client.force_login(make_user("sec-b2", Role.SECRETARY, world.ha_b2))
    book = _book(client.get(reverse("tasks:export") + f"?org={world.ha_b2.code}"))
    titles = [row[3] for row in book["任务清单"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["建设党员活动室"]
    assert book["推进台账"].max_row == 1  # branch 1's ledger is not in it


def test_other_hospital_gets_404_and_nothing_is_audited(client, world, ledger):
    client.force_login(world.user(Role.OFFICE, "B"))
    response = client.get(reverse("tasks:export") + f"?org={world.ha.code}")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="tasks.export").exists()


def test_overdue_flag_follows_the_day_asked_about(world, ledger):
    late, _ = ledger
    tasks = WorkTask.objects.filter(pk=late.pk)
    for day, flag in ((late.due_on, "否"), (late.due_on + dt.timedelta(days=1), "是")):
        book = load_workbook(build_workbook(tasks, day, world.ha))
        assert next(book["任务清单"].iter_rows(min_row=2, values_only=True))[12] == flag


def test_the_workbook_reads_a_fixed_number_of_queries(world, ledger):
    tasks = WorkTask.objects.all()
    with CaptureQueriesContext(connection) as few:
        build_workbook(tasks, TODAY, world.ha)
    area = ledger[0].area
    for i in range(5):
        task = a_task(
            area, world.ha_b1, title=f"新增{i}", owners=[make_member(world.ha_b1)], due=TODAY
        )
        services.record_progress(task, text="推进", percent=10, today=TODAY)
    with CaptureQueriesContext(connection) as many:
        build_workbook(tasks, TODAY, world.ha)
    assert len(many.captured_queries) == len(few.captured_queries)
