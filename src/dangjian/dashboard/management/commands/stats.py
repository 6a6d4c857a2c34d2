import json

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.cli import parse_date, write_output
from dangjian.dashboard.export import build_city_workbook, summarised_by_hospital
from dangjian.dashboard.labels import format_stats
from dangjian.dashboard.stats import PeriodError, compute_stats
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    help = "统计某组织子树的党建数据（--json 输出与 API /stats 相同的对象）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument(
            "--xlsx", metavar="FILE", help="另存为 Excel 统计表（各医院一行及合计，供报送上级）"
        )

    def handle(self, org, date_from, date_to, **options):
        organization = get_org(org)
        if options["xlsx"]:
            self._write_xlsx(organization, date_from, date_to, options["xlsx"])
            return
        try:
            figures = compute_stats(
                organization, parse_date(date_from, "开始"), parse_date(date_to, "截止")
            )
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(_dumps(figures))
        else:
            self.stdout.write(format_stats(organization, figures))

    def _write_xlsx(self, organization, date_from, date_to, path: str) -> None:
        """The workbook, written next to `path` and renamed: nothing half written."""
        if not summarised_by_hospital(organization):
            raise CommandError("统计表按医院汇总：请指定指导委员会或医院党委的组织编码")
        try:
            content = build_city_workbook(
                organization, parse_date(date_from, "开始"), parse_date(date_to, "截止")
            )
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        write_output(path, content)
        self.stdout.write(f"已导出 {organization.code} 统计表 → {path}")


def _dumps(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)
