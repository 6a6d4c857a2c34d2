"""The close-out workflow (销号), reopening, the ledger and the figures, through the
services: every refusal writes nothing."""

import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.dashboard.stats import compute_stats
from dangjian.tasks import queries, services
from dangjian.tasks.models import ClosureState, TaskEvidence, TaskProgress, TaskState, WorkTask
from dangjian.tasks.services import TaskError, TaskInput
from tests.factories import make_member

from .builders import a_list, a_task, evidence

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 20)


@pytest.fixture
def task(world):
    _, area = a_list(world.ha)
    return a_task(area, world.ha_b1, owners=[make_member(world.ha_b1)])


def _state(task):
    task.refresh_from_db()
    return task.state, task.closed_on


def test_close_out_needs_evidence_and_writes_nothing_without(task):
    with pytest.raises(TaskError, match="至少一份佐证材料"):
        services.apply_close(task, summary="已完成", files=[], today=TODAY)
    assert _state(task) == (TaskState.OPEN, None) and not task.closures.exists()


def test_refused_file_type_writes_nothing(task):
    bad = evidence("脚本.exe")
    with pytest.raises(TaskError, match="不支持的文件类型"):
        services.apply_close(task, summary="已完成", files=[bad], today=TODAY)
    assert not task.closures.exists() and not TaskEvidence.objects.exists()


def test_apply_approve_then_read_only(world, task):
    owner, reviewer = world.user(Role.SECRETARY, "A"), world.user(Role.OFFICE, "A")
    services.apply_close(task, summary="换届完成", files=[evidence()], by=owner, today=TODAY)
    assert _state(task) == (TaskState.APPLIED, None)
    with pytest.raises(TaskError, match="正在等待审核"):
        services.apply_close(task, summary="再次申请", files=[evidence()], today=TODAY)
    with pytest.raises(TaskError, match="不能审核本人"):
        services.approve_close(task, by=owner, today=TODAY)
    services.approve_close(task, by=reviewer, today=D(2025, 6, 22))
    assert _state(task) == (TaskState.CLOSED, D(2025, 6, 22))
    task.refresh_from_db()
    assert task.percent == 100
    for change in (
        lambda: services.record_progress(task, text="补充", today=TODAY),
        lambda: services.apply_close(task, summary="x", files=[evidence()], today=TODAY),
    ):
        with pytest.raises(TaskError, match="已销号"):
            change()
    assert not TaskProgress.objects.filter(task=task).exists()


def test_return_needs_a_reason_and_the_task_goes_on(world, task):
    services.apply_close(task, summary="完成", files=[evidence()], today=TODAY)
    with pytest.raises(TaskError, match="说明理由"):
        services.return_close(task, reason=" ", today=TODAY)
    assert _state(task)[0] == TaskState.APPLIED
    services.return_close(task, reason="缺少会议记录", today=TODAY)
    assert _state(task) == (TaskState.OPEN, None)
    assert task.closures.get().state == ClosureState.RETURNED
    # A new application is possible after a return.
    services.apply_close(task, summary="已补充", files=[evidence()], today=TODAY)
    assert task.closures.count() == 2


def test_reopen_needs_a_reason_is_audited_and_reopens_the_clock(world, task):
    services.apply_close(task, summary="完成", files=[evidence()], today=D(2025, 6, 1))
    services.approve_close(task, today=D(2025, 6, 2))
    with pytest.raises(TaskError, match="须说明理由"):
        services.reopen(task, reason="", today=TODAY)
    assert _state(task)[0] == TaskState.CLOSED
    services.reopen(
        task, reason="上级检查发现材料不实", by=world.user(Role.OFFICE, "A"), today=TODAY
    )
    assert _state(task) == (TaskState.OPEN, None)
    closure = task.closures.get()
    assert (
        closure.state == ClosureState.REOPENED and closure.reopen_reason == "上级检查发现材料不实"
    )
    entry = AuditEntry.objects.filter(action="tasks.reopened").get()
    assert entry.summary["reason"] == "上级检查发现材料不实"
    assert queries.task_figures(world.ha.path, D(2025, 1, 1), D(2025, 7, 1))["overdue"] == 1


def test_deadline_before_start_is_refused_and_nothing_written(world):
    _, area = a_list(world.ha)
    with pytest.raises(TaskError, match="不能早于开始日期"):
        services.add_task(
            area,
            TaskInput(title="x", responsible_org=world.ha_b1, starts_on=D(2025, 3, 1),
                      due_on=D(2025, 2, 1)),
        )  # fmt: skip
    assert not WorkTask.objects.exists()


def test_responsible_org_and_owners_must_be_under_the_list(world):
    _, area = a_list(world.ha)
    outsider = make_member(world.hb_b1)
    with pytest.raises(TaskError) as refused:
        services.add_task(
            area,
            TaskInput(title="x", responsible_org=world.hb_b1, starts_on=None,
                      due_on=D(2025, 2, 1), owners=[outsider]),
        )  # fmt: skip
    assert "责任组织" in str(refused.value) and "责任人" in str(refused.value)


