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


@pytest.mark.parametrize(
    ("should", "least"), [(3, 2), (5, 3), (6, 4), (7, 4), (8, 5), (9, 5), (11, 6), (15, 8)]
)
def test_quorum_boundary_for_committees_of_every_size(should, least):
    assert not rules.quorum_met(should, least - 1)
    assert rules.quorum_met(should, least)
    assert rules.majority_met(should, least) and not rules.majority_met(should, least - 1)


@pytest.mark.parametrize(
    ("should", "least"), [(3, 2), (5, 4), (6, 4), (7, 5), (8, 6), (9, 6), (11, 8), (15, 10)]
)
def test_two_thirds_boundary_for_committees_of_every_size(should, least):
    assert not rules.quorum_met(should, least - 1, appointment=True)
    assert rules.quorum_met(should, least, appointment=True)


@pytest.mark.parametrize(
    ("body", "category", "present", "rule"),
    [
        (Body.PARTY_COMMITTEE, MatterCategory.MAJOR_DECISION, 4, ""),
        (Body.PARTY_COMMITTEE, MatterCategory.MAJOR_DECISION, 3, rules.QUORUM_RULE),
        (Body.PARTY_COMMITTEE, MatterCategory.KEY_APPOINTMENT, 4, rules.APPOINTMENT_QUORUM_RULE),
        (Body.PARTY_COMMITTEE, MatterCategory.KEY_APPOINTMENT, 5, ""),
        (Body.PRESIDENT_OFFICE, MatterCategory.KEY_APPOINTMENT, 4, ""),
        (Body.PRESIDENT_OFFICE, MatterCategory.LARGE_FUND, 3, rules.PRESIDENT_QUORUM_RULE),
    ],
)
def test_the_quorum_refusal_names_the_rule_of_its_body(body, category, present, rule):
    problem = rules.quorum_problem(body, category, 7, present)
    assert (problem == "") is (rule == "")
    if rule:
        assert rule in problem and f"应到 7 人，实到 {present} 人" in problem


def test_majority_counts_those_who_should_attend_even_when_fewer_are_present():
    # 7 should attend, 5 present: 4 in favour carry it, 3 do not, whatever the others vote.
    assert rules.vote_problem(5, 4, 1, 0) == "" and rules.majority_met(7, 4)
    assert rules.vote_problem(5, 3, 0, 2) == "" and not rules.majority_met(7, 3)
    assert rules.MAJORITY_RULE in rules.majority_problem(7, 3)


@pytest.mark.parametrize(
    ("votes", "refused"), [((4, 0, 0), False), ((3, 1, 0), False), ((3, 1, 1), True),
                           ((5, 0, 0), True)],
)  # fmt: skip
def test_votes_over_those_present_are_refused(votes, refused):
    assert bool(rules.vote_problem(4, *votes)) is refused


@pytest.mark.parametrize(
    ("threshold", "amount", "large"),
    [("300000", "300000", False), ("300000", "300000.01", True), ("0", "0", False),
     ("0", "0.01", True), ("1000000", "999999.99", False)],
)  # fmt: skip
def test_large_funds_against_each_hospital_threshold(threshold, amount, large):
    assert rules.is_large_fund(Decimal(amount), Decimal(threshold)) is large


@pytest.mark.parametrize("category", MatterCategory.values)
@pytest.mark.parametrize(
    ("body", "boundary", "allowed"),
    [
        (Body.PARTY_COMMITTEE, rules.DEFAULT_BOUNDARY, True),
        (Body.PRESIDENT_OFFICE, rules.DEFAULT_BOUNDARY, False),
        (Body.PRESIDENT_OFFICE, {Body.PRESIDENT_OFFICE: MatterCategory.values}, True),
        (Body.PARTY_COMMITTEE, {Body.PRESIDENT_OFFICE: MatterCategory.values}, False),
    ],
)
def test_the_boundary_per_body_and_category(body, boundary, allowed, category):
    problem = rules.boundary_problem(body, category, boundary)
    assert (problem == "") is allowed
    if not allowed:
        assert str(Body(body).label) in problem and str(MatterCategory(category).label) in problem


@pytest.mark.parametrize(
    ("title", "president"),
    [
        ("院长", True),
        ("党委书记、院长", True),
        ("院长兼党委副书记", True),
        ("副院长", False),
        ("常务副院长", False),
        ("科主任", False),
        ("", False),
    ],
)
def test_the_president_is_named_by_the_administrative_title(title, president):
    assert rules.is_president(title) is president
