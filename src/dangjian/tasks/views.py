"""Task ledger pages: the list (by area, owner, overdue, due soon) with the progress
chart, a target list with its areas, one task with its ledger and close-out, "my tasks",
evidence downloads and the Excel export.

Everything starts from `WorkTask.objects.visible_to(user)`: a task or file outside the
user's subtrees answers 404. Building a list, reviewing and reopening need write scope on
the list's organisation; recording progress and applying for close-out need an owner's
account or write scope on the responsible organisation (403 otherwise).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import audited_download, client_ip, private
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person

from . import queries, services
from .forms import (
    AreaForm,
    CloseForm,
    ListFilterForm,
    ProgressForm,
    ReopenForm,
    ReviewForm,
    TargetListForm,
    TaskEditForm,
    TaskForm,
)
from .models import TargetList, TaskEvidence, TaskState, WorkTask
from .permissions import may_manage, may_open_list, may_plan, may_report
from .services import TaskError

PAGE_SIZE = 50


def progress_chart(rows: list[dict]) -> dict:
    """The spec js/charts.js draws: tasks, closed and overdue per area, and the weighted
    percentage done."""
    return {
        "type": "bar",
        "categories": [row["area"] for row in rows],
        "series": [
            {"name": _("任务数"), "type": "bar", "data": [row["total"] for row in rows]},
            {"name": _("已销号"), "type": "bar", "data": [row["closed"] for row in rows]},
            {"name": _("已逾期"), "type": "bar", "data": [row["overdue"] for row in rows]},
            {
                "name": _("完成进度"),
                "type": "line",
                "percent": True,
                "data": [row["percent"] for row in rows],
            },
        ],
    }


# ---- lists ---------------------------------------------------------------------------
@login_required
def task_list(request):
    org = chosen_org(request)
    today = timezone.localdate()
    filters = ListFilterForm(request.GET)
    view, area, owner = filters.value("view"), filters.value("area"), filters.value("owner")
    tasks = queries.tasks_in(request.user, org).filter(
        queries.in_period(dt.date(today.year, 1, 1), today)
    )
    chart = queries.progress_by_area(tasks, today)
    if view == "overdue":
        tasks = queries.overdue_tasks(tasks, today)
    elif view == "due_soon":
        tasks = queries.due_soon_tasks(tasks, today)
    else:
        tasks = queries.with_list(tasks)
    if area:
        tasks = tasks.filter(area__name=area)
    if owner:
        tasks = tasks.filter(owners=owner)
    tasks = tasks.prefetch_related("owners")
    query = {
        k: v for k, v in {"org": org.code, "view": view, "area": area, "owner": owner}.items() if v
    }
    lists = TargetList.objects.filter(
        organization__path__startswith=org.path,
        organization__in=Organization.objects.visible_to(request.user),
    ).select_related("organization")[:20]
    context = {
        "org": org,
        "today": today,
        "filters": filters,
        "view": view or "",
        "area": area or "",
        "owner": owner or "",
        "page": Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": urlencode(query),
        "chart": progress_chart(chart),
        "areas": chart,
        "figures": queries.task_figures(org.path, dt.date(today.year, 1, 1), today),
        "lists": lists,
        "can_manage": may_plan(request.user, org),
        "list_form": TargetListForm(),
    }
    return private(render(request, "tasks/list.html", context))


@login_required
def my_tasks(request):
    person = getattr(request.user, "person", None)
    tasks = WorkTask.objects.none()
    if person is not None:
        tasks = (
            queries.with_list(WorkTask.objects.filter(owners=person))
            .exclude(state=TaskState.CLOSED)
            .order_by("due_on", "pk")
        )
    context = {"tasks": list(tasks[:200]), "today": timezone.localdate()}
    return private(render(request, "tasks/mine.html", context))


# ---- building a list -----------------------------------------------------------------
@login_required
def list_new(request):
    org = chosen_org(request)
    if not may_plan(request.user, org):
        raise PermissionDenied(_("没有制定目标任务清单的权限"))
    form = TargetListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_target_list(org, by=request.user, **form.cleaned_data)
        except TaskError as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("tasks:target_list", pk=created.pk)
    return private(render(request, "tasks/list_new.html", {"org": org, "form": form}))


def _task_form(target_list, data=None, form_class=TaskForm, **kwargs):
    org = target_list.organization
    return form_class(
        data,
        target_list=target_list,
        orgs=Organization.objects.filter(path__startswith=org.path).order_by("path"),
        people=Person.objects.filter(organization__path__startswith=org.path).order_by("name"),
        **kwargs,
    )


@login_required
def target_list(request, pk: int):
    """A list's areas and tasks; its managers add areas and tasks here."""
    visible = Organization.objects.visible_to(request.user)
    found = get_object_or_404(
        TargetList.objects.select_related("organization").filter(organization__in=visible), pk=pk
    )
    if not may_open_list(request.user, found):
        raise Http404(_("清单不存在"))
    can_manage = may_manage(request.user, found)
    area_form, task_form = AreaForm(), _task_form(found)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("没有修改本清单的权限"))
        action = request.POST.get("action")
        try:
            if action == "area":
                area_form = AreaForm(request.POST)
                if area_form.is_valid():
                    services.add_area(found, area_form.cleaned_data["name"], by=request.user)
                    return redirect("tasks:target_list", pk=found.pk)
            elif action == "task":
                task_form = _task_form(found, request.POST)
                if task_form.is_valid():
                    services.add_task(
                        task_form.cleaned_data["area"], _task_input(task_form), by=request.user
                    )
                    messages.success(request, _("已添加任务。"))
                    return redirect("tasks:target_list", pk=found.pk)
            else:
                raise Http404(_("未知的操作"))
        except TaskError as refused:
            (area_form if action == "area" else task_form).add_error(None, str(refused))
    today = timezone.localdate()
    tasks = queries.with_list(WorkTask.objects.filter(area__target_list=found)).prefetch_related(
        "owners"
    )
    context = {
        "target": found,
        "tasks": list(tasks),
        "chart": progress_chart(
            queries.progress_by_area(WorkTask.objects.filter(area__target_list=found), today)
        ),
        "today": today,
        "can_manage": can_manage,
        "area_form": area_form,
        "task_form": task_form,
    }
    return private(render(request, "tasks/target_list.html", context))


