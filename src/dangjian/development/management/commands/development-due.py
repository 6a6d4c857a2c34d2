import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.development.queries import due_within
from dangjian.development.steps import label
from dangjian.orgs.cli import get_org
from dangjian.people.models import Person

MAX_DAYS = 366


class Command(BaseCommand):
    help = "列出某组织子树内今后若干天内到期及已逾期的发展党员事项（--json 输出列表）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--days", type=int, default=30, help="今后天数（1–366，默认 30）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, org, days, **options):
        organization = get_org(org)
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"天数须为 1 至 {MAX_DAYS} 之间的整数：{days}")
        today = timezone.localdate()
        people = Person.objects.filter(organization__path__startswith=organization.path)
        rows = [
            {
                "org": entry.person.organization.code,
                "person": entry.person.name,
                "person_id": entry.person.pk,
                "step": entry.due.code,
                "label": str(label(entry.due.code)),
                "what": entry.due.what,
                "due_on": entry.due.due_on.isoformat(),
                "overdue": entry.due.overdue(today),
            }
            for entry in due_within(people, today, days)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(organization, days, rows, today))


def _table(organization, days: int, rows: list[dict], today) -> str:
    overdue = sum(row["overdue"] for row in rows)
    lines = [
        f"{organization.name}（{organization.code}）今后 {days} 天内到期及已逾期的发展党员事项"
        f"（{today.isoformat()}）：共 {len(rows)} 项，其中已逾期 {overdue} 项"
    ]
    if not rows:
        return "\n".join([*lines, "没有到期事项。"])
    lines.append("到期日期\t状态\t组织编码\t姓名\t事项\t步骤")
    for row in rows:
        state = "已逾期" if row["overdue"] else "待办"
        lines.append(
            "\t".join((row["due_on"], state, row["org"], row["person"], row["what"], row["label"]))
        )
    return "\n".join(lines)
