from django.core.management.base import BaseCommand, CommandError

from dangjian.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志：哈希链（密钥哈希、序号连续、链头）与签名检查点"

    def handle(self, **options):
        report = verify_chain()
        if not report.ok:
            where = (
                f"（第 {report.broken_at} 条）" if report.broken_at and report.broken_at > 0 else ""
            )
            raise CommandError(f"审计日志校验失败{where}：{report.reason}")
        self.stdout.write(
            f"审计日志完整：共 {report.checked} 条，哈希链无断裂，"
            f"{report.checkpoints} 个签名检查点均相符。"
        )
