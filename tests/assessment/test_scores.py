"""Assessment scores: each indicator read from the records of the scenario with known
gaps, the weighted score with its breakdown, the ranking and the colours with reasons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.assessment import rules
from dangjian.assessment.rules import parse_period
from dangjian.assessment.scores import branch_scores
from dangjian.meetings.models import Study
from dangjian.orgs.models import OrgKind
from dangjian.people.models import Person
from tests.assessment.scenario import known_gaps
from tests.factories import add_org, make_member

Q1 = parse_period("2024-Q1")


def study(people, hours, on=dt.date(2024, 2, 1)):
    for person in people:
        Study.objects.create(
            person=person, kind="self_study", title="自学", studied_on=on, hours=Decimal(hours)
        )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"meetings": 1, "dues": 1, "arrears": 1, "tasks": 1, "study": 1, "service": 1}, 100.0),
        ({"meetings": 0.5, "dues": None, "arrears": 1, "tasks": 0, "study": 1, "service": 0}, 50.0),
        ({k: None for k, _l, _w in rules.INDICATORS}, None),
    ],
)
def test_score_is_the_weighted_mean_of_what_has_data(values, expected):
    assert rules.score(values) == expected


@pytest.mark.parametrize(
    ("points", "colour"),
    [(85, "green"), (84.9, "yellow"), (60, "yellow"), (59.9, "red"), (None, "grey")],
)
def test_colours(points, colour):
    assert rules.colour(points) == colour


def test_scores_rank_the_branches_with_breakdown_and_reasons(world):
    known_gaps(world)
    good = Person.objects.filter(organization=world.ha_b2)
    study(good, "8")  # 3 members × 32 h ÷ 4 = 24 h owed in a quarter: 8 each meets it
    study(Person.objects.filter(organization=world.ha_b1), "3")
    first, second = branch_scores(world.ha, Q1)
    assert (first.organization, first.rank, first.colour) == (world.ha_b2, 1, "green")
    by_key = {i.key: i for i in first.indicators}
    assert (
        by_key["meetings"].value == 1.0
        and "应开展 5 次，按期开展 5 次" in by_key["meetings"].detail
    )
    assert by_key["dues"].value is None  # no bills in the scenario: neither helps nor hurts
    assert by_key["study"].value == 1.0 and by_key["service"].value == 1.0
    assert first.score == 100.0 and first.reasons == []

    assert (second.organization, second.rank, second.colour) == (world.ha_b1, 2, "red")
    by_key = {i.key: i for i in second.indicators}
    assert by_key["meetings"].value == 0.0
    assert by_key["tasks"].value == 0.0 and by_key["tasks"].detail == "逾期未销号任务 1 项"
    assert by_key["study"].value == pytest.approx(6 / 16)  # 2 members × 3 h of 2 × 8 h
    assert by_key["arrears"].value == 1.0
    # (0·30 + 1·10 + 0·15 + 0.375·15 + 0·10) ÷ 80: the branch set keeps these proportions
    assert second.score == round(100 * (10 + 0.375 * 15) / 80, 1)
    assert any(r.startswith("组织生活按期开展率：") for r in second.reasons)
    weights = {k: w for k, _l, w in rules.INDICATORS}
    assert sum(i.points or 0 for i in second.indicators) == pytest.approx(
        weights["arrears"] + 0.375 * weights["study"], abs=0.1
    )


def test_a_groups_records_count_for_its_branch(world):
    known_gaps(world)
    group = add_org(world.ha_b1, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    study([make_member(group)], "8")
    scored = {s.organization.code: s for s in branch_scores(world.ha, Q1)}
    assert "HA-B1-G1" not in scored
    study_of_b1 = next(i for i in scored["HA-B1"].indicators if i.key == "study")
    assert "学习 8 学时，应完成 24 学时" in study_of_b1.detail


def test_query_count_does_not_grow_with_branches(world):
    known_gaps(world)
    branch_scores(world.ha, Q1)
    with CaptureQueriesContext(connection) as few:
        branch_scores(world.ha, Q1)
    for i in range(4):
        branch = add_org(world.ha, f"HA-X{i}", OrgKind.BRANCH, f"甲院第{i}党支部")
        study([make_member(branch)], "1")
    world.ha.refresh_from_db()
    with CaptureQueriesContext(connection) as more:
        assert len(branch_scores(world.ha, Q1)) == 6
    assert len(more.captured_queries) == len(few.captured_queries)