def _task_input(form, progress_kind: str | None = None) -> services.TaskInput:
    """The service's input from a task form; an edit form keeps the task's progress kind
    and milestones (`progress_kind` given, no milestone field)."""
    data = form.cleaned_data
    return services.TaskInput(
        title=data["title"], responsible_org=data["responsible_org"],
        starts_on=data["starts_on"], due_on=data["due_on"], owners=list(data["owners"]),
        expected_result=data["expected_result"], weight=data["weight"],
        progress_kind=progress_kind or data["progress_kind"],
        milestones=form.milestone_rows() if "milestones" in form.fields else [],
    )  # fmt: skip


# ---- one task ------------------------------------------------------------------------
def _visible_task(request, pk: int) -> WorkTask:
    return get_object_or_404(queries.with_list(WorkTask.objects.visible_to(request.user)), pk=pk)


def _act(request, task, action):
    """Run one POSTed action; returns the form to show again when refused, else None."""
    user = request.user
    if action in ("progress", "apply") and not may_report(user, task):
        raise PermissionDenied(_("只有责任人或责任组织可以登记进度和申请销号"))
    if action in ("review", "reopen") and not may_manage(user, task.area.target_list):
        raise PermissionDenied(_("只有清单所属党组织可以审核销号或重新打开任务"))
    if action == "progress":
        form = ProgressForm(request.POST, request.FILES, task=task)
        run = lambda d: services.record_progress(  # noqa: E731
            task, text=d["text"], recorded_on=d["recorded_on"], percent=d.get("percent"),
            milestone=d.get("milestone"), files=d["files"], by=user,
        )  # fmt: skip
    elif action == "apply":
        form = CloseForm(request.POST, request.FILES)
        run = lambda d: services.apply_close(task, summary=d["summary"], files=d["files"], by=user)  # noqa: E731
    elif action == "review":
        form = ReviewForm(request.POST)

        def run(d):
            if d["decision"] == "approve":
                return services.approve_close(task, by=user)
            return services.return_close(task, reason=d["reason"], by=user)
    elif action == "reopen":
        form = ReopenForm(request.POST)
        run = lambda d: services.reopen(task, reason=d["reason"], by=user)  # noqa: E731
    else:
        raise Http404(_("未知的操作"))
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except TaskError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已保存。"))
            return None
    return form


