"""`dangjian dues-bills --month 2024-05 [--org CODE]`: generate the month's bills
(idempotent; the monthly huey job does the same on the 1st)."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.cli import parse_date
from dangjian.dues.services import generate_bills
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    help = "生成某月党费账单（重复执行不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="月份，如 2024-05")
        parser.add_argument("--org", help="组织编码（默认全部）")

    def handle(self, month, org, **options):
        day = parse_date(f"{month}-01" if len(month) == 7 else month, "--month")
        path = get_org(org).path if org else ""
        created, missing = generate_bills(day, path)
        self.stdout.write(f"{day:%Y年%m月}：新生成账单 {created} 张；未核定基数 {len(missing)} 人")
        if missing:
            raise CommandError(f"有 {len(missing)} 名党员未核定党费基数，其账单待核定后生成")
