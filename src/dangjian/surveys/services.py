"""Changes to surveys: write a draft and its questions, publish, close early, answer.
Each runs in one transaction, refuses with a Chinese message (SurveyError) before
writing anything, and is audited. An anonymous answer's audit entry says who answered
which survey (as the `Response` row does), never what they answered."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import queries, rules
from .models import Answer, Option, Question, QuestionKind, Response, Survey


class SurveyError(ValueError):
    """A refused change; the message is Chinese."""


@dataclass
class SurveyInput:
    title: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    description: str = ""
    is_vote: bool = False
    is_anonymous: bool = True
    results_public: bool = False


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("organization").get(pk=survey.pk)


def _refuse_published(survey: Survey) -> None:
    if survey.is_published:
        raise SurveyError("问卷已发布，题目和设置不能再修改")


def _check(data: SurveyInput) -> None:
    if problems := rules.survey_problems(data.title, data.opens_at, data.closes_at):
        raise SurveyError("；".join(problems))


@transaction.atomic
def create_survey(org: Organization, data: SurveyInput, *, by=None) -> Survey:
    """A draft for the members of `org`'s subtree."""
    _check(data)
    survey = Survey.objects.create(
        organization=org, title=data.title.strip(), description=data.description.strip(),
        is_vote=data.is_vote, is_anonymous=data.is_anonymous, opens_at=data.opens_at,
        closes_at=data.closes_at, results_public=data.results_public, created_by=by,
    )  # fmt: skip
    audit.record(
        "surveys.create", actor=by, obj=survey, org_path=org.path,
        summary={"title": survey.title, "anonymous": survey.is_anonymous},
    )  # fmt: skip
    return survey


def _fields(survey: Survey) -> dict:
    return {
        "title": survey.title, "description": survey.description, "is_vote": survey.is_vote,
        "is_anonymous": survey.is_anonymous, "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(), "results_public": survey.results_public,
    }  # fmt: skip


@transaction.atomic
def update_survey(survey: Survey, data: SurveyInput, *, by=None) -> Survey:
    survey = _locked(survey)
    _refuse_published(survey)
    _check(data)
    if data.is_vote and survey.questions.count() > 1:
        raise SurveyError("投票只能有一道题，请先删去多余的题目")
    was = _fields(survey)
    survey.title, survey.description = data.title.strip(), data.description.strip()
    survey.is_vote, survey.is_anonymous = data.is_vote, data.is_anonymous
    survey.opens_at, survey.closes_at = data.opens_at, data.closes_at
    survey.results_public = data.results_public
    survey.save()
    audit.record(
        "surveys.update", actor=by, obj=survey, org_path=survey.organization.path,
        summary={"changes": audit.changes(was, _fields(survey))},
    )  # fmt: skip
    return survey


@transaction.atomic
def add_question(
    survey: Survey, *, kind: str, text: str, options: list[str], max_picks: int | None = None,
    by=None,
) -> Question:  # fmt: skip
    survey = _locked(survey)
    _refuse_published(survey)
    options = [option.strip() for option in options]
    problems = rules.question_problems(kind, text, options, max_picks)
    if survey.is_vote and kind == QuestionKind.TEXT:
        problems.append("投票的题目须为选择题")
    if survey.is_vote and survey.questions.exists():
        problems.append("投票只有一道题")
    if problems:
        raise SurveyError("；".join(problems))
    question = Question.objects.create(
        survey=survey, order=survey.questions.count() + 1, text=text.strip(), kind=kind,
        max_picks=max_picks if kind == QuestionKind.MULTIPLE else None,
    )  # fmt: skip
    Option.objects.bulk_create(
        Option(question=question, order=i, text=option) for i, option in enumerate(options, 1)
    )
    audit.record(
        "surveys.question", actor=by, obj=survey, org_path=survey.organization.path,
        summary={"text": question.text, "kind": kind, "options": options},
    )  # fmt: skip
    return question


