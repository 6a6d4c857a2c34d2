"""Every change in 学习教育: publish a course and its materials, keep the question bank,
set a course's exam, start and submit an attempt (scored on the server), complete a
course. Each validates with rules.py, runs in one transaction and writes an audit entry;
completing a course credits its hours once through meetings.study_credit."""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.meetings.study_credit import record_course_study
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import rules
from .models import (
    Attempt,
    Completion,
    Course,
    CourseDocument,
    CourseVideo,
    Exam,
    Question,
)
from .rules import DrawMode


class LearningError(ValueError):
    """A refused change; the message is Chinese."""


def _refuse(problems: list[str]) -> None:
    if problems:
        raise LearningError("；".join(problems))


def _check_audience(course: Course, person: Person) -> None:
    if not person.organization.path.startswith(course.organization.path):
        raise LearningError("本课程不面向您所在的党组织")


# ---- courses ---------------------------------------------------------------------------
def _course_problems(title: str, hours, year) -> list[str]:
    problems = [] if title.strip() else ["请填写课程名称"]
    if problem := rules.course_hours_problem(hours):
        problems.append(problem)
    if not 2000 <= int(year) <= 2100:
        problems.append("年度须在 2000 至 2100 之间")
    return problems


@transaction.atomic
def publish_course(
    org: Organization, *, title: str, description: str = "", hours, required: bool, year: int,
    by=None,
) -> Course:  # fmt: skip
    """A course for the members of `org`'s subtree."""
    _refuse(_course_problems(title, hours, year))
    course = Course.objects.create(
        organization=org, title=title.strip(), description=description.strip(),
        hours=Decimal(str(hours)), required=bool(required), year=int(year), created_by=by,
    )  # fmt: skip
    audit.record(
        "learning.course", actor=by, obj=course, org_path=org.path,
        summary={"title": course.title, "hours": str(course.hours), "year": course.year},
    )  # fmt: skip
    return course


@transaction.atomic
def change_course(
    course: Course, *, title: str, description: str = "", hours, required: bool, year: int,
    by=None,
) -> Course:  # fmt: skip
    """Correct a course. Hours already credited for it stay as they were credited."""
    _refuse(_course_problems(title, hours, year))
    before = {"title": course.title, "hours": str(course.hours), "year": course.year}
    course.title, course.description = title.strip(), description.strip()
    course.hours, course.required, course.year = Decimal(str(hours)), bool(required), int(year)
    course.save(update_fields=["title", "description", "hours", "required", "year"])
    audit.record(
        "learning.course_changed", actor=by, obj=course, org_path=course.organization.path,
        summary={"before": before, "title": course.title, "hours": str(course.hours),
                 "year": course.year},
    )  # fmt: skip
    return course


@transaction.atomic
def add_documents(course: Course, uploads, *, by=None) -> list[CourseDocument]:
    """Several documents at once: all stored, or, when one is refused, none."""
    uploads = list(uploads)
    if not uploads:
        raise LearningError("请选择要上传的文件")
    _refuse([problem for upload in uploads if (problem := upload_problem(upload))])
    stored = [CourseDocument.store(upload, by=by, course=course) for upload in uploads]
    audit.record(
        "learning.document", actor=by, obj=course, org_path=course.organization.path,
        summary={"files": [d.original_name for d in stored]},
    )  # fmt: skip
    return stored


@transaction.atomic
def add_video(course: Course, *, title: str, url: str, by=None) -> CourseVideo:
    problems = [] if title.strip() else ["请填写视频名称"]
    if problem := rules.video_link_problem(url):
        problems.append(problem)
    _refuse(problems)
    video = CourseVideo.objects.create(course=course, title=title.strip(), url=url.strip())
    audit.record(
        "learning.video", actor=by, obj=course, org_path=course.organization.path,
        summary={"title": video.title, "url": video.url},
    )  # fmt: skip
    return video


