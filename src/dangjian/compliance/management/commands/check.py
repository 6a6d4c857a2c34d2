import json

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand
from django.utils import timezone

from dangjian.compliance.findings import findings
from dangjian.core.cli import parse_date
from dangjian.orgs.cli import get_org

SEVERITY_LABELS = {"red": "严重", "yellow": "提醒"}


class Command(SystemCheckCommand):
    """`dangjian check --org CODE [--on DATE] [--json]`: the findings as they stand on
    DATE (default today), every period ended by then counted; reads only. The name
    shadows Django's system check, so without --org this runs that check unchanged
    (deployments and CI still use it)."""

    help = (
        "检查某组织子树的组织建设与组织生活合规情况（--org 组织编码，--json 输出问题列表）；"
        "不带 --org 时执行 Django 系统检查"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--org", help="组织编码")
        parser.add_argument("--on", help="检查日期 YYYY-MM-DD（默认今天；只读，不改动数据）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *app_labels, org=None, on=None, **options):
        if org is None:
            if on is not None:
                raise CommandError("--on 须与 --org 一起使用")
            return super().handle(*app_labels, **options)
        organization = get_org(org)
        today = parse_date(on, "检查") or timezone.localdate()
        rows = findings(organization, today)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(organization, rows, today))


def _table(organization, rows: list[dict], today) -> str:
    red = sum(row["severity"] == "red" for row in rows)
    lines = [
        f"{organization.name}（{organization.code}）合规检查（{today.isoformat()}）："
        f"共 {len(rows)} 项问题，其中严重 {red} 项"
    ]
    if not rows:
        return "\n".join([*lines, "没有发现问题。"])
    lines.append("程度\t组织编码\t类别\t说明")
    for row in rows:
        lines.append(
            "\t".join((SEVERITY_LABELS[row["severity"]], row["org"], row["kind"], row["message"]))
        )
    return "\n".join(lines)
