from django.core.management.base import BaseCommand, CommandError

from dangjian.orgs.cli import get_org
from dangjian.roster.services import export_roster


class Command(BaseCommand):
    help = "导出某组织及其下级的名册工作簿（含完整身份证号和手机号，导出行为记入审计日志）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")
        parser.add_argument("--reason", default="命令行导出", help="导出原因（记入审计日志）")

    def handle(self, org, output, reason, **options):
        organization = get_org(org)
        try:
            count = export_roster(organization, output, reason=reason)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {output}：{exc.strerror or exc}") from exc
        self.stdout.write(f"已导出 {organization.code} 名册：{count} 人 → {output}")
