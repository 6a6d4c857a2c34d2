"""Builders for the survey tests: a survey with questions, published or not, and a
member who logs in."""

import datetime as dt
import itertools

from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.surveys import services
from dangjian.surveys.services import SurveyInput
from tests.factories import make_member, make_user

SINGLE = ("single", "您对支部活动是否满意", ["满意", "基本满意", "不满意"], None)
MULTIPLE = ("multiple", "希望开展哪些活动", ["党课", "志愿服务", "参观学习", "读书会"], 2)
TEXT = ("text", "意见和建议", [], None)
_names = itertools.count(1)


def a_survey(org, *, questions=(SINGLE, MULTIPLE, TEXT), anonymous=True, publish=True,
             results_public=False, opens=-1, closes=24, is_vote=False, title="支部工作问卷"):  # fmt: skip
    """A survey opening `opens` hours from now and closing `closes` hours from now."""
    now = timezone.now()
    survey = services.create_survey(
        org,
        SurveyInput(
            title=title, opens_at=now + dt.timedelta(hours=opens),
            closes_at=now + dt.timedelta(hours=closes), is_anonymous=anonymous,
            results_public=results_public, is_vote=is_vote,
        ),
    )  # fmt: skip
    for kind, text, options, max_picks in questions:
        services.add_question(survey, kind=kind, text=text, options=options, max_picks=max_picks)
    if publish:
        services.publish(survey, now=now + dt.timedelta(hours=min(opens, 0) - 1))
    survey.refresh_from_db()
    return survey


def member_account(org, **person):
    """A Party member of `org` with a member account linked to them."""
    member = make_member(org, **person)
    user = make_user(f"member{next(_names)}", Role.MEMBER, org)
    member.user = user
    member.save(update_fields=["user"])
    return member, user


def given(survey, picks: dict[int, list[int]] | None = None, text: str = "") -> dict:
    """Answers: the option indexes picked per question number (default: the first of
    each choice question), and `text` for the free-text questions."""
    picks = picks or {}
    answers = {}
    for number, question in enumerate(survey.questions.prefetch_related("options"), 1):
        options = list(question.options.all())
        if question.has_options:
            answers[question.pk] = [options[i].pk for i in picks.get(number, [0])]
        else:
            answers[question.pk] = text
    return answers
