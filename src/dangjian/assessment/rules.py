"""Bulletin periods (SPEC.md §4b): `2024-Q1`, `2024-H1` or `2024`. Pure functions."""

import datetime as dt
import re
from dataclasses import dataclass

PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]))?$")
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
HALF_NAMES = {1: "上半年", 2: "下半年"}


class PeriodError(ValueError):
    """A period that cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date
    label: str  # 2024年第一季度

    @property
    def checked_on(self) -> dt.date:
        """The day whose `dangjian check` judges the period: the day after its end, when
        every period ended within it counts (`check --on`: a period ending on the day
        itself is still running)."""
        return self.end + dt.timedelta(days=1)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    match = PERIOD.match((text or "").strip().upper())
    if not match or not 2000 <= int(match.group(1)) <= 2099:
        raise PeriodError(f"通报期间格式应为 2024-Q1、2024-H1 或 2024：{text}")
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度")
    number = int(part[1])
    if part[0] == "Q":
        first, last, name = 3 * number - 2, 3 * number, QUARTER_NAMES[number]
    else:
        first, last, name = 6 * number - 5, 6 * number, HALF_NAMES[number]
    code = f"{year}-{part}"
    return Period(code, dt.date(year, first, 1), _month_end(year, last), f"{year}年{name}")


def ended_by(period: Period, today: dt.date) -> bool:
    """A bulletin judges a period that is over (its check day has come)."""
    return period.checked_on <= today


def last_full_quarter(today: dt.date) -> Period:
    quarter = (today.month - 1) // 3  # the current quarter's number minus one
    year = today.year if quarter else today.year - 1
    return parse_period(f"{year}-Q{quarter or 4}")


def recent_periods(today: dt.date) -> list[Period]:
    """The periods a page offers, newest first: the last eight quarters, the last two
    half-years and the last two years that are over."""
    found = []
    for year in range(today.year, today.year - 3, -1):
        codes = [f"{year}-Q{q}" for q in (4, 3, 2, 1)] + [f"{year}-H2", f"{year}-H1", str(year)]
        found += [p for p in map(parse_period, codes) if ended_by(p, today)]
    quarters = [p for p in found if "Q" in p.code][:8]
    halves = [p for p in found if "H" in p.code][:2]
    years = [p for p in found if "-" not in p.code][:2]
    return sorted(quarters + halves + years, key=lambda p: (p.end, p.start), reverse=True)


# ---- assessment scores ------------------------------------------------------------------
# (key, label, weight): the branch indicators of a period, weights summing to 100.
INDICATORS = (
    ("meetings", "组织生活按期开展率", 30),
    ("dues", "党费按月交纳率", 20),
    ("arrears", "无欠交党费党员占比", 10),
    ("tasks", "目标任务无逾期", 15),
    ("study", "人均学时完成率", 15),
    ("service", "开展志愿服务", 10),
)
GREEN_FROM, YELLOW_FROM = 85, 60
STUDY_HOURS_PER_YEAR = 32  # 党员教育管理工作条例 第二十条 (meetings.rules keeps the same)


def score(values: dict[str, float | None]) -> float | None:
    """0–100: the weighted mean of the indicators that have data (None: nothing to judge,
    e.g. no dues bills in the period), so a missing register neither helps nor hurts."""
    judged = [(w, values[k]) for k, _label, w in INDICATORS if values.get(k) is not None]
    total = sum(w for w, _v in judged)
    return round(100 * sum(w * v for w, v in judged) / total, 1) if total else None


def colour(points: float | None) -> str:
    if points is None:
        return "grey"
    return "green" if points >= GREEN_FROM else "yellow" if points >= YELLOW_FROM else "red"


def study_target(months: int, members: int) -> float:
    """Class hours a branch's members owe over `months` months (32 a year each)."""
    return STUDY_HOURS_PER_YEAR * months / 12 * members