def test_percent_and_milestone_progress(world):
    _, area = a_list(world.ha)
    by_percent = a_task(area, world.ha_b1, title="甲")
    services.record_progress(by_percent, text="过半", percent=60, recorded_on=TODAY, today=TODAY)
    by_percent.refresh_from_db()
    assert by_percent.percent == 60
    with pytest.raises(TaskError, match="0% 到 100%"):
        services.record_progress(by_percent, text="x", percent=120, today=TODAY)
    with pytest.raises(TaskError, match="晚于今天"):
        services.record_progress(by_percent, text="x", recorded_on=D(2025, 7, 1), today=TODAY)
    staged = a_task(
        area, world.ha_b1, title="乙", progress_kind="milestones",
        milestones=[("方案", None), ("实施", None), ("验收", None)],
    )  # fmt: skip
    first = staged.milestones.order_by("pk").first()
    services.record_progress(staged, text="方案已定", milestone=first, today=TODAY)
    staged.refresh_from_db()
    assert staged.percent == 33
    with pytest.raises(TaskError, match="已于"):
        services.record_progress(staged, text="再报", milestone=first, today=TODAY)


def test_figures_carry_open_tasks_over_the_year_end(world):
    _, area = a_list(world.ha, year=2025)
    a_task(area, world.ha_b1, due=D(2025, 12, 31), title="跨年任务")
    done = a_task(area, world.ha_b1, due=D(2025, 10, 31), title="已完成")
    services.apply_close(done, summary="完成", files=[evidence()], today=D(2025, 10, 20))
    services.approve_close(done, today=D(2025, 10, 21))
    on_dec_31 = queries.task_figures(world.ha.path, D(2025, 1, 1), D(2025, 12, 31))
    assert (on_dec_31["total"], on_dec_31["closed"], on_dec_31["overdue"]) == (2, 1, 0)
    # In 2026 the 2025 list's open task is carried over and overdue; the closed one is not.
    jan_2 = queries.task_figures(world.ha.path, D(2026, 1, 1), D(2026, 1, 2))
    assert (jan_2["total"], jan_2["closed"], jan_2["overdue"]) == (1, 0, 1)
    stats = compute_stats(world.ha, D(2026, 1, 1), D(2026, 1, 2))["tasks"]
    assert stats["overdue"] == 1
    # A branch's figures count the tasks it carries; the other hospital sees none.
    assert queries.task_figures(world.ha_b2.path, D(2025, 1, 1), D(2025, 12, 31))["total"] == 0
    assert queries.task_figures(world.hb.path, D(2026, 1, 1), D(2026, 1, 2))["total"] == 0


def test_a_second_list_for_the_same_year_is_refused(world):
    a_list(world.ha)
    with pytest.raises(TaskError, match="已存在"):
        services.create_target_list(world.ha, year=2025)


def test_overdue_on_the_deadline_day_and_the_day_after_the_year_end(world):
    _, area = a_list(world.ha, year=2025)
    task = a_task(area, world.ha_b1, due=D(2025, 12, 31), title="年底任务")
    tasks = WorkTask.objects.filter(pk=task.pk)
    assert not tasks.filter(queries.overdue_on(D(2025, 12, 31))).exists()
    assert tasks.filter(queries.overdue_on(D(2026, 1, 1))).exists()
    dec_31 = queries.task_figures(world.ha.path, D(2025, 1, 1), D(2025, 12, 31))
    jan_1 = queries.task_figures(world.ha.path, D(2026, 1, 1), D(2026, 1, 1))
    assert (dec_31["total"], dec_31["overdue"], dec_31["due_soon"]) == (1, 0, 1)
    assert (jan_1["total"], jan_1["overdue"], jan_1["due_soon"]) == (1, 1, 0)
    # Closed on 1 January: overdue that morning's figures no more, counted as closed late.
    services.apply_close(task, summary="完成", files=[evidence()], today=D(2026, 1, 1))
    services.approve_close(task, today=D(2026, 1, 1))
    after = queries.task_figures(world.ha.path, D(2026, 1, 1), D(2026, 1, 1))
    assert (after["total"], after["closed"], after["overdue"], after["closed_late"]) == (1, 1, 0, 1)
    # A 2025 task closed in 2025 is not carried into 2026.
    early = a_task(area, world.ha_b1, due=D(2025, 11, 30), title="按时完成")
    services.apply_close(early, summary="完成", files=[evidence()], today=D(2025, 11, 20))
    services.approve_close(early, today=D(2025, 11, 21))
    assert queries.task_figures(world.ha.path, D(2026, 1, 1), D(2026, 3, 1))["total"] == 1