# ---- the question bank -----------------------------------------------------------------
@dataclass
class QuestionInput:
    kind: str
    text: str
    options: list[str]
    answer: list[int]
    explanation: str = ""
    course: Course | None = None


@transaction.atomic
def save_question(
    hospital: Organization, data: QuestionInput, *, question: Question | None = None, by=None
) -> Question:
    """Add a question to the hospital's bank, or change one (`question`)."""
    options = rules.question_options(data.kind, data.options)
    _refuse(rules.question_problems(data.kind, data.text, options, data.answer))
    if data.course is not None and not data.course.organization.path.startswith(hospital.path):
        raise LearningError("所属课程不属于本院")
    question = question or Question(organization=hospital)
    question.kind, question.text, question.options = data.kind, data.text.strip(), options
    question.answer = sorted(set(data.answer))
    question.explanation, question.course = data.explanation.strip(), data.course
    question.save()
    audit.record(
        "learning.question", actor=by, obj=question, org_path=hospital.path,
        summary={"kind": question.kind, "text": question.text[:60]},
    )  # fmt: skip
    return question


# ---- exams -----------------------------------------------------------------------------
@transaction.atomic
def set_exam(
    course: Course, *, mode: str, questions=(), draw_count: int | None = None,
    pass_mark: int = rules.DEFAULT_PASS_MARK, opens_at=None, closes_at=None,
    max_attempts: int | None = None, by=None,
) -> Exam:  # fmt: skip
    """Set (or change) the course's exam. Fixed questions come from the hospital's bank;
    a random exam draws from the questions tagged with the course."""
    questions = list(questions)
    bank = course.organization.hospital_path
    if any(not q.organization.path.startswith(bank) for q in questions):
        raise LearningError("只能选用本院题库中的题目")
    pool = course.questions.count()
    _refuse(
        rules.exam_settings_problems(
            pass_mark, opens_at, closes_at, mode, len(questions), draw_count, pool
        )
    )
    exam, _ = Exam.objects.update_or_create(
        course=course,
        defaults={
            "mode": mode, "draw_count": draw_count if mode == DrawMode.RANDOM else None,
            "pass_mark": pass_mark, "opens_at": opens_at, "closes_at": closes_at,
            "max_attempts": max_attempts or None,
        },
    )  # fmt: skip
    exam.questions.set(questions if mode == DrawMode.FIXED else [])
    audit.record(
        "learning.exam", actor=by, obj=course, org_path=course.organization.path,
        summary={"mode": mode, "questions": len(questions), "draw": draw_count,
                 "pass_mark": pass_mark, "max_attempts": max_attempts},
    )  # fmt: skip
    return exam


def _draw(exam: Exam, rng: random.Random) -> list[int]:
    if exam.mode == DrawMode.FIXED:
        return list(exam.questions.order_by("pk").values_list("pk", flat=True))
    pool = list(exam.course.questions.order_by("pk").values_list("pk", flat=True))
    return rng.sample(pool, min(exam.draw_count or 0, len(pool)))


@transaction.atomic
def start_attempt(exam: Exam, person: Person, *, now: dt.datetime | None = None, rng=None):
    """The member's open attempt, or a new one with its questions drawn, if the window,
    the attempts limit and a pass not yet made allow it."""
    now = now or timezone.now()
    exam = Exam.objects.select_for_update().select_related("course__organization").get(pk=exam.pk)
    _check_audience(exam.course, person)
    mine = Attempt.objects.filter(exam=exam, person=person)
    open_attempt = mine.filter(submitted_at__isnull=True).first()
    if open_attempt is not None:
        return open_attempt
    made = mine.count()
    problem = rules.exam_problem(
        timezone.localtime(now), exam.opens_at and timezone.localtime(exam.opens_at),
        exam.closes_at and timezone.localtime(exam.closes_at), made, exam.max_attempts,
        mine.filter(passed=True).exists(),
    )  # fmt: skip
    _refuse([problem] if problem else [])
    drawn = _draw(exam, rng or random.Random())
    if not drawn:
        raise LearningError("本次考试还没有题目，请联系党委办公室")
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam, person=person, number=made + 1, question_ids=drawn, started_at=now
            )
    except IntegrityError as race:  # the same member started twice at once
        raise LearningError("考试已在另一处开始，请刷新页面") from race
    audit.record(
        "learning.attempt", actor=person.user if person.user_id else None, obj=exam.course,
        org_path=person.organization.path, summary={"person": person.pk, "number": made + 1},
    )  # fmt: skip
    return attempt


