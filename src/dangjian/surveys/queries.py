"""Reads of surveys shared by the pages and the export: who the audience is, which
surveys a member may answer, and the results by database aggregation."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from dangjian.orgs.models import Organization
from dangjian.people.models import MEMBER_STATUSES, Person

from . import rules
from .models import Answer, Option, Question, QuestionKind, Response, Survey


def members_of(org: Organization) -> QuerySet:
    """The Party members (full and probationary, now) of `org`'s subtree."""
    return Person.objects.filter(
        organization__path__startswith=org.path,
        statuses__ended_on__isnull=True,
        statuses__status__in=MEMBER_STATUSES,
    )


def audience(survey: Survey) -> QuerySet:
    return members_of(survey.organization)


def is_member_now(person: Person) -> bool:
    return person.statuses.filter(ended_on__isnull=True, status__in=MEMBER_STATUSES).exists()


def ancestor_paths(org: Organization) -> list[str]:
    """The paths of `org` and every organisation above it."""
    return [org.path[:n] for n in range(org.steplen, len(org.path) + 1, org.steplen)]


def for_member(person: Person) -> QuerySet:
    """Published surveys addressed to the person's organisation or one above it, each
    with `answered` (whether the person has answered it)."""
    return (
        Survey.objects.filter(
            published_at__isnull=False,
            organization__path__in=ancestor_paths(person.organization),
        )
        .select_related("organization")
        .annotate(answered=Exists(Response.objects.filter(survey=OuterRef("pk"), person=person)))
    )


def with_turnout(qs: QuerySet) -> QuerySet:
    """Surveys with `answered_count`, counted in the same query (grouped), newest first."""
    return (
        qs.select_related("organization")
        .annotate(answered_count=Count("responses"))
        .order_by("-opens_at", "-pk")
    )


@dataclass
class QuestionResult:
    question: Question
    options: list[dict] = field(default_factory=list)  # text, count, percent
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    answered: int
    audience: int
    questions: list[QuestionResult]

    @property
    def turnout(self) -> float:
        return rules.percent(self.answered, self.audience)


def results(survey: Survey) -> Results:
    """Counts and percentages per option, turnout and free-text answers: four queries
    whatever the number of answers. An option's percentage is of the respondents (every
    respondent answers every choice question), so a multiple choice sums above 100%."""
    answered = survey.responses.count()
    size = audience(survey).count()
    questions = {q.pk: QuestionResult(q) for q in survey.questions.all()}
    options = (
        Option.objects.filter(question__survey=survey)
        .annotate(count=Count("answers"))
        .order_by("question__order", "question_id", "order", "pk")
    )
    for option in options:
        questions[option.question_id].options.append(
            {"text": option.text, "count": option.count,
             "percent": rules.percent(option.count, answered)}
        )  # fmt: skip
    texts = (
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("question_id", "text", "id")  # never insertion order (models docstring)
        .values_list("question_id", "text")
    )
    for question_id, text in texts:
        questions[question_id].texts.append(text)
    return Results(survey, answered, size, list(questions.values()))


def named_answers(survey: Survey) -> list[Response]:
    """Who answered what, for a named survey: each response with its answers and their
    options. Three queries. An anonymous survey has none to show."""
    if survey.is_anonymous:
        return []
    answers = Answer.objects.select_related("option", "question").order_by(
        "question__order", "question_id", "option__order"
    )
    return list(
        survey.responses.select_related("person__organization")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("person__organization__path", "person__name", "pk")
    )


def surveys_in(user, org: Organization) -> QuerySet:
    """The surveys the user may see, of `org`'s subtree."""
    return Survey.objects.visible_to(user).filter(organization__path__startswith=org.path)


def open_q(now) -> Q:
    return Q(published_at__isnull=False, opens_at__lte=now, closes_at__gt=now)


def to_answer(person: Person, now) -> QuerySet:
    """The open surveys the person has not answered yet, closing soonest first (the
    member's home lists them; `surveys:answer` opens one, `surveys:mine` all)."""
    return for_member(person).filter(open_q(now), answered=False).order_by("closes_at", "pk")
