from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from dangjian.core.backup import BackupError, back_up
from dangjian.core.pgtools import ToolError


class Command(BaseCommand):
    help = "备份数据库与上传文件（含校验清单；不含密钥，密钥另行保管，见 docs/backup.md）"

    def add_arguments(self, parser):
        parser.add_argument("--to", dest="parent", help="备份存放目录（默认 DANGJIAN_BACKUP_DIR）")
        parser.add_argument("--keep", type=int, help="只保留该目录中最新的 N 份备份")

    def handle(self, parent, keep, **options):
        try:
            backup = back_up(Path(parent) if parent else None, keep=keep)
        except (BackupError, ToolError) as exc:
            raise CommandError(f"备份失败：{exc}") from exc
        self.stdout.write(
            f"备份完成：{backup.folder}（{backup.files} 个文件，{filesizeformat(backup.size)}）"
        )
        if backup.pruned:
            self.stdout.write(f"已删除较早的备份 {len(backup.pruned)} 份（保留最新 {keep} 份）")
