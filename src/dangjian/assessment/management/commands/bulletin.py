from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.assessment.rules import PeriodError, ended_by, parse_period
from dangjian.assessment.services import build_for, bulletin_document
from dangjian.core.cli import write_output
from dangjian.orgs.cli import get_org


class Command(BaseCommand):
    """`dangjian bulletin --org CODE --period P -o FILE.docx` (SPEC.md §4b): reads only;
    the file is written whole or not at all. Above the hospitals (a guidance committee)
    the city version, comparing the hospitals."""

    help = "生成某组织子树某期间的党政管理通报（--period 2024-Q1、2024-H1 或 2024，-o 文件.docx）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--period", required=True, help="期间：2024-Q1、2024-H1 或 2024")
        parser.add_argument("-o", "--output", required=True, help="输出的 .docx 文件")

    def handle(self, org, period, output, **options):
        if not output.lower().endswith(".docx"):
            raise CommandError(f"输出文件应为 .docx：{output}")
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        organization = get_org(org)
        today = timezone.localdate()
        if not ended_by(chosen, today):
            raise CommandError(f"{chosen.label}尚未结束，不能生成通报")
        bulletin = build_for(organization, chosen)
        write_output(output, bulletin_document(bulletin, today))
        unit = "家医院" if getattr(bulletin, "is_city", False) else "个党支部"
        lagging = "家医院" if getattr(bulletin, "is_city", False) else "个党组织"
        self.stdout.write(
            f"已生成{bulletin.title}：表扬 {len(bulletin.praised)} {unit}，"
            f"通报 {len(bulletin.laggards)} {lagging} → {output}"
        )
