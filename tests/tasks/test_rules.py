import datetime as dt
from decimal import Decimal

import pytest

from dangjian.tasks import rules

D = dt.date


@pytest.mark.parametrize(
    ("starts", "due", "refused"),
    [
        (D(2025, 1, 1), D(2025, 1, 1), False),
        (D(2025, 1, 2), D(2025, 1, 1), True),
        (None, D(2025, 1, 1), False),
        (D(2025, 1, 1), None, True),
    ],
)
def test_deadline_may_not_come_before_the_start(starts, due, refused):
    assert bool(rules.date_problem(starts, due)) is refused


@pytest.mark.parametrize(
    ("due", "closed", "day", "overdue"),
    [
        (D(2025, 12, 31), None, D(2025, 12, 31), False),  # the deadline day itself
        (D(2025, 12, 31), None, D(2026, 1, 1), True),  # across the year end
        (D(2025, 12, 31), D(2025, 12, 30), D(2026, 1, 1), False),
        (D(2025, 12, 31), D(2026, 1, 5), D(2026, 1, 2), True),  # closed later than the day
        (D(2025, 12, 31), D(2026, 1, 5), D(2026, 1, 6), False),
    ],
)
def test_overdue_is_past_the_deadline_and_not_closed_on_the_day(due, closed, day, overdue):
    assert rules.is_overdue(due, closed, day) is overdue


@pytest.mark.parametrize(
    ("due", "day", "soon"),
    [(D(2026, 1, 30), D(2025, 12, 31), True), (D(2026, 1, 31), D(2025, 12, 31), False),
     (D(2025, 12, 30), D(2025, 12, 31), False)],
)  # fmt: skip
def test_due_soon_within_thirty_days(due, day, soon):
    assert rules.is_due_soon(due, None, day) is soon


@pytest.mark.parametrize(
    ("percent", "refused"), [(-1, True), (0, False), (100, False), (101, True)]
)
def test_percent_bounds(percent, refused):
    assert bool(rules.percent_problem(percent)) is refused


def test_milestone_and_weighted_progress():
    assert rules.milestone_percent(1, 3) == 33 and rules.milestone_percent(3, 3) == 100
    assert rules.milestone_percent(0, 0) == 0
    assert rules.weighted_progress([(Decimal(1), 100), (Decimal(3), 0)]) == Decimal("25.0")
    assert rules.weighted_progress([]) is None
