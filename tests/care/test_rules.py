"""The care rules, one row per case."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.care import rules

TODAY = dt.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("value", "amount", "problem"),
    [
        ("", Decimal("0.00"), ""),
        (None, Decimal("0.00"), ""),
        ("500", Decimal("500.00"), ""),
        ("1,000.5", Decimal("1000.50"), ""),
        ("0", Decimal("0.00"), ""),
        ("-1", None, "金额不能为负数"),
        ("abc", None, "金额“abc”不是数字"),
        ("NaN", None, "金额“NaN”不是数字"),
        ("1.005", None, "金额最多保留两位小数（元、角、分）"),
        ("100000000", None, "金额过大"),
    ],
)
def test_parse_amount(value, amount, problem):
    assert rules.parse_amount(value) == (amount, problem)


@pytest.mark.parametrize(
    ("day", "problem"),
    [(TODAY, ""), (None, "请填写慰问日期"), (TODAY + dt.timedelta(days=1), "不能晚于今天")],
)
def test_date_problem(day, problem):
    found = rules.date_problem(day, TODAY, "慰问日期")
    assert (problem in found) if problem else found == ""


def test_resolved_problem():
    since = dt.date(2026, 3, 1)
    assert rules.resolved_problem(since, dt.date(2026, 6, 1), TODAY) == ""
    assert "不能早于登记日期" in rules.resolved_problem(since, dt.date(2026, 2, 1), TODAY)
    assert "请填写脱困日期" in rules.resolved_problem(since, None, TODAY)


def test_year_range():
    assert rules.year_range(2026) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
