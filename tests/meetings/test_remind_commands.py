"""The reminder commands run the jobs by hand: meetings, 政治生日 and dues."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from dangjian.core.models import Notice
from dangjian.meetings.reminders import DAY_BEFORE
from tests.meetings.test_reminders import MEETING_DAY, member_with_account, plan

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_remind_meetings_by_hand_once(world):
    _, user = member_with_account(world.ha_b1, "甲")
    plan(world.ha_b1)
    output = run("remind-meetings", "--at", "2026-12-04 18:00")
    assert "已发送会议提醒 1 条" in output
    assert Notice.objects.get(recipient=user).kind == DAY_BEFORE
    assert "已发送会议提醒 0 条" in run("remind-meetings", "--at", "2026-12-04 19:00")
    assert MEETING_DAY == dt.date(2026, 12, 5)


def test_remind_meetings_bad_time_is_refused(world):
    with pytest.raises(CommandError, match="时刻格式"):
        run("remind-meetings", "--at", "明天")


def test_remind_birthdays_and_dues_commands(world):
    assert "已发送政治生日消息 0 条（2026-07-01）" in run("remind-birthdays", "--on", "2026-07-01")
    output = run("remind-dues", "--on", "2024-05-10")
    assert "本月党费交纳提醒 0 条" in output and "欠交党费提醒 0 条" in output
    assert "欠交" not in run("remind-dues", "--month", "--on", "2024-05-10")
    with pytest.raises(CommandError, match="日期格式"):
        run("remind-dues", "--on", "5月10日")
