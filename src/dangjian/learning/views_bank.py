"""The hospital's question bank (题库): the list, adding and changing a question. Its
Party office keeps it; the questions are never shown to members outside an exam."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from . import services
from .forms import ImportForm, QuestionForm
from .importer import COLUMNS, import_questions
from .models import Course, Question
from .pages import PAGE_SIZE, chosen_hospital, try_service
from .permissions import may_keep_bank
from .rules import OPTION_LETTERS
from .services import LearningError


def _kept_hospital(request) -> Organization:
    hospital = chosen_hospital(request)
    if not may_keep_bank(request.user, hospital):
        raise PermissionDenied(_("只有党委办公室可以维护题库"))
    return hospital


@login_required
def bank(request):
    hospital = chosen_hospital(request)
    questions = (
        Question.objects.filter(organization=hospital).select_related("course").order_by("-pk")
    )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "learning/bank.html",
        {"hospital": hospital, "page": page, "questions": page.object_list,
         "can_keep": may_keep_bank(request.user, hospital), "extra_query": f"org={hospital.code}",
         "import_form": ImportForm(), "columns": "、".join(COLUMNS)},
    )  # fmt: skip


def _courses_of(hospital: Organization):
    return Course.objects.filter(organization__path__startswith=hospital.path).order_by(
        "-year", "title"
    )


def _edit(request, hospital: Organization, question: Question | None):
    initial = {}
    if question is not None:
        initial = {
            "kind": question.kind, "text": question.text, "course": question.course_id,
            "options": "" if question.kind == "true_false" else "\n".join(question.options),
            "answer": question.answer_letters, "explanation": question.explanation,
        }  # fmt: skip
    form = QuestionForm(request.POST or None, initial=initial, courses=_courses_of(hospital))
    if request.method == "POST" and try_service(
        form,
        lambda d: services.save_question(
            hospital, services.QuestionInput(**d), question=question, by=request.user
        ),
    ):
        messages.success(request, _("题目已保存"))
        return redirect(f"{reverse('learning:bank')}?org={hospital.code}")
    return render(
        request, "learning/question.html",
        {"hospital": hospital, "form": form, "question": question, "letters": OPTION_LETTERS},
    )  # fmt: skip


@login_required
def question_new(request):
    return _edit(request, _kept_hospital(request), None)


@login_required
def question_edit(request, pk: int):
    scoped = scope_for(request.user).filter_by_org(Question.objects, "organization__path")
    question = get_object_or_404(scoped.select_related("organization"), pk=pk)
    if not may_keep_bank(request.user, question.organization):
        raise PermissionDenied(_("只有党委办公室可以维护题库"))
    return _edit(request, question.organization, question)


@login_required
@require_POST
def bank_import(request):
    """Questions from a workbook: all added, or none with every row's reason."""
    hospital = _kept_hospital(request)
    form = ImportForm(request.POST, request.FILES)
    back = redirect(f"{reverse('learning:bank')}?org={hospital.code}")
    if not form.is_valid():
        messages.error(request, _("请选择要导入的工作簿"))
        return back
    try:
        added = import_questions(form.cleaned_data["file"], hospital, by=request.user)
    except LearningError as refused:
        messages.error(request, _("未导入任何题目：%(why)s") % {"why": refused})
    else:
        messages.success(request, _("已导入 %(n)s 道题目") % {"n": added})
    return back


urlpatterns = [
    path("bank/import/", bank_import, name="bank_import"),
    path("bank/", bank, name="bank"),
    path("bank/new/", question_new, name="question_new"),
    path("bank/<int:pk>/", question_edit, name="question_edit"),
]
