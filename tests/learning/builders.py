"""Builders for the learning tests: a member who logs in, a course, a bank of questions
and an exam through the services (as an office would make them)."""

import datetime as dt

from dangjian.accounts.models import Role
from dangjian.learning import services
from dangjian.learning.rules import DrawMode, QuestionKind
from dangjian.learning.services import QuestionInput
from tests.factories import make_member, make_user

YEAR = dt.date.today().year


def a_learner(branch, username: str):
    person = make_member(branch)
    person.user = make_user(username, Role.MEMBER, branch)
    person.save(update_fields=["user"])
    return person


def a_course(org, title="学习党章", hours="2", required=True, year=YEAR):
    return services.publish_course(org, title=title, hours=hours, required=required, year=year)


def a_bank(hospital, course=None):
    """Three questions: single (A), multiple (A and C), true/false (正确)."""
    return [
        services.save_question(hospital, QuestionInput(
            QuestionKind.SINGLE, "党的最高理想是？", ["实现共产主义", "发展经济"], [0], "党章总纲", course)),
        services.save_question(hospital, QuestionInput(
            QuestionKind.MULTIPLE, "三会一课包括？", ["支部党员大会", "职工大会", "党课"], [0, 2], "", course)),
        services.save_question(hospital, QuestionInput(
            QuestionKind.TRUE_FALSE, "党员每年学习不少于32学时。", [], [0], "", course)),
    ]  # fmt: skip


def an_exam(course, questions, **settings):
    return services.set_exam(
        course, mode=DrawMode.FIXED, questions=questions, pass_mark=settings.pop("pass_mark", 60),
        **settings,
    )  # fmt: skip


# Answers by question order in a_bank: all right.
def right_answers(questions) -> dict:
    return {str(q.pk): [str(i) for i in q.answer] for q in questions}
