"""Exam pages: a course's exam settings (its managers), taking the exam on a phone (a
member of the course's audience), one attempt's result, and the results for the office
(who took it, scores, pass rate) with their Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import audit_read, client_ip, private

from . import rules, services
from .forms import ExamForm
from .models import Attempt, Exam, Question
from .pages import learner, managed_course, try_service, visible_course
from .permissions import may_read_results
from .queries import results_rows, results_summary
from .rules import OPTION_LETTERS


@login_required
def exam_edit(request, pk: int):
    course = managed_course(request, pk)
    exam = Exam.objects.filter(course=course).first()
    bank = Question.objects.filter(organization__path=course.organization.hospital_path).order_by(
        "pk"
    )
    initial = {}
    if exam is not None:
        initial = {
            "mode": exam.mode, "questions": list(exam.questions.values_list("pk", flat=True)),
            "draw_count": exam.draw_count, "pass_mark": exam.pass_mark,
            "opens_at": exam.opens_at and timezone.localtime(exam.opens_at),
            "closes_at": exam.closes_at and timezone.localtime(exam.closes_at),
            "max_attempts": exam.max_attempts,
        }  # fmt: skip
    form = ExamForm(request.POST or None, initial=initial, bank=bank)
    if request.method == "POST" and try_service(
        form, lambda d: services.set_exam(course, by=request.user, **d)
    ):
        messages.success(request, _("考试设置已保存"))
        return redirect("learning:course", course.pk)
    return render(
        request, "learning/exam_edit.html",
        {"course": course, "form": form, "pool": course.questions.count()},
    )  # fmt: skip


def _exam_of(request, pk: int) -> Exam:
    course = visible_course(request, pk)
    exam = Exam.objects.filter(course=course).select_related("course__organization").first()
    if exam is None:
        raise Http404(_("本课程没有考试"))
    return exam


def _paper(attempt: Attempt) -> list[dict]:
    """The attempt's questions in its order, each with its lettered options (and, once
    submitted, what was given and the right answer). One query."""
    questions = Question.objects.in_bulk(attempt.question_ids)
    paper = []
    for number, pk in enumerate(attempt.question_ids, start=1):
        q = questions.get(pk)
        if q is None:  # removed from the bank since: scored as wrong, shown as gone
            continue
        given = attempt.answers.get(str(pk), [])
        paper.append({
            "number": number, "question": q, "name": f"q-{pk}",
            "input": "checkbox" if q.kind == "multiple" else "radio",
            "options": [(i, OPTION_LETTERS[i], text, i in given) for i, text in enumerate(q.options)],
            "given": "".join(OPTION_LETTERS[i] for i in given) or "—",
            "right": q.answer_letters, "correct": sorted(given) == sorted(q.answer),
        })  # fmt: skip
    return paper


@login_required
def take(request, pk: int):
    """The member's exam: a button to start (or resume) an attempt, then its questions;
    submitting scores it on the server."""
    exam = _exam_of(request, pk)
    person = learner(request)
    mine = Attempt.objects.filter(exam=exam, person=person)
    attempt = mine.filter(submitted_at__isnull=True).first()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                services.start_attempt(exam, person)
                return redirect("learning:take", pk)
            if attempt is None:
                raise services.LearningError(_("没有进行中的考试，请先开始考试"))
            answers = {str(qid): request.POST.getlist(f"q-{qid}") for qid in attempt.question_ids}
            done = services.submit_attempt(attempt, answers)
            return redirect("learning:attempt", done.pk)
        except services.LearningError as refused:
            messages.error(request, str(refused))
            return redirect("learning:take", pk)
    return private(
        render(
            request,
            "learning/take.html",
            {
                "exam": exam,
                "course": exam.course,
                "attempt": attempt,
                "paper": _paper(attempt) if attempt else [],
                "made": mine.filter(submitted_at__isnull=False).count(),
                "passed": mine.filter(passed=True).exists(),
            },
        )  # fmt: skip
    )


@login_required
def attempt_result(request, pk: int):
    """One submitted attempt: the score, and each question with the answer given, the
    right one and the explanation once they can no longer help a retry. The member's own
    attempts only."""
    person = learner(request)
    attempt = get_object_or_404(
        Attempt.objects.select_related("exam__course"),
        pk=pk, person=person, submitted_at__isnull=False,
    )  # fmt: skip
    exam = attempt.exam
    made = Attempt.objects.filter(exam=exam, person=person).count()
    reveal = rules.answers_shown(
        attempt.passed, made, exam.max_attempts, exam.closes_at, timezone.now()
    )
    return private(
        render(
            request,
            "learning/attempt.html",
            {
                "attempt": attempt,
                "exam": exam,
                "course": exam.course,
                "paper": _paper(attempt),
                "reveal": reveal,
            },
        )  # fmt: skip
    )


def _results_exam(request, pk: int) -> Exam:
    exam = _exam_of(request, pk)
    if not may_read_results(request.user, exam.course):
        raise PermissionDenied(_("没有查看考试成绩的权限"))
    return exam


@login_required
def results(request, pk: int):
    exam = _results_exam(request, pk)
    course = exam.course
    audit_read(request, "learning.results", obj=course, org_path=course.organization.path)
    return private(
        render(
            request,
            "learning/results.html",
            {
                "exam": exam,
                "course": course,
                "rows": list(results_rows(exam)),
                "summary": results_summary(exam),
            },
        )  # fmt: skip
    )


@login_required
def results_export(request, pk: int):
    from .export import build_workbook

    exam = _results_exam(request, pk)
    course = exam.course
    content = build_workbook(exam)
    audit.record(
        "learning.export", actor=request.user, obj=course, org_path=course.organization.path,
        summary={"exam": exam.pk}, ip_address=client_ip(request),
    )  # fmt: skip
    today = timezone.localdate()
    return private(
        FileResponse(
            content,
            as_attachment=True,
            filename=f"{course.title[:40]}-考试成绩-{today:%Y%m%d}.xlsx",
        )
    )


urlpatterns = [
    path("course/<int:pk>/exam/edit/", exam_edit, name="exam_edit"),
    path("course/<int:pk>/exam/", take, name="take"),
    path("course/<int:pk>/results/", results, name="results"),
    path("course/<int:pk>/results.xlsx", results_export, name="results_export"),
    path("attempt/<int:pk>/", attempt_result, name="attempt"),
]
