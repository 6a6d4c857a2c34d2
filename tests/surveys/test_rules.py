"""The survey rules, one row per case."""

import datetime as dt

import pytest

from dangjian.surveys import rules

T = dt.datetime(2026, 6, 1, 9, 0)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("published", "now", "expected"),
    [
        (False, T, rules.DRAFT),
        (True, T - H, rules.SCHEDULED),
        (True, T, rules.OPEN),
        (True, T + 23 * H, rules.OPEN),
        (True, T + 24 * H, rules.CLOSED),
    ],
)
def test_state(published, now, expected):
    assert rules.state(published, T, T + 24 * H, now) == expected


@pytest.mark.parametrize(
    ("kind", "text", "options", "max_picks", "problem"),
    [
        ("single", "题", ["甲", "乙"], None, None),
        ("multiple", "题", ["甲", "乙", "丙"], 2, None),
        ("multiple", "题", ["甲", "乙", "丙"], None, None),
        ("text", "题", [], None, None),
        ("single", "", ["甲", "乙"], None, "请填写题目"),
        ("single", "题", ["甲"], None, "至少需要 2 个选项"),
        ("single", "题", ["甲", "甲"], None, "选项不能重复"),
        ("single", "题", ["甲", ""], None, "选项不能为空"),
        ("single", "题", ["甲", "乙"], 1, "单选题不设最多可选项数"),
        ("multiple", "题", ["甲", "乙"], 3, "最多可选项数须在 1 到 2 之间"),
        ("multiple", "题", ["甲", "乙"], 0, "最多可选项数须在 1 到 2 之间"),
        ("text", "题", ["甲"], None, "填空题不设选项"),
        ("vote", "题", ["甲", "乙"], None, "未知的题型"),
    ],
)
def test_question_problems(kind, text, options, max_picks, problem):
    problems = rules.question_problems(kind, text, options, max_picks)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("kind", "picks", "text", "max_picks", "problem"),
    [
        ("single", 1, "", None, ""),
        ("single", 0, "", None, "请选择一项"),
        ("single", 2, "", None, "请选择一项"),
        ("multiple", 0, "", 2, "请至少选择一项"),
        ("multiple", 2, "", 2, ""),
        ("multiple", 3, "", 2, "最多只能选择 2 项"),
        ("multiple", 4, "", None, ""),
        ("text", 0, "", None, ""),
        ("text", 0, "字" * 2001, None, "回答不能超过 2000 字"),
    ],
)
def test_answer_problem(kind, picks, text, max_picks, problem):
    assert rules.answer_problem(kind, picks, text, max_picks) == problem


def test_survey_problems():
    assert rules.survey_problems("题", T, T + H) == []
    assert rules.survey_problems(" ", T, T + H) == ["请填写标题"]
    assert rules.survey_problems("题", T, T) == ["截止时间须晚于开始时间"]
    assert rules.survey_problems("题", None, T) == ["请填写开始时间和截止时间"]


@pytest.mark.parametrize(
    ("count", "total", "expected"), [(1, 3, 33.3), (2, 3, 66.7), (0, 0, 0.0), (3, 3, 100.0)]
)
def test_percent(count, total, expected):
    assert rules.percent(count, total) == expected


@pytest.mark.parametrize(
    ("state", "public", "sees"),
    [(rules.CLOSED, True, True), (rules.CLOSED, False, False), (rules.OPEN, True, False)],
)
def test_member_sees_results(state, public, sees):
    assert rules.member_sees_results(state, public) is sees
