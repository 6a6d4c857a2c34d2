"""`dangjian remind-meetings [--at "YYYY-MM-DD HH:MM"]`: send the meeting reminders now (the
job runner's `meeting_reminders` by hand); each reminder still goes only once."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.meetings.reminders import send_meeting_reminders


class Command(BaseCommand):
    help = (
        "发送会议提醒：明天的会议（前一天提醒）和今天尚未开始的会议（当天提醒），每人每次只发一次"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", default=None, help="按哪一时刻计算（YYYY-MM-DD HH:MM，默认现在）"
        )

    def handle(self, *args, at, **options):
        now = timezone.now()
        if at:
            try:
                now = timezone.make_aware(dt.datetime.fromisoformat(at))
            except ValueError as exc:
                raise CommandError(f"时刻格式应为 YYYY-MM-DD HH:MM：{at}") from exc
        sent = send_meeting_reminders(now)
        self.stdout.write(f"已发送会议提醒 {sent} 条（{timezone.localtime(now):%Y-%m-%d %H:%M}）。")
