"""Recording steps through the service: what is written, what a refusal leaves behind,
and how the person's political status follows the pipeline."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import AuditEntry
from dangjian.development.models import DevelopmentStep, StepParticipant
from dangjian.development.rules import Vote
from dangjian.development.services import DevelopmentError, StepInput, record_step
from dangjian.development.steps import StepCode
from dangjian.people.models import Status, StatusPeriod
from tests.factories import make_member

from .builders import (
    advance,
    branch_vote,
    fill_branch,
    input_for,
    new_applicant,
    sponsors,
    step_dates,
)

pytestmark = pytest.mark.django_db
S = StepCode
APPLIED = dt.date(2022, 3, 1)
DATES = step_dates(APPLIED)


@pytest.fixture
def branch(two_hospitals):
    _, (_, b1, _), _ = two_hospitals
    return b1


def periods(person):
    return list(
        StatusPeriod.objects.filter(person=person)
        .order_by("started_on", "id")
        .values_list("status", "started_on", "ended_on")
    )


def test_a_full_pipeline_ends_in_full_membership_dated_from_the_end_of_probation(branch):
    person = new_applicant(branch)
    advance(person, S.ARCHIVED, APPLIED)
    assembly = DATES[S.ASSEMBLY_VOTE]
    assert periods(person) == [
        ("applicant", APPLIED, DATES[S.ACTIVIST_CONFIRMED]),
        ("activist", DATES[S.ACTIVIST_CONFIRMED], DATES[S.CANDIDATE_CONFIRMED]),
        ("candidate", DATES[S.CANDIDATE_CONFIRMED], assembly),
        ("probationary", assembly, dt.date(assembly.year + 1, assembly.month, assembly.day)),
        ("full", dt.date(assembly.year + 1, assembly.month, assembly.day), None),
    ]
    assert person.development_steps.count() == 26  # the 25 steps and the 公示
    assert (
        AuditEntry.objects.filter(action="development.step", object_id=str(person.pk)).count() == 26
    )


def test_a_refused_step_writes_nothing(branch):
    person = new_applicant(branch)
    advance(person, S.ACTIVIST_REVIEW, APPLIED)
    before = (DevelopmentStep.objects.count(), periods(person), AuditEntry.objects.count())
    too_early = DATES[S.ACTIVIST_CONFIRMED] + dt.timedelta(days=334)  # 11 months
    with pytest.raises(DevelopmentError) as refused:
        record_step(person, StepInput(S.CANDIDATE_CONFIRMED, too_early), today=too_early)
    assert "一年以上" in refused.value.reasons[0]
    assert (DevelopmentStep.objects.count(), periods(person), AuditEntry.objects.count()) == before


def test_a_late_talk_is_written_with_its_flag(branch):
    person = new_applicant(branch)
    record_step(person, StepInput(S.APPLICATION, dt.date(2024, 1, 31)))
    step = record_step(
        person, StepInput(S.APPLICATION_TALK, dt.date(2024, 3, 1), actor="示例谈话人")
    )
    assert step.is_late and "一个月内" in step.late_note
    assert step.actor == "示例谈话人"


def test_introducers_are_checked_against_their_status_on_the_day(branch):
    person = new_applicant(branch)
    advance(person, S.CANDIDATE_FILED, APPLIED)
    full = make_member(branch, status=Status.FULL, since=dt.date(2000, 1, 1))
    probationary = make_member(branch, status=Status.PROBATIONARY, since=dt.date(2021, 1, 1))
    day = DATES[S.INTRODUCERS_ASSIGNED]
    with pytest.raises(DevelopmentError, match="入党介绍人须为正式党员"):
        record_step(
            person,
            StepInput(S.INTRODUCERS_ASSIGNED, day, participants=[full, probationary]),
            today=day,
        )
    other_full = make_member(branch, status=Status.FULL, since=dt.date(2000, 1, 1))
    step = record_step(
        person, StepInput(S.INTRODUCERS_ASSIGNED, day, participants=[full, other_full]), today=day
    )
    assert set(StepParticipant.objects.filter(step=step).values_list("person", "role")) == {
        (full.pk, "introducer"),
        (other_full.pk, "introducer"),
    }


def test_the_vote_and_documents_are_kept(branch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = new_applicant(branch)
    advance(person, S.APPLICATION_FORM, APPLIED)
    day = DATES[S.ASSEMBLY_VOTE]
    fill_branch(branch, 12)
    data = input_for(S.ASSEMBLY_VOTE, day)
    data.vote = Vote(entitled=12, present=10, yes=9, no=0, abstain=1)
    data.documents = [("vote_tally", SimpleUploadedFile("表决记录.pdf", b"%PDF-1.4 tally"))]
    step = record_step(person, data, today=day)
    assert (step.entitled_voters, step.present_voters, step.votes_yes, step.votes_abstain) == (
        12,
        10,
        9,
        1,
    )
    document = step.documents.get()
    assert document.original_name == "表决记录.pdf" and document.file.read() == b"%PDF-1.4 tally"


def test_a_tally_that_does_not_add_up_is_refused(branch):
    person = new_applicant(branch)
    advance(person, S.APPLICATION_FORM, APPLIED)
    day = DATES[S.ASSEMBLY_VOTE]
    data = input_for(S.ASSEMBLY_VOTE, day)
    data.vote = Vote(entitled=12, present=10, yes=9, no=2, abstain=1)
    with pytest.raises(DevelopmentError, match="表决票数不符"):
        record_step(person, data, today=day)
    assert not person.development_steps.filter(code=S.ASSEMBLY_VOTE).exists()


def test_an_extension_moves_the_end_of_probation(branch):
    person = new_applicant(branch)
    advance(person, S.OATH, APPLIED)
    day = DATES[S.OATH] + dt.timedelta(days=1)
    extension = StepInput(S.PROBATION_EXTENDED, day, extension_months=6)
    extension.vote = branch_vote(person, day)  # the branch assembly decides it
    record_step(person, extension, today=day)
    ends = DATES[S.FULL_ASSEMBLY_VOTE]  # one year after the assembly
    record_step(person, StepInput(S.FULL_APPLICATION, ends), today=ends)
    with pytest.raises(DevelopmentError, match="预备期满"):
        record_step(person, input_for(S.FULL_ASSEMBLY_VOTE, ends), today=ends)


def test_a_cancelled_probation_leaves_the_person_outside_the_party(branch):
    person = new_applicant(branch)
    advance(person, S.OATH, APPLIED)
    day = DATES[S.OATH] + dt.timedelta(days=30)
    record_step(
        person, StepInput(S.PROBATION_CANCELLED, day, note="示例：未履行党员义务"), today=day
    )
    assert periods(person)[-1][0] == "probationary" and periods(person)[-1][2] == day
    assert not StatusPeriod.objects.filter(person=person, ended_on__isnull=True).exists()


def test_participants_on_a_step_without_them_are_refused(branch):
    person = new_applicant(branch)
    helpers = sponsors(branch, 1)
    with pytest.raises(DevelopmentError, match="不登记培养联系人"):
        record_step(person, StepInput(S.APPLICATION, dt.date(2024, 1, 1), participants=helpers))


def test_figures_sent_with_a_step_that_does_not_carry_them_are_refused(branch):
    person = new_applicant(branch)
    data = StepInput(S.APPLICATION, dt.date(2024, 1, 1), training_days=3, extension_months=6)
    data.vote = Vote(entitled=3, present=3, yes=3, no=0, abstain=0)
    with pytest.raises(DevelopmentError) as refused:
        record_step(person, data)
    assert {"不登记表决结果", "不登记培训天数或学时", "不登记延长月数"} <= {
        reason.split("”")[-1] for reason in refused.value.reasons
    }
    assert not person.development_steps.exists()
