from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.dues.bases_import import import_bases


class Command(BaseCommand):
    help = (
        "导入人事（工资）部门的党费基数表（工作表“党费基数”：身份证号、姓名，以及“基数”或各工资项目），"
        "核定每名党员当年的交纳基数；有错误时逐格列出，不写入任何数据"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Excel 工作簿（.xlsx、.xls、.ods）或 .csv")
        parser.add_argument("--year", type=int, required=True, help="核定年度，如 2025")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, file, year, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        report = import_bases(path, year=year, dry_run=dry_run)
        for line in report.notices:
            self.stdout.write(f"读取说明：{line}")
        if not report.ok:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(f"党费基数表有 {len(report.errors)} 处错误，未写入任何数据")
        verb = "检查通过（未写入）" if dry_run else "已核定"
        self.stdout.write(f"{verb}：{year} 年度党费基数 {len(report.lines)} 名党员")
