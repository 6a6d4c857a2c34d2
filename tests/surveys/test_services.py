"""Survey services: drafts and questions, publishing, answering once while open, the
anonymous answers that carry no person, the limits of a multiple choice, and results
counted by the database. A refused change says why in Chinese and writes nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.people.models import Status
from dangjian.surveys import queries, services
from dangjian.surveys.models import Answer, Question, Response, Survey
from dangjian.surveys.services import SurveyError, SurveyInput
from tests.factories import make_member

from .builders import MULTIPLE, SINGLE, TEXT, a_survey, given, member_account

pytestmark = pytest.mark.django_db


def test_a_named_survey_keeps_who_answered_what(world):
    survey = a_survey(world.ha, anonymous=False)
    member, user = member_account(world.ha_b1)
    response = services.answer(survey, member, given(survey, {1: [2], 2: [0, 1]}, "多组织读书会"),
                               by=user)  # fmt: skip
    rows = Answer.objects.filter(response=response)
    assert sorted(a.option.text for a in rows if a.option_id) == ["不满意", "党课", "志愿服务"]
    assert [a.text for a in rows if not a.option_id] == ["多组织读书会"]
    assert queries.named_answers(survey)[0].person == member


def test_anonymous_answers_carry_no_person(world):
    survey = a_survey(world.ha, anonymous=True)
    member, user = member_account(world.ha_b1)
    services.answer(survey, member, given(survey, text="建议多开展义诊"), by=user)
    assert Response.objects.filter(survey=survey, person=member).count() == 1
    answers = Answer.objects.filter(question__survey=survey)
    assert answers.count() == 3  # single, multiple (its first option), text
    assert not answers.filter(response__isnull=False).exists()
    # Nothing on an answer row leads to a person, a response or a time.
    fields = {f.name for f in Answer._meta.get_fields()}
    assert fields == {"id", "question", "option", "text", "response"}
    assert all(len(str(a.pk)) == 36 for a in answers)  # random keys, not a sequence
    entry = AuditEntry.objects.filter(action="surveys.answer").get()
    assert "建议" not in str(entry.summary) and not entry.summary


def test_answering_twice_is_refused(world):
    survey = a_survey(world.ha)
    member, user = member_account(world.ha_b1)
    services.answer(survey, member, given(survey), by=user)
    with pytest.raises(SurveyError, match="已经答过"):
        services.answer(survey, member, given(survey, {1: [1]}), by=user)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(question__survey=survey).count() == 2


@pytest.mark.parametrize(("opens", "closes", "message"), [(-48, -1, "已截止"), (2, 24, "尚未开始")])
def test_a_survey_not_open_refuses_answers(world, opens, closes, message):
    survey = a_survey(world.ha, opens=opens, closes=closes)
    member, user = member_account(world.ha_b1)
    with pytest.raises(SurveyError, match=message):
        services.answer(survey, member, given(survey), by=user)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_closing_early_stops_answers(world):
    survey = a_survey(world.ha)
    member, user = member_account(world.ha_b1)
    services.close_now(survey)
    with pytest.raises(SurveyError, match="已截止"):
        services.answer(survey, member, given(survey), by=user)


def test_multiple_choice_max_picks(world):
    survey = a_survey(world.ha, questions=[MULTIPLE])
    member, user = member_account(world.ha_b1)
    with pytest.raises(SurveyError, match="第 1 题：最多只能选择 2 项"):
        services.answer(survey, member, given(survey, {1: [0, 1, 2]}), by=user)
    with pytest.raises(SurveyError, match="请至少选择一项"):
        services.answer(survey, member, given(survey, {1: []}), by=user)
    assert not Response.objects.exists()
    services.answer(survey, member, given(survey, {1: [0, 3]}), by=user)
    assert Answer.objects.count() == 2


def test_an_option_of_another_question_is_refused(world):
    survey = a_survey(world.ha, questions=[SINGLE, MULTIPLE])
    member, user = member_account(world.ha_b1)
    answers = given(survey)
    first, second = survey.questions.all()
    answers[first.pk] = [second.options.first().pk]
    with pytest.raises(SurveyError, match="所选项不属于本题"):
        services.answer(survey, member, answers, by=user)
    assert not Response.objects.exists()


def test_only_the_audience_answers(world):
    survey = a_survey(world.ha_b1)
    outsider, user = member_account(world.ha_b2)
    with pytest.raises(SurveyError, match="不在本问卷的范围内"):
        services.answer(survey, outsider, given(survey), by=user)
    masses = make_member(world.ha_b1, status=Status.ACTIVIST)
    with pytest.raises(SurveyError, match="不在本问卷的范围内"):
        services.answer(survey, masses, given(survey))
    assert not Response.objects.exists()


def test_a_vote_has_one_choice_question(world):
    vote = a_survey(world.ha, questions=[SINGLE], is_vote=True, publish=False)
    with pytest.raises(SurveyError, match="投票只有一道题"):
        services.add_question(vote, kind="single", text="再一题", options=["甲", "乙"])
    text_vote = a_survey(world.ha, questions=[], is_vote=True, publish=False)
    with pytest.raises(SurveyError, match="投票的题目须为选择题"):
        services.add_question(text_vote, kind="text", text="说说看", options=[])
    assert Question.objects.filter(survey__in=[vote, text_vote]).count() == 1


def test_published_questions_are_fixed(world):
    survey = a_survey(world.ha)
    with pytest.raises(SurveyError, match="已发布"):
        services.add_question(survey, kind="text", text="补充", options=[])
    with pytest.raises(SurveyError, match="已发布"):
        services.remove_question(survey.questions.first())
    assert survey.questions.count() == 3


def test_publishing_needs_a_question_and_a_future_close(world):
    empty = a_survey(world.ha, questions=[], publish=False)
    with pytest.raises(SurveyError, match="请先添加题目"):
        services.publish(empty)
    late = a_survey(world.ha, questions=[TEXT], publish=False, opens=-5, closes=-1)
    with pytest.raises(SurveyError, match="截止时间已过"):
        services.publish(late)
    assert not Survey.objects.filter(published_at__isnull=False).exists()


def test_bad_survey_input_changes_nothing(world):
    now = timezone.now()
    with pytest.raises(SurveyError, match="截止时间须晚于开始时间"):
        services.create_survey(world.ha, SurveyInput(title="题", opens_at=now, closes_at=now))
    assert not Survey.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="surveys.").exists()


def test_results_count_percent_and_turnout(world):
    survey = a_survey(world.ha, questions=[SINGLE, MULTIPLE, TEXT])
    make_member(world.ha_b2)  # in the audience, does not answer
    for picks, text in [({1: [0], 2: [0, 1]}, "甲"), ({1: [0], 2: [1]}, ""),
                        ({1: [2], 2: [1, 3]}, "乙")]:  # fmt: skip
        member, user = member_account(world.ha_b1)
        services.answer(survey, member, given(survey, picks, text), by=user)
    found = queries.results(survey)
    assert (found.answered, found.audience, found.turnout) == (3, 4, 75.0)
    single, multiple, text = found.questions
    assert [(o["text"], o["count"], o["percent"]) for o in single.options] == [
        ("满意", 2, 66.7), ("基本满意", 0, 0.0), ("不满意", 1, 33.3)]  # fmt: skip
    assert [o["count"] for o in multiple.options] == [1, 3, 0, 1]
    assert sorted(text.texts) == ["乙", "甲"]


def test_results_take_the_same_queries_with_more_answers(world):
    survey = Survey.objects.select_related("organization").get(pk=a_survey(world.ha).pk)
    for _ in range(2):
        member, user = member_account(world.ha_b1)
        services.answer(survey, member, given(survey, text="好"), by=user)
    with CaptureQueriesContext(connection) as few:
        queries.results(survey)
    for _ in range(5):
        member, user = member_account(world.ha_b1)
        services.answer(survey, member, given(survey, {2: [0, 1]}, text="好"), by=user)
    with CaptureQueriesContext(connection) as more:
        queries.results(survey)
    assert len(few.captured_queries) == len(more.captured_queries)


def test_a_member_sees_surveys_of_their_organisation_and_above(world):
    hospital = a_survey(world.ha, title="全院")
    branch = a_survey(world.ha_b1, title="支部")
    a_survey(world.ha_b2, title="别的支部")
    a_survey(world.hb, title="别的医院")
    a_survey(world.ha, title="草稿", publish=False)
    member, _ = member_account(world.ha_b1)
    assert set(queries.for_member(member)) == {hospital, branch}


def test_update_survey_only_while_draft(world):
    draft = a_survey(world.ha, publish=False)
    now = timezone.now()
    data = SurveyInput(title="新标题", opens_at=now, closes_at=now + dt.timedelta(days=2),
                       is_anonymous=False)  # fmt: skip
    services.update_survey(draft, data)
    draft.refresh_from_db()
    assert (draft.title, draft.is_anonymous) == ("新标题", False)
    services.publish(draft)
    with pytest.raises(SurveyError, match="已发布"):
        services.update_survey(draft, SurveyInput(title="再改", opens_at=now,
                                                  closes_at=now + dt.timedelta(days=3)))  # fmt: skip
    draft.refresh_from_db()
    assert draft.title == "新标题"


def test_to_answer_lists_open_unanswered_surveys_closing_first(world):
    later = a_survey(world.ha, title="后截止", closes=48)
    sooner = a_survey(world.ha_b1, title="先截止", closes=5)
    answered = a_survey(world.ha, title="已答")
    a_survey(world.ha, title="已截止", opens=-48, closes=-1)
    a_survey(world.ha, title="未开始", opens=2, closes=48)
    member, user = member_account(world.ha_b1)
    services.answer(answered, member, given(answered), by=user)
    assert list(queries.to_answer(member, timezone.now())) == [sooner, later]
