import datetime as dt

import pytest

from dangjian.assessment.rules import PeriodError, ended_by, last_full_quarter, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), "2024年第一季度"),
        ("2024-q4", D(2024, 10, 1), D(2024, 12, 31), "2024年第四季度"),
        ("2024-Q2", D(2024, 4, 1), D(2024, 6, 30), "2024年第二季度"),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), "2024年上半年"),
        ("2024-H2", D(2024, 7, 1), D(2024, 12, 31), "2024年下半年"),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "2024年度"),
    ],
)
def test_periods(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.checked_on == end + dt.timedelta(days=1)


@pytest.mark.parametrize("text", ["", "2024-Q0", "2024-Q5", "2024-H3", "2024-01", "1999", "x"])
def test_bad_periods_are_refused_in_chinese(text):
    with pytest.raises(PeriodError, match="通报期间格式应为"):
        parse_period(text)


def test_a_period_is_judged_from_the_day_after_its_end():
    q1 = parse_period("2024-Q1")
    assert not ended_by(q1, D(2024, 3, 31))
    assert ended_by(q1, D(2024, 4, 1))


@pytest.mark.parametrize(
    ("today", "code"),
    [(D(2026, 12, 4), "2026-Q3"), (D(2026, 1, 1), "2025-Q4"), (D(2026, 4, 1), "2026-Q1")],
)
def test_last_full_quarter(today, code):
    assert last_full_quarter(today).code == code