def test_refusals_write_nothing_not_even_an_audit_entry(world, task):
    owner, reviewer = world.user(Role.SECRETARY, "A"), world.user(Role.OFFICE, "A")
    before = AuditEntry.objects.count()
    refusals = [
        lambda: services.apply_close(task, summary="完成", files=[], by=owner, today=TODAY),
        lambda: services.apply_close(task, summary=" ", files=[evidence()], today=TODAY),
        lambda: services.record_progress(task, text="x", percent=101, files=[evidence()]),
        lambda: services.record_progress(task, text="x", percent=-1, today=TODAY),
        lambda: services.record_progress(task, text=" ", percent=50, today=TODAY),
        lambda: services.approve_close(task, by=reviewer, today=TODAY),  # nothing pending
        lambda: services.reopen(task, reason="理由", by=reviewer, today=TODAY),  # not closed
    ]
    for refused in refusals:
        with pytest.raises(TaskError):
            refused()
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.OPEN, 0)
    assert AuditEntry.objects.count() == before
    assert not TaskProgress.objects.exists() and not TaskEvidence.objects.exists()
    services.apply_close(task, summary="完成", files=[evidence()], by=owner, today=TODAY)
    applied = AuditEntry.objects.count()
    for refused in (
        lambda: services.return_close(task, reason="缺材料", by=owner, today=TODAY),
        lambda: services.approve_close(task, by=owner, today=TODAY),
        lambda: services.return_close(task, reason="", by=reviewer, today=TODAY),
    ):
        with pytest.raises(TaskError):
            refused()
    assert AuditEntry.objects.count() == applied
    assert task.closures.get().state == ClosureState.PENDING


@pytest.mark.parametrize(("percent", "accepted"), [(0, True), (100, True), (101, False)])
def test_percent_bounds_through_the_service(task, percent, accepted):
    if accepted:
        services.record_progress(task, text="推进", percent=percent, today=TODAY)
        task.refresh_from_db()
        assert task.percent == percent
    else:
        with pytest.raises(TaskError, match="0% 到 100%"):
            services.record_progress(task, text="推进", percent=percent, today=TODAY)
        assert not TaskProgress.objects.exists()


def test_milestones_reach_a_hundred_and_refuse_a_percentage(world):
    _, area = a_list(world.ha)
    staged = a_task(area, world.ha_b1, title="分步", progress_kind="milestones",
                    milestones=[("方案", None), ("验收", None)])  # fmt: skip
    other = a_task(area, world.ha_b1, title="另一", progress_kind="milestones",
                   milestones=[("启动", None)])  # fmt: skip
    with pytest.raises(TaskError, match="不填写百分比"):
        services.record_progress(staged, text="x", percent=50, today=TODAY)
    with pytest.raises(TaskError, match="不属于该任务"):
        services.record_progress(staged, text="x", milestone=other.milestones.get(), today=TODAY)
    for milestone in staged.milestones.order_by("pk"):
        services.record_progress(staged, text=milestone.title, milestone=milestone, today=TODAY)
    staged.refresh_from_db()
    assert staged.percent == 100 and staged.state == TaskState.OPEN  # closing is a review
    with pytest.raises(TaskError, match="至少列出一个节点"):
        a_task(area, world.ha_b1, title="无节点", progress_kind="milestones")


def test_a_task_by_milestones_closes_only_with_every_milestone_done(world):
    """Closing sets 100 %: with a milestone open the application is refused, naming it."""
    _, area = a_list(world.ha)
    staged = a_task(area, world.ha_b1, title="分步", progress_kind="milestones",
                    milestones=[("方案", None), ("验收", D(2025, 6, 30))])  # fmt: skip
    first, last = staged.milestones.order_by("pk")
    services.record_progress(staged, text="方案已定", milestone=first, today=TODAY)
    with pytest.raises(TaskError, match="尚有节点未完成：验收"):
        services.apply_close(staged, summary="已完成", files=[evidence()], today=TODAY)
    assert _state(staged) == (TaskState.OPEN, None) and not staged.closures.exists()
    services.record_progress(staged, text="验收通过", milestone=last, today=TODAY)
    services.apply_close(staged, summary="已完成", files=[evidence()], today=TODAY)
    assert _state(staged) == (TaskState.APPLIED, None)
    assert str(last) == "验收（2025-06-30）" and str(first) == "方案"


def test_weight_must_be_positive_and_a_closed_task_cannot_be_edited(world, task):
    with pytest.raises(TaskError, match="权重须大于 0"):
        a_task(task.area, world.ha_b1, title="零权重", weight=0)
    services.apply_close(task, summary="完成", files=[evidence()], today=TODAY)
    services.approve_close(task, today=TODAY)
    change = TaskInput(title="改名", responsible_org=world.ha_b1, starts_on=None,
                       due_on=D(2025, 12, 31))  # fmt: skip
    with pytest.raises(TaskError, match="已销号"):
        services.update_task(task, change)
    task.refresh_from_db()
    assert task.title == "完成支部换届"
