from django.core.management.base import BaseCommand, CommandError

from dangjian.core.audit import write_checkpoint
from dangjian.core.audit_checkpoint import FILE_NAME, directory


class Command(BaseCommand):
    help = "立即写入一个审计日志签名检查点（每日任务也会写入），记录链头的序号与哈希"

    def handle(self, **options):
        try:
            checkpoint = write_checkpoint()
        except OSError as exc:
            raise CommandError(
                f"无法写入审计检查点 {directory() / FILE_NAME}：{exc.strerror}"
            ) from exc
        self.stdout.write(
            f"已写入审计检查点：第 {checkpoint.seq} 条，哈希 {checkpoint.hash[:16]}…，"
            f"文件 {directory() / FILE_NAME}"
        )
