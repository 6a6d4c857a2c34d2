"""学习教育 rules, one row per case: course hours, video links, how a question is written,
scoring (multiple choice all or nothing), when an exam may be started, exam settings."""

import datetime as dt

import pytest

from dangjian.learning import rules
from dangjian.learning.rules import DrawMode, QuestionKind

S, M, TF = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE
NOW = dt.datetime(2026, 5, 1, 10, 0)
HOUR = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("hours", "problem"),
    [("2", ""), ("0.5", ""), ("24", ""), ("0", "大于 0"), ("-1", "大于 0"), ("24.5", "不超过 24"),
     ("1.2", "0.5 的整数倍"), ("两", "不是数字")],
)  # fmt: skip
def test_course_hours(hours, problem):
    found = rules.course_hours_problem(hours)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://example.org/v/1", True), ("http://10.0.0.5/党课.mp4", True),
     ("HTTPS://EXAMPLE.ORG/x", True), ("javascript:alert(1)", False), ("data:text/html,x", False),
     ("file:///etc/passwd", False), ("ftp://example.org/x", False), ("example.org/x", False),
     ("https://", False), ("", False)],
)  # fmt: skip
def test_video_links_are_http_or_https_only(url, ok):
    assert (rules.video_link_problem(url) == "") is ok


@pytest.mark.parametrize(
    ("kind", "text", "options", "answer", "problem"),
    [
        (S, "题", ["甲", "乙"], [0], ""),
        (M, "题", ["甲", "乙", "丙"], [0, 2], ""),
        (TF, "题", ["正确", "错误"], [1], ""),
        (S, " ", ["甲", "乙"], [0], "请填写题目"),
        (S, "题", ["甲"], [0], "2 至 8 个选项"),
        (S, "题", ["甲", "甲"], [0], "不能重复"),
        (S, "题", ["甲", "乙"], [2], "须是题目中的选项"),
        (S, "题", ["甲", "乙"], [0, 1], "有且只有一个"),
        (M, "题", ["甲", "乙", "丙"], [1], "至少两个"),
        (TF, "题", ["正确", "错误"], [0, 1], "有且只有一个"),
        ("essay", "题", [], [], "未知的题型"),
    ],
)
def test_question_problems(kind, text, options, answer, problem):
    found = "；".join(rules.question_problems(kind, text, options, answer))
    assert (problem in found) if problem else found == ""


def test_a_true_false_question_always_has_its_two_options():
    assert rules.question_options(TF, ["随便"]) == ["正确", "错误"]
    assert rules.question_options(S, [" 甲 ", "", "乙"]) == ["甲", "乙"]


@pytest.mark.parametrize(
    ("answer", "given", "correct"),
    [([0], [0], True), ([0], [1], False), ([0], [], False), ([0, 2], [0, 2], True),
     ([0, 2], [2, 0], True), ([0, 2], [0], False),  # one right option missing: nothing
     ([0, 2], [0, 1, 2], False), ([1], [1, 1], True)],
)  # fmt: skip
def test_all_or_nothing(answer, given, correct):
    assert rules.is_correct(answer, given) is correct


@pytest.mark.parametrize(
    ("correct", "total", "score"),
    [(0, 10, 0), (10, 10, 100), (6, 10, 60), (2, 3, 67), (1, 3, 33), (1, 8, 13), (0, 0, 0)],
)
def test_score_is_a_rounded_percentage(correct, total, score):
    assert rules.score(correct, total) == score


@pytest.mark.parametrize(
    ("opens", "closes", "made", "limit", "passed", "problem"),
    [
        (None, None, 0, None, False, ""),
        (NOW - HOUR, NOW + HOUR, 2, 3, False, ""),
        (NOW + HOUR, None, 0, None, False, "尚未开始"),
        (None, NOW - HOUR, 0, None, False, "已结束"),
        (None, None, 3, 3, False, "次数上限"),
        (None, None, 1, None, True, "已通过"),
    ],
)
def test_when_an_attempt_may_start(opens, closes, made, limit, passed, problem):
    found = rules.exam_problem(NOW, opens, closes, made, limit, passed)
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ((60, None, None, DrawMode.FIXED, 5, None, 0), ""),
        ((60, None, None, DrawMode.RANDOM, 0, 5, 10), ""),
        ((0, None, None, DrawMode.FIXED, 5, None, 0), "及格分"),
        ((60, NOW, NOW - HOUR, DrawMode.FIXED, 5, None, 0), "晚于开始时间"),
        ((60, None, None, DrawMode.FIXED, 0, None, 0), "请选择考试题目"),
        ((60, None, None, DrawMode.RANDOM, 0, None, 10), "抽取的题数"),
        ((60, None, None, DrawMode.RANDOM, 0, 11, 10), "只有 10 道"),
    ],
)
def test_exam_settings(args, problem):
    found = "；".join(rules.exam_settings_problems(*args))
    assert (problem in found) if problem else found == ""


@pytest.mark.parametrize(
    ("passed", "made", "limit", "closes", "shown"),
    [(True, 1, None, None, True), (False, 1, None, None, False), (False, 1, 3, None, False),
     (False, 3, 3, None, True), (False, 1, None, NOW - HOUR, True),
     (False, 1, None, NOW + HOUR, False)],
)  # fmt: skip
def test_answers_are_shown_once_they_cannot_help_a_retry(passed, made, limit, closes, shown):
    assert rules.answers_shown(passed, made, limit, closes, NOW) is shown
