import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.dates import add_months, add_years
from dangjian.orgs import rules
from dangjian.orgs.rules import needs_committee, reelection_state, term_ends_on

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 5, 15), 0, D(2024, 5, 15)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 1, 1)), st.integers(-240, 240))
def test_add_months_lands_in_the_right_month_never_later_in_it(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_a_three_year_term_ends_on_the_same_day_three_years_later():
    assert term_ends_on(D(2023, 6, 30)) == D(2026, 6, 30)
    assert term_ends_on(D(2024, 2, 29), 5) == add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)


TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("ends_on", "state"),
    [
        (TODAY - dt.timedelta(days=1), "overdue"),
        (TODAY, "due"),
        (D(2027, 2, 23), "due"),  # exactly three months ahead: warned
        (D(2027, 2, 24), "ok"),  # the day after
    ],
)
def test_reelection_is_due_three_months_before_and_overdue_after(ends_on, state):
    assert reelection_state(ends_on, TODAY) == state


@pytest.mark.parametrize(("full_members", "committee"), [(6, False), (7, True), (8, True)])
def test_a_branch_of_seven_full_members_elects_a_committee(full_members, committee):
    assert needs_committee(full_members) is committee


@pytest.mark.parametrize(
    ("full", "posts", "member_posts", "problem"),
    [
        (20, 7, 5, None),  # at most 7
        (20, 8, 6, "too_large"),
        (6, 2, 0, None),  # a secretary and a deputy below 7 full members
        (6, 2, 1, "not_allowed"),
        (7, 3, 2, None),
        (3, 1, 0, None),
    ],
)
def test_committee_size(full, posts, member_posts, problem):
    assert rules.committee_size_problem(full, posts, member_posts) == problem


@pytest.mark.parametrize(
    ("kind", "members", "form"),
    [
        ("general_branch", 50, "branch"),
        ("general_branch", 51, None),  # above 50 members
        ("committee", 99, "general_branch"),
        ("committee", 50, "branch"),
        ("committee", 100, None),  # 100 or more
        ("branch", 10, None),
    ],
)
def test_the_form_a_size_calls_for(kind, members, form):
    assert rules.form_for_size(kind, members) == form
