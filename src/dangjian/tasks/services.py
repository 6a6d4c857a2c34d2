"""Changes to the task ledger: build a target list, record progress, apply for close-out
(销号), approve or return it, reopen a closed task. Each runs in one transaction, refuses
with a Chinese message (TaskError) before writing anything, and is audited."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import rules
from .models import (
    ClosureState,
    ProgressKind,
    TargetList,
    TaskArea,
    TaskClosure,
    TaskEvidence,
    TaskMilestone,
    TaskProgress,
    TaskState,
    WorkTask,
)


class TaskError(ValueError):
    """A refused change; the message is Chinese."""


def _path(task: WorkTask) -> str:
    return task.responsible_org.path


# ---- the list --------------------------------------------------------------------------
@transaction.atomic
def create_target_list(org: Organization, *, year: int, title: str = "", by=None) -> TargetList:
    if not 2000 <= year <= 2100:
        raise TaskError("年度须为 2000 至 2100 之间的年份")
    if TargetList.objects.filter(organization=org, year=year).exists():
        raise TaskError(f"{org.name}的 {year} 年度目标任务清单已存在")
    target_list = TargetList.objects.create(
        organization=org, year=year, title=title.strip() or f"{org.name}{year}年度目标任务清单",
        created_by=by,
    )  # fmt: skip
    audit.record("tasks.list", actor=by, obj=target_list, org_path=org.path, summary={"year": year})
    return target_list


@transaction.atomic
def add_area(target_list: TargetList, name: str, *, order: int | None = None, by=None) -> TaskArea:
    name = name.strip()
    if not name:
        raise TaskError("请填写任务方面的名称")
    if target_list.areas.filter(name=name).exists():
        raise TaskError(f"清单中已有“{name}”方面")
    if order is None:
        order = target_list.areas.count() + 1
    area = TaskArea.objects.create(target_list=target_list, name=name, order=order)
    audit.record(
        "tasks.area", actor=by, obj=area, org_path=target_list.organization.path,
        summary={"name": name},
    )  # fmt: skip
    return area


@dataclass
class TaskInput:
    title: str
    responsible_org: Organization
    starts_on: dt.date | None
    due_on: dt.date | None
    owners: list[Person] = field(default_factory=list)
    expected_result: str = ""
    weight: Decimal | str | int = 1
    progress_kind: str = ProgressKind.PERCENT
    milestones: list[tuple[str, dt.date | None]] = field(default_factory=list)
    number: int | None = None


def task_problems(area: TaskArea, data: TaskInput) -> list[str]:
    """Every reason `data` cannot be saved in `area`, in Chinese."""
    problems = []
    if not data.title.strip():
        problems.append("请填写任务内容")
    starts_on = data.starts_on or dt.date(area.target_list.year, 1, 1)
    if problem := rules.date_problem(starts_on, data.due_on):
        problems.append(problem)
    list_org = area.target_list.organization
    if not data.responsible_org.path.startswith(list_org.path):
        problems.append(f"责任组织“{data.responsible_org.name}”不在{list_org.name}之下")
    for owner in data.owners:
        if not owner.organization.path.startswith(list_org.path):
            problems.append(f"责任人“{owner.name}”不在{list_org.name}之下")
    try:
        if Decimal(str(data.weight)) <= 0:
            problems.append("权重须大于 0")
    except InvalidOperation:
        problems.append(f"权重“{data.weight}”不是数字")
    if data.progress_kind not in ProgressKind.values:
        problems.append(f"未知的进度方式：{data.progress_kind}")
    elif data.progress_kind == ProgressKind.MILESTONES and not data.milestones:
        problems.append("按节点推进的任务须至少列出一个节点")
    if any(not title.strip() for title, _ in data.milestones):
        problems.append("节点名称不能为空")
    return problems


@transaction.atomic
def add_task(area: TaskArea, data: TaskInput, *, by=None) -> WorkTask:
    if problems := task_problems(area, data):
        raise TaskError("；".join(problems))
    number = data.number if data.number is not None else area.tasks.count() + 1
    task = WorkTask.objects.create(
        area=area, number=number, title=data.title.strip(),
        expected_result=data.expected_result.strip(), responsible_org=data.responsible_org,
        starts_on=data.starts_on or dt.date(area.target_list.year, 1, 1), due_on=data.due_on,
        weight=Decimal(str(data.weight)), progress_kind=data.progress_kind,
    )  # fmt: skip
    task.owners.set(data.owners)
    TaskMilestone.objects.bulk_create(
        TaskMilestone(task=task, title=title.strip(), due_on=due_on)
        for title, due_on in data.milestones
    )
    audit.record(
        "tasks.task", actor=by, obj=task, org_path=_path(task),
        summary={"title": task.title, "due_on": task.due_on, "owners": [p.pk for p in data.owners]},
    )  # fmt: skip
    return task


def _locked(task: WorkTask) -> WorkTask:
    return WorkTask.objects.select_for_update().select_related("responsible_org").get(pk=task.pk)


def _refuse_closed(task: WorkTask) -> None:
    if task.state == TaskState.CLOSED:
        raise TaskError("任务已销号，不能再修改；如需继续推进，请先重新打开")


@transaction.atomic
def update_task(task: WorkTask, data: TaskInput, *, by=None) -> WorkTask:
    """Change what a task asks (not its progress); milestones are kept as they are."""
    task = _locked(task)
    _refuse_closed(task)
    data.milestones = data.milestones or [("", None)] * task.milestones.count()
    problems = [p for p in task_problems(task.area, data) if p != "节点名称不能为空"]
    if problems:
        raise TaskError("；".join(problems))
    before = {"title": task.title, "due_on": task.due_on, "org": task.responsible_org.code}
    was = _edited_fields(task)
    task.title = data.title.strip()
    task.expected_result = data.expected_result.strip()
    task.responsible_org = data.responsible_org
    task.starts_on = data.starts_on or task.starts_on
    task.due_on = data.due_on
    task.weight = Decimal(str(data.weight))
    task.save()
    task.owners.set(data.owners)
    audit.record(
        "tasks.task_changed", actor=by, obj=task, org_path=_path(task),
        summary={"before": before, "title": task.title, "due_on": task.due_on,
                 "changes": audit.changes(was, _edited_fields(task))},
    )  # fmt: skip
    return task


def _edited_fields(task: WorkTask) -> dict:
    """What an edit may change, as the audit entry shows it (the organisation by name)."""
    return {
        "title": task.title, "expected_result": task.expected_result,
        "responsible_org": task.responsible_org.name, "starts_on": task.starts_on,
        "due_on": task.due_on, "weight": f"{Decimal(task.weight):.2f}",
    }  # fmt: skip


# ---- the ledger ------------------------------------------------------------------------
def _store_evidence(task: WorkTask, files, *, by, progress=None, closure=None) -> list[str]:
    return [
        TaskEvidence.store(
            upload, by=by, task=task, progress=progress, closure=closure
        ).original_name
        for upload in files
    ]


@transaction.atomic
def record_progress(
    task: WorkTask,
    *,
    text: str,
    recorded_on: dt.date | None = None,
    percent: int | None = None,
    milestone: TaskMilestone | None = None,
    files=(),
    by=None,
    today: dt.date | None = None,
) -> TaskProgress:
    """One ledger entry. A percentage task takes the entry's percentage; a milestone task
    marks the milestone done and counts the share of milestones done."""
    today = today or timezone.localdate()
    task = _locked(task)
    _refuse_closed(task)
    recorded_on = recorded_on or today
    if milestone is not None:  # as stored now, not as the caller last read it
        milestone = TaskMilestone.objects.select_for_update().get(pk=milestone.pk)
    problems = []
    if not text.strip():
        problems.append("请填写推进情况")
    if recorded_on > today:
        problems.append("台账日期不能晚于今天")
    if problem := rules.percent_problem(percent):
        problems.append(problem)
    if task.progress_kind == ProgressKind.MILESTONES and percent is not None:
        problems.append("按节点推进的任务不填写百分比，请选择完成的节点")
    if task.progress_kind == ProgressKind.PERCENT and milestone is not None:
        problems.append("按百分比推进的任务没有节点")
    if milestone is not None and milestone.task_id != task.pk:
        problems.append("所选节点不属于该任务")
    if milestone is not None and milestone.done_on is not None:
        problems.append(f"节点“{milestone.title}”已于 {milestone.done_on} 完成")
    files = list(files)
    problems += [p for upload in files if (p := upload_problem(upload))]
    if problems:
        raise TaskError("；".join(problems))
    entry = TaskProgress.objects.create(
        task=task, recorded_on=recorded_on, text=text.strip(), percent=percent,
        milestone=milestone, recorded_by=by,
    )  # fmt: skip
    if milestone is not None:
        TaskMilestone.objects.filter(pk=milestone.pk).update(done_on=recorded_on)
        done = task.milestones.filter(done_on__isnull=False).count()
        task.percent = rules.milestone_percent(done, task.milestones.count())
    elif percent is not None:
        task.percent = percent
    task.save(update_fields=["percent"])
    names = _store_evidence(task, files, by=by, progress=entry)
    audit.record(
        "tasks.progress", actor=by, obj=task, org_path=_path(task),
        summary={"on": recorded_on, "percent": task.percent, "files": names},
    )  # fmt: skip
    return entry


# ---- close-out (销号) -------------------------------------------------------------------
@transaction.atomic
def apply_close(
    task: WorkTask, *, summary: str, files, by=None, today: dt.date | None = None
) -> TaskClosure:
    """The owner applies for close-out with the result and at least one evidence file."""
    today = today or timezone.localdate()
    task = _locked(task)
    _refuse_closed(task)
    files = list(files)
    problems = []
    if task.state == TaskState.APPLIED:
        problems.append("该任务已申请销号，正在等待审核")
    if not summary.strip():
        problems.append("请填写完成情况")
    if not files:
        problems.append("申请销号须上传至少一份佐证材料")
    if task.progress_kind == ProgressKind.MILESTONES:
        # Closing sets the progress to 100 %: every milestone must be done first.
        open_titles = list(
            task.milestones.filter(done_on__isnull=True).values_list("title", flat=True)
        )
        if open_titles:
            problems.append(f"尚有节点未完成：{'、'.join(open_titles)}，请先在台账中登记")
    problems += [p for upload in files if (p := upload_problem(upload))]
    if problems:
        raise TaskError("；".join(problems))
    try:
        with transaction.atomic():
            closure = TaskClosure.objects.create(
                task=task, summary=summary.strip(), applied_on=today, applied_by=by
            )
    except IntegrityError as error:  # a second application racing this one
        raise TaskError("该任务已申请销号，正在等待审核") from error
    task.state = TaskState.APPLIED
    task.save(update_fields=["state"])
    names = _store_evidence(task, files, by=by, closure=closure)
    audit.record(
        "tasks.close_applied", actor=by, obj=task, org_path=_path(task),
        summary={"closure": closure.pk, "files": names},
    )  # fmt: skip
    return closure


def _pending(task: WorkTask) -> TaskClosure:
    closure = task.closures.select_for_update().filter(state=ClosureState.PENDING).first()
    if closure is None:
        raise TaskError("该任务没有待审核的销号申请")
    return closure


@transaction.atomic
def approve_close(task: WorkTask, *, by=None, today: dt.date | None = None) -> TaskClosure:
    """The reviewer approves: the task is closed (销号) and read-only from then on. Nobody
    approves their own application."""
    today = today or timezone.localdate()
    task = _locked(task)
    closure = _pending(task)
    if by is not None and closure.applied_by_id == getattr(by, "pk", None):
        raise TaskError("不能审核本人提交的销号申请")
    closure.state = ClosureState.APPROVED
    closure.reviewed_on, closure.reviewed_by = today, by
    closure.save(update_fields=["state", "reviewed_on", "reviewed_by"])
    task.state, task.closed_on, task.percent = TaskState.CLOSED, today, 100
    task.save(update_fields=["state", "closed_on", "percent"])
    audit.record(
        "tasks.closed", actor=by, obj=task, org_path=_path(task),
        summary={"closure": closure.pk, "closed_on": today,
                 "late": rules.closed_late(task.due_on, today)},
    )  # fmt: skip
    return closure


@transaction.atomic
def return_close(
    task: WorkTask, *, reason: str, by=None, today: dt.date | None = None
) -> TaskClosure:
    """The reviewer sends the application back, saying why; the task goes on."""
    if not reason.strip():
        raise TaskError("退回销号申请须说明理由")
    today = today or timezone.localdate()
    task = _locked(task)
    closure = _pending(task)
    if by is not None and closure.applied_by_id == getattr(by, "pk", None):
        raise TaskError("不能审核本人提交的销号申请")
    closure.state, closure.review_reason = ClosureState.RETURNED, reason.strip()
    closure.reviewed_on, closure.reviewed_by = today, by
    closure.save(update_fields=["state", "review_reason", "reviewed_on", "reviewed_by"])
    task.state = TaskState.OPEN
    task.save(update_fields=["state"])
    audit.record(
        "tasks.close_returned", actor=by, obj=task, org_path=_path(task),
        summary={"closure": closure.pk, "reason": closure.review_reason},
    )  # fmt: skip
    return closure


@transaction.atomic
def reopen(task: WorkTask, *, reason: str, by=None, today: dt.date | None = None) -> WorkTask:
    """A closed task is opened again, with the reason kept on its close-out and in the
    audit log; it counts as open (and overdue, past its deadline) from then on."""
    if not reason.strip():
        raise TaskError("重新打开已销号的任务须说明理由")
    today = today or timezone.localdate()
    task = _locked(task)
    if task.state != TaskState.CLOSED:
        raise TaskError("只有已销号的任务才能重新打开")
    closure = task.closures.select_for_update().filter(state=ClosureState.APPROVED).first()
    if closure is not None:
        closure.state = ClosureState.REOPENED
        closure.reopened_on, closure.reopened_by = today, by
        closure.reopen_reason = reason.strip()
        closure.save(update_fields=["state", "reopened_on", "reopened_by", "reopen_reason"])
    closed_on = task.closed_on
    task.state, task.closed_on = TaskState.OPEN, None
    task.save(update_fields=["state", "closed_on"])
    audit.record(
        "tasks.reopened", actor=by, obj=task, org_path=_path(task),
        summary={"reason": reason.strip(), "was_closed_on": closed_on},
    )  # fmt: skip
    return task
