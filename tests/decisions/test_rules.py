"""RULES.md §5 at its boundaries."""

from decimal import Decimal

import pytest

from dangjian.decisions import rules
from dangjian.decisions.rules import Body, MatterCategory


@pytest.mark.parametrize(
    ("should", "present", "met"),
    [(7, 3, False), (7, 4, True), (9, 4, False), (9, 5, True), (8, 4, False), (8, 5, True),
     (0, 0, False)],
)  # fmt: skip
def test_quorum_is_more_than_half(should, present, met):
    assert rules.quorum_met(should, present) is met


@pytest.mark.parametrize(
    ("should", "present", "met"),
    [(9, 5, False), (9, 6, True), (7, 4, False), (7, 5, True), (6, 4, True), (6, 3, False)],
)
def test_key_appointments_need_two_thirds(should, present, met):
    assert rules.quorum_met(should, present, appointment=True) is met
    problem = rules.quorum_problem(
        Body.PARTY_COMMITTEE, MatterCategory.KEY_APPOINTMENT, should, present
    )
    assert (problem == "") is met
    if not met:
        assert "三分之二" in problem and "党政领导干部选拔任用工作条例" in problem


@pytest.mark.parametrize(
    ("should", "votes_for", "met"), [(7, 3, False), (7, 4, True), (8, 4, False), (8, 5, True)]
)
def test_majority_is_of_those_who_should_attend(should, votes_for, met):
    assert rules.majority_met(should, votes_for) is met
    assert (rules.majority_problem(should, votes_for) == "") is met


def test_votes_may_not_exceed_those_present():
    assert rules.vote_problem(5, 4, 1, 0) == ""
    assert "书面意见不计入" in rules.vote_problem(5, 5, 1, 0)
    assert rules.vote_problem(5, -1, 0, 0)


@pytest.mark.parametrize(
    ("amount", "large"),
    [(None, False), (Decimal("500000"), False), (Decimal("500000.01"), True)],
)
def test_large_funds_are_over_the_threshold(amount, large):
    assert rules.is_large_fund(amount, Decimal("500000")) is large


def test_the_boundary_between_the_bodies():
    boundary = rules.DEFAULT_BOUNDARY
    assert rules.boundary_problem(Body.PARTY_COMMITTEE, MatterCategory.LARGE_FUND, boundary) == ""
    assert "院长办公会不能决定" in rules.boundary_problem(
        Body.PRESIDENT_OFFICE, MatterCategory.LARGE_FUND, boundary
    )
