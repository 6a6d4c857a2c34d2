"""The task ledger as an Excel workbook: sheet 任务清单 (one row per task) and sheet
推进台账 (one row per ledger entry). The caller scopes `tasks`. Three queries."""

import datetime as dt
import io

from openpyxl import Workbook

from dangjian.core.sheets import finish, saved

from .models import TaskProgress, TaskState
from .queries import with_list
from .rules import is_overdue

TASK_HEADER = [
    "年度", "方面", "编号", "任务", "责任组织", "责任人", "开始日期", "完成时限", "权重",
    "完成进度(%)", "状态", "销号日期", "是否逾期", "预期成果",
]  # fmt: skip
LEDGER_HEADER = ["任务", "日期", "推进情况", "完成进度(%)", "登记人"]


def build_workbook(tasks, today: dt.date) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "任务清单"
    sheet.append(TASK_HEADER)
    rows = (
        with_list(tasks)
        .prefetch_related("owners")
        .order_by("-area__target_list__year", "area__order", "number", "pk")
    )
    for task in rows:
        sheet.append(
            [
                task.area.target_list.year, task.area.name, task.number, task.title,
                task.responsible_org.name, "、".join(p.name for p in task.owners.all()),
                task.starts_on, task.due_on, float(task.weight), task.percent,
                str(TaskState(task.state).label), task.closed_on,
                "是" if is_overdue(task.due_on, task.closed_on, today) else "否",
                task.expected_result,
            ]
        )  # fmt: skip
    ledger = book.create_sheet("推进台账")
    ledger.append(LEDGER_HEADER)
    entries = TaskProgress.objects.filter(task__in=tasks.values("pk")).select_related(
        "task", "recorded_by"
    )
    for entry in entries.order_by("task__pk", "recorded_on", "pk"):
        who = entry.recorded_by.get_username() if entry.recorded_by else ""
        ledger.append([entry.task.title, entry.recorded_on, entry.text, entry.percent, who])
    finish(sheet, ledger)
    return saved(book)
