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
# Indicator sets per level, as data: (key, label, weight), the weights of a level summing to
# 100. The branch set keeps the first six indicators' proportions of the first version
# (30:20:10:15:15:10 scaled by 0.6), so scores of quarters without the annual indicators
# read as before.
BRANCH = "branch"
SECRETARY = "secretary"
HOSPITAL = "hospital"
LEVELS = ((BRANCH, "党支部"), (SECRETARY, "支部书记"), (HOSPITAL, "医院"))
LEVEL_NAMES = dict(LEVELS)

INDICATOR_SETS = {
    BRANCH: (
        ("meetings", "组织生活按期开展率", 18),
        ("dues", "党费按月交纳率", 12),
        ("arrears", "无欠交党费党员占比", 6),
        ("tasks", "目标任务无逾期", 9),
        ("study", "人均学时完成率", 9),
        ("service", "开展志愿服务", 6),
        ("attendance", "组织生活出席率", 10),
        ("development", "发展党员按期推进率", 10),
        ("points", "党员积分（人均，以最高支部为满分）", 10),
        ("appraisal", "民主评议党员完成率", 10),
    ),
    # 述职评议 and the branch's own score weigh most: the secretary answers for the branch.
    SECRETARY: (
        ("branch", "所在支部考核得分", 50),
        ("review", "抓党建述职评议", 30),
        ("study", "本人学时完成率", 10),
        ("points", "本人积分（以最高者为满分）", 10),
    ),
    # Points are left out: each hospital sets its own scheme (RULES.md §6), so totals of
    # different hospitals do not compare.
    HOSPITAL: (
        ("meetings", "组织生活按期开展率", 20),
        ("attendance", "组织生活出席率", 10),
        ("dues", "党费按月交纳率", 15),
        ("arrears", "无欠交党费党员占比", 5),
        ("development", "发展党员按期推进率", 10),
        ("tasks", "目标任务按期完成率", 10),
        ("study", "人均学时完成率", 10),
        ("service", "开展志愿服务支部占比", 10),
        ("appraisal", "民主评议党员完成率", 10),
    ),
}
INDICATORS = INDICATOR_SETS[BRANCH]  # the branch set (the bulletin and city view read it)
# Indicators only an annual period has: the 民主评议党员 and the 述职评议 are once a year,
# points are counted per year (RULES.md §2 and §6).
ANNUAL_ONLY = {"appraisal", "review", "points"}

# Honours won in the period add points on top (加分项), by the honour's level, up to a cap,
# so a branch without honours loses nothing and no score passes 100.
HONOUR_BONUS = {"national": 5.0, "province": 3.0, "city": 2.0, "hospital": 1.0}
HONOUR_BONUS_CAP = 5.0

GREEN_FROM, YELLOW_FROM = 85, 60
STUDY_HOURS_PER_YEAR = 32  # 党员教育管理工作条例 第二十条 (meetings.rules keeps the same)


def is_annual(period: Period) -> bool:
    return "-" not in period.code


def score(values: dict[str, float | None], level: str = BRANCH, bonus: float = 0.0) -> float | None:
    """0–100: the weighted mean of the indicators that have data (None: nothing to judge,
    e.g. no dues bills in the period), so a missing register neither helps nor hurts; plus
    the honours' bonus, at most 100."""
    judged = [(w, values[k]) for k, _l, w in INDICATOR_SETS[level] if values.get(k) is not None]
    total = sum(w for w, _v in judged)
    if not total:
        return None
    return round(min(100.0, 100 * sum(w * v for w, v in judged) / total + bonus), 1)


def honour_bonus(levels: list[str]) -> float:
    """The bonus of the honours won (their levels), at most HONOUR_BONUS_CAP."""
    return min(HONOUR_BONUS_CAP, sum(HONOUR_BONUS.get(level, 0.0) for level in levels))


def colour(points: float | None) -> str:
    if points is None:
        return "grey"
    return "green" if points >= GREEN_FROM else "yellow" if points >= YELLOW_FROM else "red"


def study_target(months: int, members: int) -> float:
    """Class hours a branch's members owe over `months` months (32 a year each)."""
    return STUDY_HOURS_PER_YEAR * months / 12 * members


def months_of(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def relative(value: float | None, best: float | None) -> float | None:
    """A figure with no absolute scale (points) read against the best of those compared."""
    if value is None or not best or best <= 0:
        return None
    return max(0.0, min(1.0, value / best))


def ranked(entries: list, key=lambda e: e.sort_key) -> list:
    """Highest score first, those without a score last without a rank; ties share none
    (the order among them is the organisation's place in the tree)."""
    entries = sorted(entries, key=lambda e: (e.score is None, -(e.score or 0), key(e)))
    for position, entry in enumerate(entries, 1):
        entry.rank = position if entry.score is not None else None
    return entries


# ---- reviewers' judgements -----------------------------------------------------------------
# 民主评议党员: four grades; 基本合格 and 不合格 need the reason (the branch reports them
# to the Party committee and follows them up).
APPRAISAL_GRADES = (
    ("excellent", "优秀"),
    ("qualified", "合格"),
    ("basic", "基本合格"),
    ("unqualified", "不合格"),
)
NEEDS_REASON = {"basic", "unqualified"}
# 述职评议: the grade each reviewer gives and what it counts for; the result is the mean.
REVIEW_GRADES = (
    ("good", "好", 100),
    ("fair", "较好", 80),
    ("average", "一般", 60),
    ("poor", "差", 40),
)
REVIEW_POINTS = {key: points for key, _label, points in REVIEW_GRADES}


def appraisal_problems(name: str, grade: str, reason: str) -> list[str]:
    """What is wrong with one member's appraisal entry (Chinese), for the bulk form."""
    labels = dict(APPRAISAL_GRADES)
    if grade not in labels:
        return [f"{name}：评议等次无效"]
    if grade in NEEDS_REASON and not reason.strip():
        return [f"{name}：评为{labels[grade]}须填写理由"]
    if len(reason) > 200:
        return [f"{name}：理由不超过 200 字"]
    return []


def review_result(grades: list[str]) -> float | None:
    """The mean of the reviewers' grades on 0–100; None without any."""
    if not grades:
        return None
    return round(sum(REVIEW_POINTS[g] for g in grades) / len(grades), 1)


def excellent_share(counts: dict[str, int]) -> float | None:
    total = sum(counts.values())
    return counts.get("excellent", 0) / total if total else None
