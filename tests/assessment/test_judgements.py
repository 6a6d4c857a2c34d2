"""The reviewers' judgements and the scored periods: the pure rules, the services (one
transaction, Chinese refusals that change nothing, audit) and what the scores read of them."""

import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.assessment import rules
from dangjian.assessment.history import score_history, stored_sheet
from dangjian.assessment.judgements import Appraisal, ScoreSheet, SecretaryReview
from dangjian.assessment.judging import (
    Grade,
    JudgementError,
    finalise,
    save_appraisals,
    save_review,
)
from dangjian.assessment.rules import parse_period
from dangjian.assessment.scores import branch_scores
from dangjian.core.models import AuditEntry
from dangjian.honors.models import Honor
from dangjian.people.models import Person
from tests.assessment.scenario import known_gaps

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)
YEAR = parse_period("2024")


# ---- pure rules ---------------------------------------------------------------------------
@pytest.mark.parametrize("level", [k for k, _n in rules.LEVELS])
def test_each_levels_weights_sum_to_100(level):
    assert sum(w for _k, _l, w in rules.INDICATOR_SETS[level]) == 100


@pytest.mark.parametrize(
    ("grade", "reason", "problems"),
    [
        ("excellent", "", []),
        ("qualified", "", []),
        ("basic", "", ["张三：评为基本合格须填写理由"]),
        ("unqualified", " ", ["张三：评为不合格须填写理由"]),
        ("unqualified", "长期不参加组织生活", []),
        ("gold", "", ["张三：评议等次无效"]),
    ],
)
def test_appraisal_problems(grade, reason, problems):
    assert rules.appraisal_problems("张三", grade, reason) == problems


def test_review_result_is_the_mean_of_the_grades():
    assert rules.review_result(["good", "fair"]) == 90.0
    assert rules.review_result(["good", "fair", "poor"]) == round(220 / 3, 1)
    assert rules.review_result([]) is None


def test_honours_add_a_capped_bonus_and_no_score_passes_100():
    assert rules.honour_bonus(["city", "hospital"]) == 3.0
    assert rules.honour_bonus(["national", "province"]) == rules.HONOUR_BONUS_CAP
    assert rules.score({"meetings": 0.5}, bonus=3.0) == 53.0
    assert rules.score({"meetings": 1.0}, bonus=5.0) == 100.0
    assert rules.score({}, bonus=5.0) is None


def test_relative_and_excellent_share():
    assert rules.relative(30, 60) == 0.5
    assert rules.relative(None, 60) is None and rules.relative(10, 0) is None
    assert rules.excellent_share({"excellent": 1, "qualified": 3}) == 0.25
    assert rules.excellent_share({}) is None


# ---- 民主评议党员 -------------------------------------------------------------------------
def test_appraisals_are_saved_in_one_go_and_counted_in_the_years_score(world):
    known_gaps(world)
    office = world.user(Role.OFFICE)
    people = list(Person.objects.filter(organization=world.ha_b2).order_by("pk"))
    counts = save_appraisals(
        world.ha_b2, 2024,
        [Grade(people[0].pk, "excellent"), Grade(people[1].pk, "qualified"), Grade(people[2].pk, "")],
        by=office, today=TODAY,
    )  # fmt: skip
    assert counts == {"excellent": 1, "qualified": 1}
    assert Appraisal.objects.filter(organization=world.ha_b2, year=2024).count() == 2
    entry = AuditEntry.objects.filter(action="assessment.appraise").get()
    assert entry.summary["grades"] == {"excellent": 1, "qualified": 1}
    b2 = next(s for s in branch_scores(world.ha, YEAR) if s.organization == world.ha_b2)
    appraisal = next(i for i in b2.indicators if i.key == "appraisal")
    assert appraisal.value == pytest.approx(2 / 3)
    assert "已评议 2 名，其中优秀 1 名（占 50%）" in appraisal.detail
    quarter = next(s for s in branch_scores(world.ha, parse_period("2024-Q1")))
    assert next(i for i in quarter.indicators if i.key == "appraisal").value is None


def test_a_bad_grade_changes_nothing_and_says_why_in_chinese(world):
    known_gaps(world)
    office = world.user(Role.OFFICE)
    people = list(Person.objects.filter(organization=world.ha_b2).order_by("pk"))
    save_appraisals(world.ha_b2, 2024, [Grade(people[0].pk, "qualified")], by=office, today=TODAY)
    stranger = Person.objects.filter(organization=world.ha_b1).first()
    with pytest.raises(JudgementError) as refused:
        save_appraisals(
            world.ha_b2, 2024,
            [Grade(people[0].pk, "excellent"), Grade(people[1].pk, "unqualified"),
             Grade(stranger.pk, "qualified")],
            by=office, today=TODAY,
        )  # fmt: skip
    assert f"{people[1].name}：评为不合格须填写理由" in refused.value.reasons
    assert any("不是本支部2024年的党员" in r for r in refused.value.reasons)
    assert list(Appraisal.objects.values_list("person_id", "grade")) == [
        (people[0].pk, "qualified")
    ]
    assert AuditEntry.objects.filter(action="assessment.appraise").count() == 1
    with pytest.raises(JudgementError, match="评议年度无效"):
        save_appraisals(world.ha_b2, 2026, [], by=office, today=TODAY)
    with pytest.raises(JudgementError, match="按党支部进行"):
        save_appraisals(world.ha, 2024, [], by=office, today=TODAY)


