"""`dangjian remind-dues [--month] [--arrears] [--on YYYY-MM-DD]`: send the dues reminders
now (the job runner's `month_reminders` and `arrears_reminders` by hand; both without an
option); each reminder still goes only once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangjian.core.cli import parse_date
from dangjian.dues.reminders import send_arrears_reminders, send_month_reminders


class Command(BaseCommand):
    help = "发送党费提醒：本月党费未交（每月 10 日起）和欠交 3、6 个月的提醒（每项只发一次）"

    def add_arguments(self, parser):
        parser.add_argument("--month", action="store_true", help="只发本月党费交纳提醒")
        parser.add_argument("--arrears", action="store_true", help="只发欠交党费提醒")
        parser.add_argument("--on", default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, month, arrears, on, **options):
        today = parse_date(on, "计算") or timezone.localdate()
        both = not (month or arrears)
        if month or both:
            sent = send_month_reminders(today)
            self.stdout.write(f"已发送本月党费交纳提醒 {sent} 条（{today.isoformat()}）。")
        if arrears or both:
            sent = send_arrears_reminders(today)
            self.stdout.write(f"已发送欠交党费提醒 {sent} 条（{today.isoformat()}）。")
