from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.orgs.cli import get_org
from dangjian.roster.services import import_roster


class Command(BaseCommand):
    help = (
        "导入名册工作簿（党组织、人员两张工作表，可另含委员工作表）；"
        "有任何错误时整体拒绝，不写入数据"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx、.xls、.ods；或一张表的 .csv）")
        parser.add_argument(
            "--org", help="导入到该组织之下（组织编码）；省略时上级为空的组织为顶级组织"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入")

    def handle(self, file, org, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        target = get_org(org) if org else None
        report = import_roster(path, org=target, dry_run=dry_run)
        for line in report.notices:
            self.stdout.write(f"读取说明：{line}")
        if not report.ok:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
        for line in report.warnings:
            self.stdout.write(f"提示：{line}")
