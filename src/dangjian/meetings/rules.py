"""Organisational life rules of RULES.md §2 (支部工作条例 2018) as pure functions: how
often each kind of meeting is required, the periods a year divides into, the theme day's
date in a month, quorum, and the study-hours target.

The frequencies are defaults; a deployment may override them in settings
(`DANGJIAN_MEETING_FREQUENCIES`, same shape as `DEFAULT_FREQUENCIES`).
"""

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支部委员会会议")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE_MEETING = "life_meeting", _("组织生活会")
    APPRAISAL = "appraisal", _("民主评议党员")
    HEART_TALK = "heart_talk", _("谈心谈话")


class Unit(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


@dataclass(frozen=True)
class Frequency:
    unit: str
    at_least: int = 1


K = MeetingKind
DEFAULT_FREQUENCIES: dict[str, Frequency] = {
    K.GENERAL_ASSEMBLY: Frequency(Unit.QUARTER),
    K.COMMITTEE_MEETING: Frequency(Unit.MONTH),  # only branches with a committee
    K.GROUP_MEETING: Frequency(Unit.MONTH),  # each Party group
    K.PARTY_LECTURE: Frequency(Unit.QUARTER),  # practice, configurable (RULES.md §2)
    K.THEME_DAY: Frequency(Unit.MONTH),  # on the branch's fixed day
    K.LIFE_MEETING: Frequency(Unit.YEAR),
    K.APPRAISAL: Frequency(Unit.YEAR),
    K.HEART_TALK: Frequency(Unit.YEAR),
}
# The short names branches write in topics (“12月支委会”), besides the kinds' labels.
KIND_SHORT_NAMES = {
    K.GENERAL_ASSEMBLY: ("党员大会",),
    K.COMMITTEE_MEETING: ("支委会",),
    K.LIFE_MEETING: ("生活会",),
    K.APPRAISAL: ("民主评议",),
    K.HEART_TALK: ("谈心",),
}


def summary_for(kind: str, topic: str) -> str:
    """“主题党日：重温入党誓词”, or the topic alone when it already names the kind (a
    topic like “3月主题党日：…” or “12月支委会：…” is not prefixed a second time)."""
    label = str(MeetingKind(kind).label)
    if any(name in topic for name in (label, *KIND_SHORT_NAMES.get(kind, ()))):
        return topic
    return f"{label}：{topic}"


SECRETARY_LECTURES_PER_YEAR = 1  # practice, configurable
STUDY_HOURS_PER_YEAR = 32  # 党员教育管理工作条例 2019 第二十条
ABSENCE_MONTHS = 6  # 党章 第三十八条: 6 consecutive months without proper reason
DEFAULT_THEME_DAY = 15
# QR check-in opens this many minutes before the meeting starts (a setting:
# DANGJIAN_CHECK_IN_OPENS_MINUTES) and closes when it ends.
CHECK_IN_OPENS_MINUTES = 30
# Kinds whose resolutions need a quorum of more than half of the voting members.
QUORUM_KINDS = (K.GENERAL_ASSEMBLY, K.COMMITTEE_MEETING)


def frequencies(overrides: dict | None = None) -> dict[str, Frequency]:
    merged = dict(DEFAULT_FREQUENCIES)
    for kind, value in (overrides or {}).items():
        merged[kind] = value if isinstance(value, Frequency) else Frequency(*value)
    return merged


# ---- periods -------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.end.month == 12:
            return f"{self.start.year}年"
        if self.start.month == self.end.month:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"


def period_of(day: dt.date, unit: str) -> Period:
    if unit == Unit.MONTH:
        first_month = last_month = day.month
    elif unit == Unit.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    last_day = monthrange(day.year, last_month)[1]
    return Period(dt.date(day.year, first_month, 1), dt.date(day.year, last_month, last_day))


def periods_between(start: dt.date, end: dt.date, unit: str) -> list[Period]:
    """The whole periods of `unit` that overlap [start, end], in order."""
    periods = []
    current = period_of(start, unit)
    while current.start <= end:
        periods.append(current)
        current = period_of(current.end + dt.timedelta(days=1), unit)
    return periods


def completed_periods(start: dt.date, end: dt.date, unit: str) -> list[Period]:
    """Periods inside [start, end] that have ended by `end` (a quarter still running is
    not yet missed)."""
    return [p for p in periods_between(start, end, unit) if p.end <= end and p.start >= start]


def theme_day_on(year: int, month: int, day_of_month: int = DEFAULT_THEME_DAY) -> dt.date:
    """The branch's fixed theme day in a month; the 31st falls back to the month's end."""
    return dt.date(year, month, min(day_of_month, monthrange(year, month)[1]))


# ---- quorum --------------------------------------------------------------------------
def has_quorum(expected_voters: int, present_voters: int) -> bool:
    """More than half of the members with a vote are present (exactly half is not)."""
    return expected_voters > 0 and present_voters * 2 > expected_voters


@dataclass(frozen=True)
class Tally:
    """The vote on a resolution (决议): yes, no, abstain."""

    yes: int
    no: int
    abstain: int


def resolution_problems(
    expected_voters: int, present_voters: int, tally: Tally | None
) -> list[str]:
    """What keeps an assembly's or committee's resolution from passing (RULES.md §2): the
    quorum, a tally that fits the members present, and yes votes exceeding half of the
    voting members who should attend (应到)."""
    if not has_quorum(expected_voters, present_voters):
        return [quorum_message(expected_voters, present_voters)]
    if tally is None:
        return ["决议须登记表决情况（赞成、反对、弃权票数）"]
    if min(tally.yes, tally.no, tally.abstain) < 0:
        return ["票数不能为负数"]
    cast = tally.yes + tally.no + tally.abstain
    if cast > present_voters:
        return [f"赞成、反对、弃权共 {cast} 票，多于实到的有表决权党员 {present_voters} 人"]
    if tally.yes * 2 <= expected_voters:
        return [
            "不符合《中国共产党支部工作条例（试行）》：决议须经应到会有表决权党员的半数以上同意"
            f"（应到 {expected_voters}，实到 {present_voters}，赞成 {tally.yes}）"
        ]
    return []


def quorum_message(expected_voters: int, present_voters: int) -> str:
    need = expected_voters // 2 + 1
    return (
        f"不符合《中国共产党支部工作条例（试行）》：须有半数以上有表决权的党员到会"
        f"（应到 {expected_voters}，实到 {present_voters}，至少需 {need} 人）"
    )


# ---- class hours from meetings attended -------------------------------------------------
# Kinds whose attendance credits class hours unless a hospital chooses otherwise: a Party
# lecture and a theme day are study by nature (2019 条例 第十九条 lists them among the
# forms of education); an assembly used for study is the office's choice.
DEFAULT_CREDITED_KINDS = (K.PARTY_LECTURE, K.THEME_DAY)
# A meeting recorded without its times credits this many hours: a Party lecture or theme
# day usually takes a half-day session of about two hours, and crediting the usual
# length keeps a meeting entered without times from counting less than one entered
# with them (a hospital can set a fixed number per kind instead).
DEFAULT_MEETING_HOURS = Decimal("2.0")
MAX_CREDIT_HOURS = Decimal("24")
HALF = Decimal("0.5")


def meeting_length_hours(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> Decimal:
    """A meeting's length in hours, rounded to the nearest half hour (at least half an
    hour, at most a day); DEFAULT_MEETING_HOURS when either time is missing or the end
    is not after the start."""
    if not starts_at or not ends_at or ends_at <= starts_at:
        return DEFAULT_MEETING_HOURS
    hours = Decimal((ends_at - starts_at).total_seconds()) / 3600
    halves = (hours / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return min(MAX_CREDIT_HOURS, max(HALF, halves * HALF))


def credited_hours(
    credits: bool, fixed: Decimal | None, starts_at=None, ends_at=None
) -> Decimal | None:
    """The class hours attending a meeting credits: None when its kind does not credit,
    the fixed number when the hospital set one, else the meeting's length."""
    if not credits:
        return None
    return Decimal(fixed) if fixed else meeting_length_hours(starts_at, ends_at)


def credit_setting_problem(hours) -> str:
    """Why a kind's setting is refused, or ""."""
    if hours in (None, ""):
        return ""
    try:
        value = Decimal(str(hours))
    except ArithmeticError:
        return f"学时“{hours}”不是数字"
    if value <= 0 or value > MAX_CREDIT_HOURS:
        return "每次计入的学时须大于 0 且不超过 24"
    if value % HALF:
        return "学时须为 0.5 的整数倍"
    return ""


# ---- absence -------------------------------------------------------------------------
MISSED, ATTENDED, NOTHING = "missed", "attended", "nothing"


def absent_six_months(month_states: list[str]) -> bool:
    """Whether a member missed organisational life for 6 consecutive months. Each entry,
    in calendar order, is MISSED (expected at meetings that month, absent without leave
    at all of them), ATTENDED (present or on leave at one) or NOTHING (no meeting they
    were expected at). Six MISSED months count as consecutive when no ATTENDED month
    comes between them: a month without a meeting neither ends the run (the member did
    not take part then either) nor adds to it (there was nothing to miss)."""
    return absence_run_start(month_states) is not None


def absence_run_start(month_states: list[str]) -> int | None:
    """The index of the first month of the earliest run absent_six_months finds."""
    run, start = 0, None
    for i, state in enumerate(month_states):
        if state == ATTENDED:
            run, start = 0, None
        elif state == MISSED:
            start = i if start is None else start
            run += 1
            if run >= ABSENCE_MONTHS:
                return start
    return None
