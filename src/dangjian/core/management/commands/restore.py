import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.core.backup import BackupError
from dangjian.core.pgtools import ToolError
from dangjian.core.restore import restore


class Command(BaseCommand):
    help = "从 dangjian backup 的备份文件夹恢复数据库与上传文件（先校验，再恢复，再校验审计日志）"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="备份文件夹（dangjian-backup-…）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖已有数据的数据库")

    def handle(self, folder, yes, **options):
        try:
            restored = restore(Path(folder), overwrite=yes)
        except (BackupError, ToolError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        migrated = "，已迁移到当前版本" if restored.migrated else ""
        taken = timezone.localtime(dt.datetime.fromisoformat(restored.created_at))
        done = (
            f"已恢复 {taken:%Y-%m-%d %H:%M} 的备份（{restored.vendor} 数据库，"
            f"{restored.media_files} 个上传文件{migrated}）"
        )
        if not restored.ok:
            reason = restored.chain_problem or restored.chain.reason
            raise CommandError(f"{done}，但审计日志校验失败：{reason}")
        self.stdout.write(f"{done}；审计日志完整，共 {restored.chain.checked} 条。")
