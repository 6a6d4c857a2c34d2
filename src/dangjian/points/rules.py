"""Points (积分制管理, seeds 000 and 003): which records earn or cost points, the
defaults a hospital starts from, and the pure rules: caps per period applied in date
order, so that the items of a member always add up to the total. No ORM here."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    MEETING_ATTENDED = "meeting_attended", _("参加组织生活")
    ABSENT_UNEXCUSED = "absent_unexcused", _("无故缺席组织生活")
    VOLUNTEER_HOUR = "volunteer_hour", _("志愿服务（每小时）")
    STUDY_HOUR = "study_hour", _("学习教育（每学时）")
    DUES_ON_TIME = "dues_on_time", _("按月交纳党费（每月）")
    DUES_ARREARS = "dues_arrears", _("欠交党费（每月）")
    DEVELOPMENT_ROLE = "development_role", _("担任培养联系人或入党介绍人（每个步骤）")
    HONOUR_NATIONAL = "honour_national", _("获国家级荣誉")
    HONOUR_PROVINCE = "honour_province", _("获省级荣誉")
    HONOUR_CITY = "honour_city", _("获市级荣誉")
    HONOUR_HOSPITAL = "honour_hospital", _("获医院级荣誉")


# The honour event of each honour level (honors.models.Level's values).
HONOUR_EVENTS = {
    "national": Event.HONOUR_NATIONAL,
    "province": Event.HONOUR_PROVINCE,
    "city": Event.HONOUR_CITY,
    "hospital": Event.HONOUR_HOSPITAL,
}


class CapPeriod(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


@dataclass(frozen=True)
class RuleSpec:
    event: str
    points: Decimal
    cap: Decimal | None = None  # the most (or, for deductions, the least) a period counts
    cap_period: str = CapPeriod.YEAR
    meeting_kind: str = ""  # MEETING_ATTENDED / ABSENT_UNEXCUSED: one kind, or every kind


# Where a hospital starts before it sets its own: attendance and service earn, absence
# without leave and arrears cost; caps keep one busy month from outweighing a year.
DEFAULT_RULES = (
    RuleSpec(Event.MEETING_ATTENDED, Decimal("2"), Decimal("10"), CapPeriod.MONTH),
    RuleSpec(Event.ABSENT_UNEXCUSED, Decimal("-3")),
    RuleSpec(Event.VOLUNTEER_HOUR, Decimal("1"), Decimal("20"), CapPeriod.QUARTER),
    RuleSpec(Event.STUDY_HOUR, Decimal("0.5"), Decimal("20"), CapPeriod.YEAR),
    RuleSpec(Event.DUES_ON_TIME, Decimal("1"), Decimal("12"), CapPeriod.YEAR),
    RuleSpec(Event.DUES_ARREARS, Decimal("-2")),
    RuleSpec(Event.DEVELOPMENT_ROLE, Decimal("2"), Decimal("10"), CapPeriod.YEAR),
    # An honour is rare and judged by others, so it weighs more than a month's routine,
    # doubling with each level up (a hospital's 3 is about a quarter of full attendance);
    # no cap: two honours in a year are two.
    RuleSpec(Event.HONOUR_NATIONAL, Decimal("20")),
    RuleSpec(Event.HONOUR_PROVINCE, Decimal("10")),
    RuleSpec(Event.HONOUR_CITY, Decimal("5")),
    RuleSpec(Event.HONOUR_HOSPITAL, Decimal("3")),
)


def period_key(day: dt.date, cap_period: str) -> tuple:
    if cap_period == CapPeriod.MONTH:
        return (day.year, day.month)
    if cap_period == CapPeriod.QUARTER:
        return (day.year, (day.month - 1) // 3 + 1)
    return (day.year,)


def apply_cap(amounts: list[Decimal], cap: Decimal | None) -> list[Decimal]:
    """The points each record of one period earns, in date order: each its full amount
    until the cap is reached, then what is left of it, then nothing. A deduction's cap
    bounds the period's loss the same way. Their sum is min(sum, cap)."""
    if cap is None:
        return list(amounts)
    earned, total = [], Decimal("0")
    for amount in amounts:
        room = cap - total
        take = (
            max(min(amount, room), Decimal("0"))
            if cap >= 0
            else min(max(amount, room), Decimal("0"))
        )
        earned.append(take)
        total += take
    return earned


def adjustment_problems(points: Decimal, reason: str) -> list[str]:
    problems = []
    if points == 0:
        problems.append("加减分不能为 0")
    if abs(points) > 100:
        problems.append("单次加减分不能超过 100 分")
    if not reason.strip():
        problems.append("请填写加减分的理由")
    return problems
