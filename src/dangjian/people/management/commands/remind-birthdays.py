"""`dangjian remind-birthdays [--on YYYY-MM-DD]`: send the day's 政治生日 greetings now (the
job runner's `political_birthdays` by hand); each goes only once a year."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangjian.core.cli import parse_date
from dangjian.people.reminders import send_political_birthdays


class Command(BaseCommand):
    help = "发送政治生日祝福：入党日期周年当天祝福党员本人并告知所在支部书记（每年只发一次）"

    def add_arguments(self, parser):
        parser.add_argument("--on", default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on, **options):
        today = parse_date(on, "计算") or timezone.localdate()
        sent = send_political_birthdays(today)
        self.stdout.write(f"已发送政治生日消息 {sent} 条（{today.isoformat()}）。")
