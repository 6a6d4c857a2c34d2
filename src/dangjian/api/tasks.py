"""Task ledger endpoints: the tasks of a subtree, one task with its ledger and close-outs,
recording progress, applying for close-out (销号) with evidence files, reviewing it.
Same scope as the pages (404 outside it, 403 where the user may only read); refusals are
the services' Chinese reasons (400 with `detail` and `reasons`), nothing written."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.tasks import queries, services
from dangjian.tasks.models import TaskState, WorkTask
from dangjian.tasks.permissions import may_manage, may_report
from dangjian.tasks.services import TaskError

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Id, Message, Refusal

router = ApiRouter(tags=["tasks"])


class TaskOut(Schema):
    id: int
    year: int
    area: str
    number: int
    title: str
    responsible_org: str
    starts_on: dt.date
    due_on: dt.date
    weight: float
    progress_kind: str
    percent: int
    state: str
    closed_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_year(obj) -> int:
        return obj["year"] if isinstance(obj, dict) else obj.area.target_list.year

    @staticmethod
    def resolve_area(obj) -> str:
        return obj["area"] if isinstance(obj, dict) else obj.area.name

    @staticmethod
    def resolve_responsible_org(obj) -> str:
        return obj["responsible_org"] if isinstance(obj, dict) else obj.responsible_org.code

    @staticmethod
    def resolve_overdue(obj) -> bool:
        if isinstance(obj, dict):
            return obj["overdue"]
        return obj.due_on < timezone.localdate() and obj.state != TaskState.CLOSED


class EntryOut(Schema):
    recorded_on: dt.date
    text: str
    percent: int | None
    milestone: str | None
    files: list[str]


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: dt.date | None
    done_on: dt.date | None


class ClosureOut(Schema):
    applied_on: dt.date
    summary: str
    state: str
    reviewed_on: dt.date | None
    review_reason: str
    reopened_on: dt.date | None
    reopen_reason: str
    files: list[str]


class TaskDetailOut(TaskOut):
    expected_result: str
    owners: list[str]
    milestones: list[MilestoneOut]
    ledger: list[EntryOut]
    closures: list[ClosureOut]


class ProgressIn(Schema):
    text: str
    recorded_on: dt.date | None = None
    percent: int | None = None
    milestone: Id | None = None


class ReviewIn(Schema):
    approve: bool
    reason: str = ""


def _refused(error: TaskError):
    reasons = [part for part in str(error).split("；") if part]
    return Status(400, {"detail": str(error), "reasons": reasons})


def _out(task: WorkTask, today: dt.date) -> dict:
    return {
        "id": task.pk, "year": task.area.target_list.year, "area": task.area.name,
        "number": task.number, "title": task.title, "responsible_org": task.responsible_org.code,
        "starts_on": task.starts_on, "due_on": task.due_on, "weight": float(task.weight),
        "progress_kind": task.progress_kind, "percent": task.percent, "state": task.state,
        "closed_on": task.closed_on,
        "overdue": task.due_on < today and task.state != TaskState.CLOSED,
    }  # fmt: skip


def _detail(task: WorkTask) -> dict:
    entries = task.progress.select_related("milestone").prefetch_related("evidence")
    closures = task.closures.prefetch_related("evidence")
    return {
        **_out(task, timezone.localdate()),
        "expected_result": task.expected_result,
        "owners": [p.name for p in task.owners.all()],
        "milestones": [
            {"id": m.pk, "title": m.title, "due_on": m.due_on, "done_on": m.done_on}
            for m in task.milestones.all()
        ],
        "ledger": [
            {
                "recorded_on": e.recorded_on,
                "text": e.text,
                "percent": e.percent,
                "milestone": e.milestone.title if e.milestone else None,
                "files": [f.original_name for f in e.evidence.all()],
            }
            for e in entries
        ],
        "closures": [
            {
                "applied_on": c.applied_on,
                "summary": c.summary,
                "state": c.state,
                "reviewed_on": c.reviewed_on,
                "review_reason": c.review_reason,
                "reopened_on": c.reopened_on,
                "reopen_reason": c.reopen_reason,
                "files": [f.original_name for f in c.evidence.all()],
            }
            for c in closures
        ],
    }


def _visible(request, task_id: int) -> WorkTask:
    return get_object_or_404(
        queries.with_list(WorkTask.objects.visible_to(request.user)), pk=task_id
    )


def _reporter(request, task_id: int) -> WorkTask:
    task = _visible(request, task_id)
    if not may_report(request.user, task):
        raise HttpError(403, _("只有责任人或责任组织可以登记进度和申请销号"))
    return task


@router.get("/tasks", response={200: list[TaskOut], 400: Message})
@paginate(Pages, page_size=50)
def list_tasks(request, org: str | None = None, state: str | None = None, overdue: bool = False):
    """The tasks the user may see; `org` narrows to the tasks its subtree carries,
    `overdue=true` to those past their deadline and not closed today."""
    today = timezone.localdate()
    qs = WorkTask.objects.visible_to(request.user)
    if org:
        qs = qs.filter(queries.in_subtree(visible_org(request, org).path))
    if state:
        if state not in TaskState.values:
            raise HttpError(400, _("未知的任务状态：%(s)s") % {"s": state})
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(queries.overdue_on(today))
    return queries.with_list(qs).order_by("due_on", "pk")


@router.get("/tasks/{task_id}", response=TaskDetailOut)
def get_task(request, task_id: Id):
    return _detail(_visible(request, task_id))


@router.post("/tasks/{task_id}/progress", response={201: TaskDetailOut, 400: Refusal, 403: Message})
def record_progress(request, task_id: Id, payload: ProgressIn):
    """One ledger entry: `percent` for a percentage task, `milestone` (its id) for a
    milestone task."""
    task = _reporter(request, task_id)
    milestone = None
    if payload.milestone is not None:
        milestone = task.milestones.filter(pk=payload.milestone).first()
        if milestone is None:
            return _refused(TaskError(_("所选节点不属于该任务")))
    try:
        services.record_progress(
            task, text=payload.text, recorded_on=payload.recorded_on, percent=payload.percent,
            milestone=milestone, by=request.user,
        )  # fmt: skip
    except TaskError as refused:
        return _refused(refused)
    return Status(201, _detail(_visible(request, task_id)))


@router.post(
    "/tasks/{task_id}/close-out", response={201: TaskDetailOut, 400: Refusal, 403: Message}
)
def close_out(
    request,
    task_id: Id,
    summary: Form[str] = "",
    files: File[list[UploadedFile]] = None,
):
    """Apply for close-out (multipart/form-data): `summary` and one or more `files` of
    evidence; refused without evidence."""
    task = _reporter(request, task_id)
    try:
        services.apply_close(task, summary=summary, files=files or [], by=request.user)
    except TaskError as refused:
        return _refused(refused)
    return Status(201, _detail(_visible(request, task_id)))


@router.post("/tasks/{task_id}/review", response={200: TaskDetailOut, 400: Refusal, 403: Message})
def review(request, task_id: Id, payload: ReviewIn):
    """Approve the pending close-out (the task is closed) or return it with a reason."""
    task = _visible(request, task_id)
    if not may_manage(request.user, task.area.target_list):
        raise HttpError(403, _("只有清单所属党组织可以审核销号"))
    try:
        if payload.approve:
            services.approve_close(task, by=request.user)
        else:
            services.return_close(task, reason=payload.reason, by=request.user)
    except TaskError as refused:
        return _refused(refused)
    return _detail(_visible(request, task_id))