@login_required
def task_detail(request, pk: int):
    task = _visible_task(request, pk)
    forms = {
        "progress": ProgressForm(task=task),
        "apply": CloseForm(),
        "review": ReviewForm(),
        "reopen": ReopenForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        refused = _act(request, task, action)
        if refused is None:
            return redirect("tasks:detail", pk=task.pk)
        forms[action] = refused
    today = timezone.localdate()
    context = {
        "task": task,
        "today": today,
        "owners": list(task.owners.all()),
        "milestones": list(task.milestones.all()),
        "entries": list(
            task.progress.select_related("recorded_by", "milestone").prefetch_related("evidence")
        ),
        "closures": list(
            task.closures.select_related(
                "applied_by", "reviewed_by", "reopened_by"
            ).prefetch_related("evidence")
        ),
        "overdue": task.due_on < today and task.state != TaskState.CLOSED,
        "may_report": may_report(request.user, task) and task.state != TaskState.CLOSED,
        "may_manage": may_manage(request.user, task.area.target_list),
        # A branch carrying a hospital task may not open the hospital's whole list.
        "can_open_list": may_open_list(request.user, task.area.target_list),
        "forms": forms,
    }
    return private(render(request, "tasks/detail.html", context))


@login_required
def task_edit(request, pk: int):
    """The list's managers change what an open task asks: title, expected result,
    responsible organisation, owners, dates and weight. Its ledger stays as it is."""
    task = _visible_task(request, pk)
    target = task.area.target_list
    if not may_manage(request.user, target):
        raise PermissionDenied(_("只有清单所属党组织可以修改任务"))
    initial = {
        "title": task.title, "expected_result": task.expected_result,
        "responsible_org": task.responsible_org, "owners": list(task.owners.all()),
        "starts_on": task.starts_on, "due_on": task.due_on, "weight": task.weight,
    }  # fmt: skip
    form = _task_form(target, request.POST or None, TaskEditForm, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(task, _task_input(form, task.progress_kind), by=request.user)
        except TaskError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("任务已修改。"))
            return redirect("tasks:detail", pk=task.pk)
    return private(render(request, "tasks/edit.html", {"task": task, "form": form}))


# ---- files ---------------------------------------------------------------------------
@login_required
def evidence(request, pk: int):
    """An evidence file, to those who may see its task; audited as an export."""
    visible = WorkTask.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        TaskEvidence.objects.select_related("task__responsible_org").filter(task__in=visible), pk=pk
    )
    return audited_download(
        request, item, action="tasks.export", obj=item.task,
        org_path=item.task.responsible_org.path, summary={"evidence": item.pk},
    )  # fmt: skip


@login_required
def export(request):
    from .export import build_workbook

    org = chosen_org(request)
    today = timezone.localdate()
    tasks = queries.tasks_in(request.user, org).filter(
        queries.in_period(dt.date(today.year, 1, 1), today)
    )
    content = build_workbook(tasks, today, org)
    audit.record(
        "tasks.export", actor=request.user, object_type="tasks.worktask", org_path=org.path,
        summary={"org": org.code, "tasks": tasks.count()}, ip_address=client_ip(request),
    )  # fmt: skip
    response = FileResponse(
        content, as_attachment=True, filename=f"{org.code}-任务台账-{today:%Y%m%d}.xlsx"
    )
    return private(response)
