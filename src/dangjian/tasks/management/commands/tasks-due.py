"""`dangjian tasks-due --org CODE`: the open tasks of a subtree that are overdue or due
within the next days, as a table or JSON (the reminders' list, for the office)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.core.cli import parse_date
from dangjian.orgs.cli import get_org
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import due_soon_tasks, in_subtree, overdue_tasks
from dangjian.tasks.rules import DUE_SOON_DAYS

MAX_DAYS = 366


class Command(BaseCommand):
    help = "列出某组织子树内已逾期及今后若干天内到期、尚未销号的目标任务（--json 输出列表）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument(
            "--days", type=int, default=DUE_SOON_DAYS,
            help=f"今后天数（0–{MAX_DAYS}，默认 {DUE_SOON_DAYS}）",
        )  # fmt: skip
        parser.add_argument("--on", default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, org, days, on, **options):
        organization = get_org(org)
        if not 0 <= days <= MAX_DAYS:
            raise CommandError(f"天数须为 0 至 {MAX_DAYS} 之间的整数：{days}")
        today = parse_date(on, "计算") or timezone.localdate()
        tasks = WorkTask.objects.filter(in_subtree(organization.path)).prefetch_related("owners")
        rows = [_row(task, True) for task in overdue_tasks(tasks, today)]
        rows += [_row(task, False) for task in due_soon_tasks(tasks, today, days)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(organization, days, rows, today))


def _row(task: WorkTask, overdue: bool) -> dict:
    return {
        "id": task.pk,
        "year": task.area.target_list.year,
        "area": task.area.name,
        "number": task.number,
        "title": task.title,
        "org": task.responsible_org.code,
        "org_name": task.responsible_org.name,
        "owners": [p.name for p in task.owners.all()],
        "due_on": task.due_on.isoformat(),
        "percent": task.percent,
        "state": task.state,
        "overdue": overdue,
    }


def _table(organization, days: int, rows: list[dict], today) -> str:
    overdue = sum(row["overdue"] for row in rows)
    lines = [
        f"{organization.name}（{organization.code}）已逾期及今后 {days} 天内到期的目标任务"
        f"（{today.isoformat()}）：共 {len(rows)} 项，其中已逾期 {overdue} 项"
    ]
    if not rows:
        return "\n".join([*lines, "没有到期任务。"])
    lines.append("完成时限\t状态\t进度\t责任组织\t责任人\t任务")
    for row in rows:
        state = "已逾期" if row["overdue"] else "将到期"
        if row["state"] == "applied":
            state += "（已申请销号）"
        lines.append(
            "\t".join(
                (
                    row["due_on"],
                    state,
                    f"{row['percent']}%",
                    row["org_name"],
                    "、".join(row["owners"]) or "—",
                    row["title"],
                )
            )  # fmt: skip
        )
    return "\n".join(lines)