def _given(raw) -> list[int]:
    values = raw if isinstance(raw, list | tuple) else [raw]
    try:
        return sorted({int(v) for v in values if str(v).strip() != ""})
    except (TypeError, ValueError) as bad:
        raise LearningError("答案格式不正确，请重新作答") from bad


@transaction.atomic
def submit_attempt(attempt: Attempt, answers: dict, *, now: dt.datetime | None = None):
    """Score the attempt on the server (every question weighs the same; a multiple-choice
    question is all or nothing) and, when it passes, complete the course. Refused after
    the exam's window closed or for an attempt already submitted; nothing is written."""
    now = now or timezone.now()
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("exam__course__organization", "person__organization")
        .get(pk=attempt.pk)
    )
    exam = attempt.exam
    if attempt.submitted_at is not None:
        raise LearningError("本次作答已交卷，不能重复提交")
    if exam.closes_at and now > exam.closes_at:
        raise LearningError("考试已结束，答卷未能提交")
    questions = Question.objects.in_bulk(attempt.question_ids)
    kept, correct = {}, 0
    for pk in attempt.question_ids:
        given = _given(answers.get(str(pk), []))
        question = questions.get(pk)
        if question is not None and any(i >= len(question.options) for i in given):
            raise LearningError("答案不是题目中的选项，请重新作答")
        kept[str(pk)] = given
        correct += question is not None and rules.is_correct(question.answer, given)
    attempt.answers = kept
    attempt.submitted_at = now
    attempt.score = rules.score(correct, len(attempt.question_ids))
    attempt.passed = rules.passed(attempt.score, exam.pass_mark)
    attempt.save(update_fields=["answers", "submitted_at", "score", "passed"])
    audit.record(
        "learning.submit", actor=attempt.person.user if attempt.person.user_id else None,
        obj=exam.course, org_path=attempt.person.organization.path,
        summary={"person": attempt.person_id, "number": attempt.number, "score": attempt.score,
                 "passed": attempt.passed},
    )  # fmt: skip
    if attempt.passed:
        _complete(exam.course, attempt.person, now)
    return attempt


# ---- completion ------------------------------------------------------------------------
def _complete(course: Course, person: Person, now: dt.datetime) -> Completion:
    found = Completion.objects.filter(course=course, person=person).first()
    if found is not None:
        return found
    by = person.user if person.user_id else None
    study = record_course_study(
        person, title=f"网络课程：{course.title}", hours=course.hours,
        studied_on=timezone.localdate(now), by=by,
    )  # fmt: skip
    completion = Completion.objects.create(
        course=course, person=person, completed_at=now, study=study
    )
    audit.record(
        "learning.complete", actor=by, obj=course, org_path=person.organization.path,
        summary={"person": person.pk, "hours": str(course.hours)},
    )  # fmt: skip
    return completion


@transaction.atomic
def complete_course(course: Course, person: Person, *, now: dt.datetime | None = None):
    """The member finished a course's materials: its hours are credited once. A course
    with an exam is completed by passing the exam instead."""
    _check_audience(course, person)
    if Exam.objects.filter(course=course).exists():
        raise LearningError("本课程须通过考试才能完成")
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one completion at once
    return _complete(course, person, now or timezone.now())
