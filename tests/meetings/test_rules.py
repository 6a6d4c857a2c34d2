"""RULES.md §2 at its boundaries: periods at quarter ends and in leap years, the theme
day in short months, quorum, six months' absence."""

import datetime as dt

import pytest

from dangjian.meetings import rules
from dangjian.meetings.rules import ATTENDED, MISSED, NOTHING, Period, Unit

D = dt.date


@pytest.mark.parametrize(
    ("day", "unit", "start", "end"),
    [
        (D(2024, 3, 31), Unit.QUARTER, D(2024, 1, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), Unit.QUARTER, D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 6, 30), Unit.QUARTER, D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 9, 30), Unit.QUARTER, D(2024, 7, 1), D(2024, 9, 30)),
        (D(2024, 12, 31), Unit.QUARTER, D(2024, 10, 1), D(2024, 12, 31)),
        (D(2024, 2, 29), Unit.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
        (D(2025, 2, 28), Unit.MONTH, D(2025, 2, 1), D(2025, 2, 28)),
        (D(2024, 7, 15), Unit.YEAR, D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_the_period_a_day_falls_in(day, unit, start, end):
    assert rules.period_of(day, unit) == Period(start, end)


def test_a_year_has_twelve_months_and_four_quarters_that_tile_it():
    for unit, count in ((Unit.MONTH, 12), (Unit.QUARTER, 4), (Unit.YEAR, 1)):
        periods = rules.periods_between(D(2024, 1, 1), D(2024, 12, 31), unit)
        assert len(periods) == count
        assert periods[0].start == D(2024, 1, 1) and periods[-1].end == D(2024, 12, 31)
        assert all(
            a.end + dt.timedelta(days=1) == b.start
            for a, b in zip(periods, periods[1:], strict=False)
        )


@pytest.mark.parametrize(
    ("end", "quarters"),
    [(D(2024, 3, 30), 0), (D(2024, 3, 31), 1), (D(2024, 4, 1), 1), (D(2024, 12, 31), 4)],
)
def test_a_quarter_still_running_is_not_yet_missed(end, quarters):
    assert len(rules.completed_periods(D(2024, 1, 1), end, Unit.QUARTER)) == quarters


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2024, 2, 30, D(2024, 2, 29)),
        (2025, 2, 30, D(2025, 2, 28)),
        (2024, 4, 31, D(2024, 4, 30)),
        (2024, 5, 31, D(2024, 5, 31)),
        (2024, 6, 15, D(2024, 6, 15)),
    ],
)
def test_the_theme_day_falls_back_to_the_end_of_a_short_month(year, month, day, expected):
    assert rules.theme_day_on(year, month, day) == expected


@pytest.mark.parametrize(
    ("expected", "present", "met"),
    [(10, 5, False), (10, 6, True), (9, 4, False), (9, 5, True), (0, 0, False), (1, 1, True)],
)
def test_quorum_is_more_than_half_of_those_with_a_vote(expected, present, met):
    assert rules.has_quorum(expected, present) is met


def test_the_quorum_message_says_how_many_were_needed():
    assert "至少需 6 人" in rules.quorum_message(10, 5)


@pytest.mark.parametrize(
    ("months", "flagged"),
    [
        ([MISSED] * 5, False),
        ([MISSED] * 6, True),
        ([MISSED] * 3 + [ATTENDED] + [MISSED] * 3, False),
        # A month without a meeting neither ends the run nor adds to it.
        ([MISSED] * 3 + [NOTHING] + [MISSED] * 3, True),
        ([MISSED] * 3 + [NOTHING] * 3 + [MISSED] * 2, False),
        ([MISSED] * 5 + [NOTHING] * 6, False),
        ([NOTHING, MISSED, NOTHING, MISSED, MISSED, NOTHING, MISSED, MISSED, MISSED], True),
        ([MISSED] * 3 + [NOTHING, ATTENDED, NOTHING] + [MISSED] * 3, False),
        ([ATTENDED] + [MISSED] * 6 + [ATTENDED], True),
    ],
)
def test_six_consecutive_months_missed(months, flagged):
    assert rules.absent_six_months(months) is flagged


@pytest.mark.parametrize(
    ("months", "start"),
    [
        ([ATTENDED] + [MISSED] * 6, 1),
        ([MISSED, ATTENDED, NOTHING] + [MISSED] * 2 + [NOTHING] + [MISSED] * 4, 3),
        ([MISSED] * 5, None),
    ],
)
def test_the_run_starts_at_its_first_missed_month(months, start):
    assert rules.absence_run_start(months) == start


def test_frequencies_can_be_configured():
    freq = rules.frequencies({"party_lecture": ("month", 1)})
    assert freq["party_lecture"].unit == "month"
    assert freq["general_assembly"] == rules.Frequency(Unit.QUARTER)


@pytest.mark.parametrize(
    ("expected", "present", "tally", "passes"),
    [
        (5, 3, (3, 0, 0), True),  # 3 of 5 who should attend
        (5, 3, (2, 1, 0), False),  # 2 of 5: not more than half
        (4, 3, (2, 0, 1), False),  # exactly half of 4
        (4, 2, (2, 0, 0), False),  # no quorum
        (4, 3, (3, 1, 0), False),  # more votes than members present
        (4, 3, None, False),  # no tally
    ],
)
def test_a_resolution_passes_with_more_than_half_of_those_who_should_attend(
    expected, present, tally, passes
):
    problems = rules.resolution_problems(expected, present, rules.Tally(*tally) if tally else None)
    assert (problems == []) is passes
