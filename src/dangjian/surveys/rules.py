"""The rules of surveys and votes, as pure functions: what a survey, a question and an
answer must be, when a survey takes answers, and who sees its results."""

import datetime as dt
from collections.abc import Sequence

DRAFT, SCHEDULED, OPEN, CLOSED = "draft", "scheduled", "open", "closed"
STATE_LABELS = {DRAFT: "草稿", SCHEDULED: "未开始", OPEN: "进行中", CLOSED: "已截止"}
MIN_OPTIONS = 2
MAX_OPTIONS = 30


def state(published: bool, opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime) -> str:
    """Draft until published; then not yet open, open (opens_at ≤ now < closes_at), or
    closed."""
    if not published:
        return DRAFT
    if now < opens_at:
        return SCHEDULED
    if now < closes_at:
        return OPEN
    return CLOSED


def survey_problems(title: str, opens_at, closes_at) -> list[str]:
    problems = []
    if not title.strip():
        problems.append("请填写标题")
    if opens_at is None or closes_at is None:
        problems.append("请填写开始时间和截止时间")
    elif closes_at <= opens_at:
        problems.append("截止时间须晚于开始时间")
    return problems


def question_problems(
    kind: str, text: str, options: Sequence[str], max_picks: int | None
) -> list[str]:
    """Every reason a question is refused, in Chinese; options are already stripped."""
    problems = []
    if not text.strip():
        problems.append("请填写题目")
    if kind == "text":
        if options:
            problems.append("填空题不设选项")
        if max_picks is not None:
            problems.append("填空题不设最多可选项数")
        return problems
    if kind not in ("single", "multiple"):
        return [*problems, f"未知的题型：{kind}"]
    if len(options) < MIN_OPTIONS:
        problems.append(f"选择题至少需要 {MIN_OPTIONS} 个选项")
    if len(options) > MAX_OPTIONS:
        problems.append(f"选项不能超过 {MAX_OPTIONS} 个")
    if any(not option for option in options):
        problems.append("选项不能为空")
    if len(set(options)) != len(options):
        problems.append("选项不能重复")
    if max_picks is not None:
        if kind == "single":
            problems.append("单选题不设最多可选项数")
        elif not 1 <= max_picks <= len(options):
            problems.append(f"最多可选项数须在 1 到 {len(options)} 之间")
    return problems


def answer_problem(kind: str, picks: int, text: str, max_picks: int | None) -> str:
    """Why one question's answer is refused, or "". Choice questions must be answered
    (their percentages are of all respondents); free text may stay empty."""
    if kind == "single" and picks != 1:
        return "请选择一项"
    if kind == "multiple":
        if picks < 1:
            return "请至少选择一项"
        if max_picks is not None and picks > max_picks:
            return f"最多只能选择 {max_picks} 项"
    if kind == "text" and len(text) > 2000:
        return "回答不能超过 2000 字"
    return ""


def percent(count: int, total: int) -> float:
    """count of total as a percentage with one decimal; 0 when nobody answered."""
    return round(count * 100 / total, 1) if total else 0.0


def member_sees_results(survey_state: str, results_public: bool) -> bool:
    """Members see the results after closing, when the author chose so."""
    return survey_state == CLOSED and results_public
