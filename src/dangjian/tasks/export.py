"""The task ledger as an Excel workbook: sheet 任务清单 (one row per task) and sheet
推进台账 (one row per ledger entry), in the shared layout (core.sheets). The caller
scopes `tasks`; `org` is the subtree exported. Above the hospitals (a guidance
committee's ledger) each task names its hospital. Four queries."""

import datetime as dt
import io

from openpyxl import Workbook

from dangjian.core.sheets import DATE, NUMBER, Column, Heading, Table, saved
from dangjian.orgs.queries import hospital_names, hospital_of

from .models import TaskProgress, TaskState
from .queries import with_list
from .rules import is_overdue

TASK_HEADER = [
    "年度", "方面", "编号", "任务", "责任组织", "责任人", "开始日期", "完成时限", "权重",
    "完成进度(%)", "状态", "销号日期", "是否逾期", "预期成果",
]  # fmt: skip
LEDGER_HEADER = ["任务", "日期", "推进情况", "完成进度(%)", "登记人"]
HOSPITAL = "所属医院"
_KINDS = {"开始日期": DATE, "完成时限": DATE, "销号日期": DATE, "权重": NUMBER}


def build_workbook(tasks, today: dt.date, org) -> io.BytesIO:
    names = hospital_names(org)
    book = Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    header = TASK_HEADER + ([HOSPITAL] if names is not None else [])
    table = Table(
        sheet,
        [Column(h, _KINDS.get(h, "text")) for h in header],
        Heading("目标任务清单", org.name, today),
    )
    rows = (
        with_list(tasks)
        .select_related("responsible_org")
        .prefetch_related("owners")
        .order_by("-area__target_list__year", "area__order", "number", "pk")
    )
    for task in rows:
        values = [
            task.area.target_list.year, task.area.name, task.number, task.title,
            task.responsible_org.name, "、".join(p.name for p in task.owners.all()),
            task.starts_on, task.due_on, float(task.weight), task.percent,
            str(TaskState(task.state).label), task.closed_on,
            "是" if is_overdue(task.due_on, task.closed_on, today) else "否",
            task.expected_result,
        ]  # fmt: skip
        if names is not None:
            values.append(hospital_of(names, task.responsible_org.path))
        table.row(values)
    table.finish()
    ledger = Table(
        book.create_sheet("推进台账"),
        [Column(h, DATE if h == "日期" else "text") for h in LEDGER_HEADER],
        Heading("任务推进台账", org.name, today),
    )
    entries = TaskProgress.objects.filter(task__in=tasks.values("pk")).select_related(
        "task", "recorded_by"
    )
    for entry in entries.order_by("task__pk", "recorded_on", "pk"):
        who = entry.recorded_by.get_username() if entry.recorded_by else ""
        ledger.row([entry.task.title, entry.recorded_on, entry.text, entry.percent, who])
    ledger.finish()
    return saved(book)
