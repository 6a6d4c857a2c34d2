"""The election rules of RULES.md §3 (《中国共产党基层组织选举工作条例》2020), one row a case:
the quorum, the ballots, who is elected, the term and its extension."""

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.orgs import rules

D = dt.date


@pytest.mark.parametrize(
    ("entitled", "present", "met"),
    [
        (10, 9, True),
        (10, 8, False),  # exactly four fifths is not more than four fifths
        (10, 10, True),
        (5, 5, True),
        (5, 4, False),  # 4/5 exactly
        (7, 6, True),  # 6/7 ≈ 0.857
        (7, 5, False),  # 5/7 ≈ 0.714
        (100, 81, True),
        (100, 80, False),
        (1, 1, True),
        (0, 0, False),  # nobody entitled: no election
    ],
)
def test_more_than_four_fifths_must_be_present(entitled, present, met):
    assert rules.election_quorum_met(entitled, present) is met


@pytest.mark.parametrize(
    ("entitled", "needed"), [(10, 9), (5, 5), (7, 6), (100, 81), (12, 10), (1, 1)]
)
def test_the_fewest_present_for_a_quorum(entitled, needed):
    assert rules.election_quorum_needed(entitled) == needed
    assert rules.election_quorum_met(entitled, needed)
    assert not rules.election_quorum_met(entitled, needed - 1)


@given(st.integers(1, 10_000), st.integers(0, 10_000))
def test_quorum_is_a_strict_four_fifths(entitled, present):
    assert rules.election_quorum_met(entitled, present) is (
        Fraction(present, entitled) > Fraction(4, 5)
    )


@pytest.mark.parametrize(
    ("issued", "returned", "valid"),
    [
        (50, 50, True),
        (50, 49, True),  # a ballot not returned: still valid
        (50, 51, False),  # more returned than issued: the vote is void
        (0, 0, True),
        (10, -1, False),
    ],
)
def test_ballots_returned_may_not_exceed_ballots_issued(issued, returned, valid):
    assert rules.ballots_valid(issued, returned) is valid


@pytest.mark.parametrize(
    ("votes", "entitled", "elected"),
    [
        (6, 10, True),
        (5, 10, False),  # an exact half does not win
        (4, 10, False),
        (5, 9, True),  # 5 of 9 is more than half
        (4, 9, False),
        (51, 100, True),
        (50, 100, False),
        (1, 1, True),
        (0, 1, False),
        (3, 0, False),
    ],
)
def test_a_candidate_needs_more_than_half_of_those_entitled_to_vote(votes, entitled, elected):
    assert rules.is_elected(votes, entitled) is elected


def test_half_is_of_those_entitled_not_of_those_present():
    # 10 entitled, 9 present: 5 votes are more than half of those present, not of 10.
    assert 5 * 2 > 9 and not rules.is_elected(5, 10)


@pytest.mark.parametrize(("entitled", "needed"), [(10, 6), (9, 5), (1, 1), (100, 51)])
def test_the_fewest_votes_that_elect(entitled, needed):
    assert rules.votes_needed(entitled) == needed
    assert rules.is_elected(needed, entitled) and not rules.is_elected(needed - 1, entitled)


@pytest.mark.parametrize(
    ("years", "allowed"), [(2, False), (3, True), (4, True), (5, True), (6, False), (0, False)]
)
def test_a_term_is_three_to_five_years(years, allowed):
    assert rules.term_years_allowed(years) is allowed


END = D(2025, 6, 30)


@pytest.mark.parametrize(
    ("until", "allowed"),
    [
        (D(2025, 12, 31), True),
        (D(2026, 6, 30), True),  # exactly one year
        (D(2026, 7, 1), False),  # one day more
        (D(2025, 7, 1), True),
        (END, False),  # not beyond the end: no extension
        (D(2025, 1, 1), False),
    ],
)
def test_an_extension_is_at_most_one_year_beyond_the_end(until, allowed):
    assert rules.extension_allowed(END, until) is allowed


def test_an_extension_from_29_february_ends_on_28_february():
    assert rules.extension_allowed(D(2024, 2, 29), D(2025, 2, 28))
    assert not rules.extension_allowed(D(2024, 2, 29), D(2025, 3, 1))