@transaction.atomic
def remove_question(question: Question, *, by=None) -> None:
    survey = _locked(question.survey)
    _refuse_published(survey)
    text = question.text
    question.delete()
    audit.record(
        "surveys.question_removed", actor=by, obj=survey, org_path=survey.organization.path,
        summary={"text": text},
    )  # fmt: skip


@transaction.atomic
def publish(survey: Survey, *, by=None, now: dt.datetime | None = None) -> Survey:
    """Open the draft to its audience at `opens_at`; its questions are fixed from now."""
    now = now or timezone.now()
    survey = _locked(survey)
    _refuse_published(survey)
    if not survey.questions.exists():
        raise SurveyError("请先添加题目再发布")
    if survey.closes_at <= now:
        raise SurveyError("截止时间已过，请先修改截止时间")
    survey.published_at = now
    survey.save(update_fields=["published_at"])
    audit.record(
        "surveys.publish", actor=by, obj=survey, org_path=survey.organization.path,
        summary={"audience": queries.audience(survey).count()},
    )  # fmt: skip
    return survey


@transaction.atomic
def close_now(survey: Survey, *, by=None, now: dt.datetime | None = None) -> Survey:
    """Close a published survey before its time (answers already given are kept)."""
    now = now or timezone.now()
    survey = _locked(survey)
    if rules.state(survey.is_published, survey.opens_at, survey.closes_at, now) != rules.OPEN:
        raise SurveyError("只有进行中的问卷可以提前截止")
    was = survey.closes_at
    survey.closes_at = now
    survey.save(update_fields=["closes_at"])
    audit.record(
        "surveys.close", actor=by, obj=survey, org_path=survey.organization.path,
        summary={"planned": was.isoformat()},
    )  # fmt: skip
    return survey


def answer_problems(survey: Survey, given: dict) -> tuple[list[str], list[Answer]]:
    """Check `given` ({question pk: [option pks] or text}) against the survey's questions;
    returns the Chinese problems and the unsaved answers."""
    problems, answers = [], []
    for number, question in enumerate(survey.questions.prefetch_related("options"), 1):
        value = given.get(question.pk)
        if question.kind == QuestionKind.TEXT:
            text = (value or "").strip() if isinstance(value, str) else ""
            picked = []
        else:
            text = ""
            ids = {int(v) for v in value or [] if str(v).isdigit()}
            picked = [o for o in question.options.all() if o.pk in ids]
            if len(picked) != len(ids):
                problems.append(f"第 {number} 题：所选项不属于本题")
                continue
        if problem := rules.answer_problem(question.kind, len(picked), text, question.max_picks):
            problems.append(f"第 {number} 题：{problem}")
        answers += [Answer(question=question, option=option) for option in picked]
        if text:
            answers.append(Answer(question=question, text=text))
    return problems, answers


@transaction.atomic
def answer(survey: Survey, person: Person, given: dict, *, by=None, now=None) -> Response:
    """Record the person's answers, once, while the survey is open, if they are in its
    audience. Anonymous answers are written without a link to the response."""
    now = now or timezone.now()
    survey = Survey.objects.select_related("organization").get(pk=survey.pk)
    survey_state = rules.state(survey.is_published, survey.opens_at, survey.closes_at, now)
    if survey_state != rules.OPEN:
        raise SurveyError("问卷已截止，不能再作答" if survey_state == rules.CLOSED
                          else "问卷尚未开始，不能作答")  # fmt: skip
    if not queries.audience(survey).filter(pk=person.pk).exists():
        raise SurveyError("您不在本问卷的范围内")
    if survey.responses.filter(person=person).exists():
        raise SurveyError("您已经答过本问卷，不能重复作答")
    problems, answers = answer_problems(survey, given)
    if problems:
        raise SurveyError("；".join(problems))
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, person=person)
    except IntegrityError as twice:  # a second submission racing the first
        raise SurveyError("您已经答过本问卷，不能重复作答") from twice
    for item in answers:
        item.response = None if survey.is_anonymous else response
    Answer.objects.bulk_create(answers)
    audit.record("surveys.answer", actor=by, obj=survey, org_path=survey.organization.path)
    return response