# ---- 述职评议 ---------------------------------------------------------------------------
def test_secretary_review_is_the_mean_of_the_reviewers(world):
    from dangjian.assessment.levels import secretary_scores
    from tests.factories import make_user

    known_gaps(world)
    secretary = world.ha_b2.seats.get().person
    first, second = world.user(Role.OFFICE), make_user("office-a2", Role.OFFICE, world.ha)
    save_review(world.ha_b2, secretary.pk, 2024, "good", "", by=first, today=TODAY)
    save_review(world.ha_b2, secretary.pk, 2024, "fair", "", by=second, today=TODAY)
    save_review(world.ha_b2, secretary.pk, 2024, "fair", "", by=first, today=TODAY)  # replaces
    assert SecretaryReview.objects.count() == 2
    (entry,) = secretary_scores(world.ha, YEAR)
    assert entry.person == secretary and entry.organization == world.ha_b2
    review = next(i for i in entry.indicators if i.key == "review")
    assert review.value == 0.8 and "2 人评议，平均 80.0 分" in review.detail
    with pytest.raises(JudgementError) as refused:
        save_review(world.ha_b2, secretary.pk, 2024, "poor", " ", by=first, today=TODAY)
    assert refused.value.reasons == ["评为差须填写评语，写明存在的问题"]
    other = Person.objects.filter(organization=world.ha_b1).first()
    with pytest.raises(JudgementError, match="不是.*支部书记"):
        save_review(world.ha_b2, other.pk, 2024, "good", "", by=first, today=TODAY)
    assert set(SecretaryReview.objects.values_list("grade", flat=True)) == {"fair"}


# ---- 评定 -------------------------------------------------------------------------------
def test_a_finalised_sheet_keeps_what_was_decided_and_a_rescore_replaces_it(world):
    known_gaps(world)
    office = world.user(Role.OFFICE)
    sheet = finalise(world.ha, rules.BRANCH, "2024-Q1", by=office, today=TODAY)
    kept, rows = stored_sheet(world.ha, rules.BRANCH, "2024-Q1")
    assert kept == sheet and [r.name for r in rows] == [world.ha_b2.name, world.ha_b1.name]
    before = rows[0].score
    assert any(
        i["key"] == "meetings" and "按期开展 5 次" in i["detail"] for i in rows[0].indicators
    )
    # A city-level honour recorded later does not rewrite the decided sheet…
    Honor.objects.create(organization=world.ha_b1, category="other", title="市级先进",
                         level="city", awarded_on=dt.date(2024, 2, 1), awarded_by="市委")  # fmt: skip
    _same, again = stored_sheet(world.ha, rules.BRANCH, "2024-Q1")
    assert [r.score for r in again] == [before, rows[1].score]
    # …until the office scores the period again.
    finalise(world.ha, rules.BRANCH, "2024-Q1", by=office, today=TODAY)
    assert ScoreSheet.objects.count() == 1
    _new, rescored = stored_sheet(world.ha, rules.BRANCH, "2024-Q1")
    b1 = next(r for r in rescored if r.name == world.ha_b1.name)
    assert b1.bonus == 2.0 and b1.score == round(rows[1].score + 2.0, 1)
    actions = list(AuditEntry.objects.filter(action="assessment.finalise").order_by("seq"))
    assert len(actions) == 2
    replaced = actions[1].summary["replaced"]
    assert replaced["scored_at"] == sheet.scored_at.isoformat()
    assert replaced["scored_by"] == office.username
    assert replaced["entries"] == [[world.ha_b2.code, rows[0].score, 1],
                                   [world.ha_b1.code, rows[1].score, 2]]  # fmt: skip
    history = score_history(world.ha_b1, rules.BRANCH, ["2023-Q4", "2024-Q1"])
    assert history["2023-Q4"] is None and history["2024-Q1"].score == b1.score


@pytest.mark.parametrize(
    ("level", "period", "message"),
    [
        ("branch", "2025-Q1", "尚未结束"),
        ("branch", "2024-Q9", "格式"),
        ("hospital", "2024", "指导委员会"),
        ("nobody", "2024", "层级无效"),
    ],
)
def test_finalise_refuses_in_chinese_and_stores_nothing(world, level, period, message):
    known_gaps(world)
    with pytest.raises(JudgementError, match=message):
        finalise(world.ha, level, period, by=world.user(Role.OFFICE), today=TODAY)
    assert not ScoreSheet.objects.exists()
    assert not AuditEntry.objects.filter(action="assessment.finalise").exists()


def test_a_second_save_touches_only_the_changed_grades(world):
    known_gaps(world)
    office = world.user(Role.OFFICE)
    later = world.user(Role.SECRETARY)
    people = list(Person.objects.filter(organization=world.ha_b2).order_by("pk"))
    first = [Grade(people[0].pk, "excellent"), Grade(people[1].pk, "qualified")]
    save_appraisals(world.ha_b2, 2024, first, by=office, today=TODAY)
    kept = Appraisal.objects.get(person=people[0])
    again = [Grade(people[0].pk, "excellent"), Grade(people[1].pk, ""),
             Grade(people[2].pk, "qualified")]  # fmt: skip
    save_appraisals(world.ha_b2, 2024, again, by=later, today=TODAY)
    same = Appraisal.objects.get(person=people[0])
    assert (same.pk, same.recorded_by, same.recorded_at) == (kept.pk, office, kept.recorded_at)
    assert Appraisal.objects.get(person=people[2]).recorded_by == later
    assert not Appraisal.objects.filter(person=people[1]).exists()
    entry = AuditEntry.objects.filter(action="assessment.appraise").order_by("seq").last()
    assert entry.summary["changes"] == {str(people[1].pk): "", str(people[2].pk): "qualified"}
