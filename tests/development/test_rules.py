"""Every time rule of RULES.md §4 at its boundary (the day before, of, after) and every
refusal, on the pure rules (no database)."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.core.dates import add_months, add_years
from dangjian.development import rules
from dangjian.development.rules import Participant, Pipeline, Proposal, Recorded, Vote
from dangjian.development.steps import ORDER, SEQUENCE, SPECS, StepCode

from .builders import PASSING_VOTE, step_dates

S = StepCode
D = dt.date
DAY = dt.timedelta(days=1)
APPLIED = D(2022, 3, 1)
DATES = step_dates(APPLIED)
TODAY = D(2030, 1, 1)
FULL = Participant("甲示例", True)
FULL2 = Participant("乙示例", True)


def through(code: str, **overrides) -> Pipeline:
    """A pipeline with every step of the sequence up to `code` recorded on its lawful
    date (the notice lasting eight days)."""
    dates = {**DATES, **overrides}
    records = []
    for spec in SEQUENCE:
        if ORDER[spec.code] > ORDER[code]:
            break
        effective = dates[spec.code]
        if spec.code == S.APPROVAL:
            effective = dates[S.ASSEMBLY_VOTE]
        ends = dates[spec.code] + 7 * DAY if spec.code == S.PUBLIC_NOTICE else None
        records.append(
            Recorded(spec.code, dates[spec.code], effective_on=effective, notice_ends_on=ends)
        )
    return Pipeline(records, birth_date=D(1995, 5, 1))


def propose(pipeline: Pipeline, code: str, day: dt.date, **kwargs) -> rules.Verdict:
    return rules.check(pipeline, Proposal(code=code, done_on=day, **kwargs), TODAY)


def assert_refused(verdict, *words):
    assert not verdict.ok, verdict
    text = "；".join(verdict.refusals)
    for word in words:
        assert word in text, text


# ---- stage 1: the application and the talk -------------------------------------------
BORN = D(2000, 5, 10)


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2018, 5, 9), False), (D(2018, 5, 10), True), (D(2018, 5, 11), True)]
)
def test_an_applicant_must_be_eighteen(day, ok):
    verdict = propose(Pipeline([], birth_date=BORN), S.APPLICATION, day)
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "年满十八岁", "发展党员工作细则")


def test_an_application_without_a_birth_date_is_refused():
    assert_refused(propose(Pipeline([]), S.APPLICATION, D(2024, 1, 1)), "出生日期")


@pytest.mark.parametrize(
    ("day", "late"), [(D(2024, 2, 28), False), (D(2024, 2, 29), False), (D(2024, 3, 1), True)]
)
def test_a_talk_after_one_month_is_accepted_but_flagged(day, late):
    pipeline = Pipeline([Recorded(S.APPLICATION, D(2024, 1, 31))], birth_date=BORN)
    verdict = propose(pipeline, S.APPLICATION_TALK, day)
    assert verdict.ok
    assert bool(verdict.flags) is late
    if late:
        assert "一个月内派人谈话" in verdict.flags[0]


# ---- stage 2: activists, cultivators -------------------------------------------------
@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (2, True), (3, False)])
def test_one_or_two_cultivators(count, ok):
    people = tuple(Participant(f"培养人{i}", True) for i in range(count))
    verdict = propose(
        through(S.ACTIVIST_CONFIRMED),
        S.CULTIVATORS_ASSIGNED,
        DATES[S.CULTIVATORS_ASSIGNED],
        participants=people,
    )
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "培养联系人")


def test_a_cultivator_must_be_a_full_member():
    verdict = propose(
        through(S.ACTIVIST_CONFIRMED),
        S.CULTIVATORS_ASSIGNED,
        DATES[S.CULTIVATORS_ASSIGNED],
        participants=(Participant("丙预备", False),),
    )
    assert_refused(verdict, "须为正式党员", "丙预备")


# ---- stage 3: candidates, introducers, training --------------------------------------
ACTIVIST = DATES[S.ACTIVIST_CONFIRMED]


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (add_years(ACTIVIST, 1) - DAY, False),
        (add_years(ACTIVIST, 1), True),
        (add_years(ACTIVIST, 1) + DAY, True),
    ],
)
def test_a_candidate_needs_a_year_as_activist(day, ok):
    verdict = propose(through(S.ACTIVIST_REVIEW), S.CANDIDATE_CONFIRMED, day)
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "一年以上", str(add_years(ACTIVIST, 1)))


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (3, False)])
def test_exactly_two_introducers(count, ok):
    people = tuple(Participant(f"介绍人{i}", True) for i in range(count))
    verdict = propose(
        through(S.CANDIDATE_FILED),
        S.INTRODUCERS_ASSIGNED,
        DATES[S.INTRODUCERS_ASSIGNED],
        participants=people,
    )
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "2名正式党员担任入党介绍人")


@pytest.mark.parametrize(
    ("participants", "words"),
    [
        ((FULL, Participant("丁预备", False)), ("入党介绍人须为正式党员", "丁预备")),
        ((FULL, Participant("本人", True, is_self=True)), ("本人不能担任",)),
        ((FULL, FULL), ("重复",)),
    ],
)
def test_introducers_are_two_other_full_members(participants, words):
    verdict = propose(
        through(S.CANDIDATE_FILED),
        S.INTRODUCERS_ASSIGNED,
        DATES[S.INTRODUCERS_ASSIGNED],
        participants=participants,
    )
    assert_refused(verdict, *words)


@pytest.mark.parametrize(
    ("days", "hours", "ok"),
    [
        (2, 23, False),
        (0, 23, False),
        (3, 0, True),
        (0, 24, True),
        (2, 24, True),
        (None, None, False),
    ],
)
def test_training_of_three_days_or_twenty_four_hours(days, hours, ok):
    verdict = propose(
        through(S.POLITICAL_REVIEW),
        S.TRAINING,
        DATES[S.TRAINING],
        training_days=days,
        training_hours=hours,
    )
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "不少于三天")


def test_training_more_than_a_year_before_the_assembly_is_refused():
    trained = DATES[S.TRAINING]
    pipeline = through(S.APPLICATION_FORM)
    assert propose(pipeline, S.ASSEMBLY_VOTE, add_years(trained, 1), vote=PASSING_VOTE).ok
    assert_refused(
        propose(pipeline, S.ASSEMBLY_VOTE, add_years(trained, 1) + DAY, vote=PASSING_VOTE),
        "一年以内",
    )


# ---- stage 4: the assembly vote and the approval -------------------------------------
@pytest.mark.parametrize(
    ("vote", "words"),
    [
        (Vote(10, 5, 5, 0, 0), ("半数以上有表决权的党员到会",)),  # quorum: 5 of 10 is not more
        (Vote(10, 9, 5, 4, 0), ("赞成人数须超过应到会",)),  # 5 yes of 10 entitled
        (Vote(10, 8, 6, 1, 0), ("表决票数不符",)),  # 6 + 1 + 0 ≠ 8
        (Vote(10, 11, 11, 0, 0), ("超过应到人数",)),
        (Vote(10, 8, -1, 9, 0), ("负数",)),
        (None, ("须登记表决结果",)),
    ],
)
def test_an_assembly_vote_is_refused_without_quorum_majority_or_a_sound_tally(vote, words):
    verdict = propose(
        through(S.APPLICATION_FORM), S.ASSEMBLY_VOTE, DATES[S.ASSEMBLY_VOTE], vote=vote
    )
    assert_refused(verdict, *words)


@pytest.mark.parametrize(
    ("vote", "ok"),
    [(Vote(10, 6, 6, 0, 0), True), (Vote(10, 6, 5, 1, 0), False), (Vote(9, 5, 5, 0, 0), True)],
)
def test_the_smallest_quorum_and_majority_pass(vote, ok):
    verdict = propose(
        through(S.APPLICATION_FORM), S.ASSEMBLY_VOTE, DATES[S.ASSEMBLY_VOTE], vote=vote
    )
    assert verdict.ok is ok


ASSEMBLY = DATES[S.ASSEMBLY_VOTE]


@pytest.mark.parametrize(
    ("day", "late"),
    [
        (add_months(ASSEMBLY, 3) - DAY, False),
        (add_months(ASSEMBLY, 3), False),
        (add_months(ASSEMBLY, 3) + DAY, True),
    ],
)
def test_an_approval_after_three_months_is_accepted_but_flagged(day, late):
    verdict = propose(through(S.COMMITTEE_TALK), S.APPROVAL, day)
    assert verdict.ok
    assert bool(verdict.flags) is late


def test_the_admission_dates_from_the_assembly():
    pipeline = through(S.COMMITTEE_TALK)
    proposal = Proposal(S.APPROVAL, DATES[S.APPROVAL])
    assert rules.effective_on(pipeline, proposal) == ASSEMBLY


# ---- stage 5: probation, extension, full membership ----------------------------------
PROBATION_ENDS = add_years(ASSEMBLY, 1)


@pytest.mark.parametrize(
    ("day", "ok"),
    [(PROBATION_ENDS - DAY, False), (PROBATION_ENDS, True), (PROBATION_ENDS + DAY, True)],
)
def test_no_full_membership_vote_before_the_year_of_probation_ends(day, ok):
    verdict = propose(through(S.FULL_APPLICATION), S.FULL_ASSEMBLY_VOTE, day, vote=PASSING_VOTE)
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "预备期满", str(PROBATION_ENDS))


@pytest.mark.parametrize(
    ("day", "ok"),
    [(PROBATION_ENDS - DAY, False), (PROBATION_ENDS, True), (PROBATION_ENDS + DAY, True)],
)
def test_no_full_approval_before_the_year_of_probation_ends(day, ok):
    pipeline = through(S.FULL_APPLICATION)
    pipeline.records.append(Recorded(S.FULL_ASSEMBLY_VOTE, PROBATION_ENDS - 10 * DAY))
    assert propose(pipeline, S.FULL_APPROVAL, day).ok is ok


def test_full_membership_dates_from_the_end_of_probation():
    pipeline = through(S.FULL_ASSEMBLY_VOTE)
    late_approval = Proposal(S.FULL_APPROVAL, PROBATION_ENDS + 20 * DAY)
    assert rules.effective_on(pipeline, late_approval) == PROBATION_ENDS


@pytest.mark.parametrize(
    ("months", "ok"), [(5, False), (6, True), (12, True), (13, False), (None, False)]
)
def test_an_extension_is_six_to_twelve_months(months, ok):
    verdict = propose(
        through(S.OATH), S.PROBATION_EXTENDED, DATES[S.OATH] + DAY, extension_months=months,
        vote=PASSING_VOTE,
    )  # fmt: skip
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "不能少于半年")


def test_probation_may_be_extended_only_once_and_moves_the_end():
    pipeline = through(S.OATH)
    pipeline.records.append(Recorded(S.PROBATION_EXTENDED, DATES[S.OATH] + DAY, extension_months=6))
    assert pipeline.probation_ends_on == add_months(PROBATION_ENDS, 6)
    verdict = propose(pipeline, S.PROBATION_EXTENDED, DATES[S.OATH] + 2 * DAY, extension_months=6)
    assert_refused(verdict, "只能延长一次")


def test_after_cancellation_nothing_more_is_recorded():
    pipeline = through(S.OATH)
    pipeline.records.append(Recorded(S.PROBATION_CANCELLED, DATES[S.OATH] + DAY))
    assert_refused(propose(pipeline, S.FULL_APPLICATION, PROBATION_ENDS), "取消预备党员资格")
    assert pipeline.stage_code is None


# ---- order, repetition, dates --------------------------------------------------------
@pytest.mark.parametrize(
    ("done", "proposed", "missing"),
    [
        (None, S.APPLICATION_TALK, "递交入党申请书"),
        (S.APPLICATION, S.ACTIVIST_CONFIRMED, "党组织派人谈话"),
        (S.ACTIVIST_CONFIRMED, S.CANDIDATE_CONFIRMED, "入党积极分子报上级党委备案"),
        (S.TRAINING, S.ASSEMBLY_VOTE, "填写入党志愿书"),
        (S.ASSEMBLY_VOTE, S.APPROVAL, "上级党委派人谈话"),
        (S.APPROVAL, S.FULL_ASSEMBLY_VOTE, "提出转正申请"),
    ],
)
def test_a_step_out_of_order_is_refused_naming_what_is_missing(done, proposed, missing):
    pipeline = through(done) if done else Pipeline([], birth_date=BORN)
    verdict = propose(pipeline, proposed, TODAY - DAY, vote=PASSING_VOTE)
    assert_refused(verdict, "步骤顺序不符", missing)


def test_a_step_is_recorded_once_unless_it_repeats():
    pipeline = through(S.ACTIVIST_REVIEW)
    assert_refused(propose(pipeline, S.ACTIVIST_FILED, DATES[S.ACTIVIST_REVIEW]), "不能重复登记")
    later = add_months(DATES[S.ACTIVIST_REVIEW], 6)
    assert propose(pipeline, S.ACTIVIST_REVIEW, later).ok


def test_a_step_dated_before_its_prerequisite_is_refused():
    verdict = propose(through(S.APPLICATION), S.APPLICATION_TALK, APPLIED - DAY)
    assert_refused(verdict, "早于前一步骤")


def test_a_future_step_is_refused():
    verdict = rules.check(through(S.APPLICATION), Proposal(S.APPLICATION_TALK, TODAY + DAY), TODAY)
    assert_refused(verdict, "晚于今天")


def test_an_imported_milestone_stands_for_its_stage():
    imported = Pipeline([Recorded(S.ACTIVIST_CONFIRMED, D(2023, 1, 10), imported=True)])
    assert imported.has(S.APPLICATION_TALK) and imported.has(S.CULTIVATORS_ASSIGNED)
    assert propose(imported, S.CANDIDATE_CONFIRMED, D(2024, 1, 10)).ok
    assert_refused(propose(imported, S.CANDIDATE_CONFIRMED, D(2024, 1, 9)), "一年以上")
    assert_refused(propose(imported, S.ACTIVIST_FILED, D(2024, 1, 9)), "导入的历史记录")


# ---- what is due ---------------------------------------------------------------------
def test_due_items_follow_the_pipeline():
    applied = Pipeline([Recorded(S.APPLICATION, D(2024, 1, 31))])
    assert [(d.code, d.due_on) for d in rules.due_items(applied)] == [
        (S.APPLICATION_TALK, D(2024, 2, 29))
    ]
    reviewed = through(S.ACTIVIST_REVIEW)
    review_due = add_months(DATES[S.ACTIVIST_REVIEW], 6)
    assert [(d.code, d.due_on) for d in rules.due_items(reviewed)] == [
        (S.ACTIVIST_REVIEW, review_due)
    ]
    voted = through(S.ASSEMBLY_VOTE)
    assert (S.APPROVAL, add_months(ASSEMBLY, 3)) in [
        (d.code, d.due_on) for d in rules.due_items(voted)
    ]
    approved = through(S.OATH)
    assert [(d.code, d.due_on) for d in rules.due_items(approved)] == [
        (S.FULL_ASSEMBLY_VOTE, PROBATION_ENDS)
    ]
    assert rules.due_items(through(S.FULL_APPROVAL)) == []


def test_an_imported_activist_is_due_for_review_from_today_not_years_ago():
    imported = Pipeline([Recorded(S.ACTIVIST_CONFIRMED, D(2020, 3, 15), imported=True)])
    (due,) = rules.due_items(imported, D(2026, 11, 23))
    assert due.due_on == D(2027, 3, 15)
    assert not due.overdue(D(2026, 11, 23))


# ---- 公示 before the pre-review, 应到 against the roll, the extension's vote -----------
@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2025, 3, 3), D(2025, 3, 7), 5),  # Monday to Friday
        (D(2025, 3, 3), D(2025, 3, 9), 5),  # the weekend adds nothing
        (D(2025, 3, 7), D(2025, 3, 13), 5),  # Friday to Thursday
        (D(2025, 3, 7), D(2025, 3, 12), 4),
        (D(2025, 3, 8), D(2025, 3, 9), 0),  # a weekend
        (D(2025, 3, 3), D(2025, 3, 2), 0),
        (D(2025, 3, 3), D(2025, 3, 30), 20),
    ],
)
def test_working_days(start, end, days):
    assert rules.working_days(start, end) == days


NOTICE_FROM = DATES[S.PUBLIC_NOTICE]


@pytest.mark.parametrize(("working_days", "ok"), [(4, False), (5, True), (6, True)])
def test_the_public_notice_lasts_five_working_days(working_days, ok):
    end = NOTICE_FROM
    while rules.working_days(NOTICE_FROM, end) < working_days:
        end += DAY
    verdict = propose(through(S.COMMITTEE_REVIEW), S.PUBLIC_NOTICE, NOTICE_FROM, notice_ends_on=end)
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "公示期不少于 5 个工作日", "共 4 个工作日")


def test_the_notice_length_is_configurable_and_needs_an_end():
    end = NOTICE_FROM + 14 * DAY
    verdict = propose(
        through(S.COMMITTEE_REVIEW), S.PUBLIC_NOTICE, NOTICE_FROM, notice_ends_on=end,
        notice_working_days=15,
    )  # fmt: skip
    assert_refused(verdict, "不少于 15 个工作日")
    assert_refused(
        propose(through(S.COMMITTEE_REVIEW), S.PUBLIC_NOTICE, NOTICE_FROM), "公示截止日期"
    )


def test_the_pre_review_needs_the_notice_and_comes_after_its_end():
    before_notice = propose(through(S.COMMITTEE_REVIEW), S.PRE_REVIEW, DATES[S.PRE_REVIEW])
    assert_refused(before_notice, "须先完成“发展对象公示”")
    ends = NOTICE_FROM + 7 * DAY
    assert_refused(propose(through(S.PUBLIC_NOTICE), S.PRE_REVIEW, ends), "公示期满后", str(ends))
    assert propose(through(S.PUBLIC_NOTICE), S.PRE_REVIEW, ends + DAY).ok


def test_objections_raised_in_the_notice_are_flagged_at_the_pre_review():
    pipeline = through(S.COMMITTEE_REVIEW)
    pipeline.records.append(
        Recorded(S.PUBLIC_NOTICE, NOTICE_FROM, notice_ends_on=NOTICE_FROM + 7 * DAY,
                 objections="有群众反映其工作纪律问题")
    )  # fmt: skip
    verdict = propose(pipeline, S.PRE_REVIEW, DATES[S.PRE_REVIEW])
    assert verdict.ok and "有群众反映其工作纪律问题" in verdict.flags[0]


@pytest.mark.parametrize(("code", "after"), [(S.ASSEMBLY_VOTE, S.APPLICATION_FORM),
                                            (S.FULL_ASSEMBLY_VOTE, S.FULL_APPLICATION)])  # fmt: skip
@pytest.mark.parametrize(
    ("full_members", "ok"), [(10, True), (11, False), (9, False), (None, True)]
)
def test_the_tally_names_the_branchs_full_members_as_entitled(code, after, full_members, ok):
    day = DATES[code]
    verdict = propose(through(after), code, day, vote=PASSING_VOTE, full_members=full_members)
    assert verdict.ok is ok
    if not ok:
        assert_refused(verdict, "登记为 10 名", f"该日支部正式党员为 {full_members} 名")


def test_an_extension_needs_the_assemblys_vote():
    day = DATES[S.OATH] + DAY
    no_vote = propose(through(S.OATH), S.PROBATION_EXTENDED, day, extension_months=6)
    assert_refused(no_vote, "须登记表决结果")
    short = Vote(entitled=10, present=8, yes=5, no=3, abstain=0)
    assert_refused(
        propose(through(S.OATH), S.PROBATION_EXTENDED, day, extension_months=6, vote=short),
        "赞成人数须超过应到会有表决权的正式党员的半数",
    )


# ---- history on paper: the roster's stage dates ---------------------------------------
@pytest.mark.parametrize(
    ("stages", "problem"),
    [
        ({"applicant": D(2018, 5, 9)}, "未满 18 周岁"),  # born 2000-05-10
        ({"applicant": D(2018, 5, 10)}, None),
        ({"activist": D(2020, 3, 1), "candidate": D(2021, 2, 28)}, "不满一年"),
        ({"activist": D(2020, 3, 1), "candidate": D(2021, 3, 1)}, None),
        ({"probationary": D(2021, 6, 1), "full": D(2022, 6, 1)}, None),
        ({"probationary": D(2021, 6, 1), "full": D(2022, 5, 31)}, "预备期不是一年"),
        ({"probationary": D(2021, 6, 1), "full": D(2022, 6, 2)}, "预备期不是一年"),
        ({"probationary": D(2021, 6, 1), "full": D(2022, 12, 1)}, None),  # extended by six
        ({"probationary": D(2021, 6, 1), "full": D(2023, 6, 1)}, None),  # extended by twelve
        ({"probationary": D(2021, 6, 1), "full": D(2023, 6, 2)}, "预备期不是一年"),
        ({"probationary": D(2021, 6, 1), "full": D(2022, 11, 30)}, "预备期不是一年"),
        ({}, None),
    ],
)
def test_history_on_paper_that_breaks_a_time_rule(stages, problem):
    found = rules.history_irregularities(BORN, stages)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0]


# ---- the property: never a full member in under a year of probation ------------------
ALL_CODES = list(SPECS)
RETRIED = (S.CANDIDATE_CONFIRMED, S.FULL_ASSEMBLY_VOTE, S.FULL_APPROVAL)


def build_sequence(randint, choice) -> list[tuple[str, int, int]]:
    """(step, days after the previous attempt, extension months) attempts: the 25 steps in
    their order after random gaps (so the time rules bite), with random other attempts —
    any step, extensions of any length — mixed in, and early and repeated tries at the
    full-membership vote and approval."""
    sequence = []
    for spec in SEQUENCE:
        for _ in range(randint(0, 2)):
            sequence.append((choice(ALL_CODES), randint(0, 20), randint(0, 14)))
        sequence.append((spec.code, randint(0, 60), randint(0, 14)))
        # Try again: soon for any step, much later for the time-gated ones.
        later = (0, 150) if spec.code in RETRIED else (0, 5)
        sequence += [(spec.code, randint(*later), 0) for _ in range(4)]
    return sequence


def run(attempts) -> tuple[Pipeline, int]:
    """Apply the attempts the rules accept; returns the pipeline and how many refusals."""
    pipeline = Pipeline([], birth_date=D(1990, 1, 1))
    day, refused = D(2015, 1, 1), 0
    for code, gap, months in attempts:
        day += dt.timedelta(days=gap)
        proposal = Proposal(
            code=code,
            done_on=day,
            participants=(FULL, FULL2),
            vote=PASSING_VOTE,
            training_days=3,
            extension_months=months,
            notice_ends_on=day + 7 * DAY,
        )
        if rules.check(pipeline, proposal, TODAY).ok:
            effective = rules.effective_on(pipeline, proposal)
            pipeline.records.append(
                Recorded(code, day, effective, extension_months=months,
                         notice_ends_on=proposal.notice_ends_on)
            )  # fmt: skip
        else:
            refused += 1
    return pipeline, refused


@st.composite
def attempted_sequences(draw):
    return build_sequence(
        lambda lo, hi: draw(st.integers(lo, hi)), lambda items: draw(st.sampled_from(items))
    )


@settings(max_examples=300, deadline=None)
@given(attempted_sequences())
def test_no_accepted_sequence_admits_a_full_member_in_under_a_year(attempts):
    """Whatever is tried, the steps the rules accept never make a full member less than
    a year (plus any extension) after the admission."""
    pipeline, _ = run(attempts)
    if pipeline.is_full:
        earliest = add_months(add_years(pipeline.assembly_on, 1), pipeline.extension_months)
        full = pipeline.last(S.FULL_APPROVAL)
        assert full.effective_on >= earliest
        assert full.done_on >= earliest
        assert pipeline.on(S.FULL_ASSEMBLY_VOTE) >= earliest


def test_the_generated_sequences_do_reach_full_membership():
    """Guards the property against passing vacuously: sequences of the same shape mostly
    end in a full member, and refusals happen on the way."""
    rng = random.Random(7)
    outcomes = [run(build_sequence(rng.randint, rng.choice)) for _ in range(200)]
    assert sum(p.is_full for p, _ in outcomes) >= 100
    assert all(refused for _, refused in outcomes)
