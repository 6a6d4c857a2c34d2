"""Rules of 学习教育 as pure functions: what a course may hold (hours, video links), how a
question is written and scored, and when an exam may be taken. No ORM; table-tested.

The 32 class hours a year (RULES.md §2) are meetings.rules.STUDY_HOURS_PER_YEAR; the
hours themselves are counted in meetings.Study, whatever credited them."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_COURSE_HOURS = Decimal("24")
MAX_OPTIONS = 8
OPTION_LETTERS = "ABCDEFGH"
DEFAULT_PASS_MARK = 60
TRUE_FALSE_OPTIONS = ("正确", "错误")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "true_false", _("判断题")


class DrawMode(models.TextChoices):
    FIXED = "fixed", _("指定题目")
    RANDOM = "random", _("从课程题目中随机抽取")


def course_hours_problem(hours) -> str:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        return f"学时“{hours}”不是数字"
    if value <= 0 or value > MAX_COURSE_HOURS:
        return "课程学时须大于 0 且不超过 24"
    if value % Decimal("0.5"):
        return "课程学时须为 0.5 的整数倍"
    return ""


def video_link_problem(url: str) -> str:
    """Video links open in the member's browser: http and https only (never javascript:,
    data: or file:), with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"视频链接须以 http:// 或 https:// 开头：{url.strip()[:60]}"
    return ""


def question_options(kind: str, options: list[str]) -> list[str]:
    """The options as stored: a true/false question always has 正确 / 错误."""
    if kind == QuestionKind.TRUE_FALSE:
        return list(TRUE_FALSE_OPTIONS)
    return [o.strip() for o in options if o and o.strip()]


def question_problems(kind: str, text: str, options: list[str], answer: list[int]) -> list[str]:
    """What is wrong with a question as written (options already through
    question_options; answer = indexes of the correct options)."""
    problems = []
    if kind not in QuestionKind.values:
        return [f"未知的题型：{kind}"]
    if not text.strip():
        problems.append("请填写题目")
    if kind != QuestionKind.TRUE_FALSE and not 2 <= len(options) <= MAX_OPTIONS:
        problems.append(f"选择题须有 2 至 {MAX_OPTIONS} 个选项")
    if len(set(options)) != len(options):
        problems.append("选项不能重复")
    if any(i < 0 or i >= len(options) for i in answer):
        problems.append("正确答案须是题目中的选项")
    elif kind == QuestionKind.MULTIPLE and len(set(answer)) < 2:
        problems.append("多选题须有至少两个正确答案")
    elif kind != QuestionKind.MULTIPLE and len(set(answer)) != 1:
        problems.append("单选题和判断题须有且只有一个正确答案")
    return problems


def is_correct(answer: list[int], given: list[int]) -> bool:
    """All or nothing: the set of options chosen equals the set of correct ones (a
    multiple-choice question with one right option missing scores nothing)."""
    return bool(given) and set(given) == set(answer)


def score(correct: int, total: int) -> int:
    """Percentage of questions answered correctly, rounded half up (every question
    weighs the same)."""
    if total <= 0:
        return 0
    return (correct * 200 + total) // (total * 2)


def passed(score_: int, pass_mark: int) -> bool:
    return score_ >= pass_mark


def exam_problem(
    now: dt.datetime,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    attempts_made: int,
    max_attempts: int | None,
    already_passed: bool,
) -> str:
    """Why a member may not start an attempt now, or ""."""
    if already_passed:
        return "您已通过本次考试，无需再考"
    if opens_at and now < opens_at:
        return f"考试尚未开始：{opens_at:%Y-%m-%d %H:%M} 起可以参加"
    if closes_at and now > closes_at:
        return "考试已结束，不能再参加"
    if max_attempts and attempts_made >= max_attempts:
        return f"您已参加 {attempts_made} 次，达到本次考试的次数上限"
    return ""


def answers_shown(
    passed_: bool, attempts_made: int, max_attempts: int | None, closes_at, now
) -> bool:
    """The right answers and explanations are shown once they can no longer help a
    retry: after a pass, the last attempt allowed, or the end of the exam."""
    if passed_:
        return True
    if max_attempts and attempts_made >= max_attempts:
        return True
    return bool(closes_at and now > closes_at)


def exam_settings_problems(
    pass_mark: int,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    mode: str,
    fixed_count: int,
    draw_count: int | None,
    pool_size: int,
) -> list[str]:
    problems = []
    if not 0 < pass_mark <= 100:
        problems.append("及格分须在 1 至 100 之间")
    if opens_at and closes_at and closes_at <= opens_at:
        problems.append("考试结束时间须晚于开始时间")
    if mode == DrawMode.FIXED and fixed_count == 0:
        problems.append("请选择考试题目")
    if mode == DrawMode.RANDOM:
        if not draw_count or draw_count <= 0:
            problems.append("请填写随机抽取的题数")
        elif draw_count > pool_size:
            problems.append(f"课程题目只有 {pool_size} 道，不能抽取 {draw_count} 道")
    return problems
