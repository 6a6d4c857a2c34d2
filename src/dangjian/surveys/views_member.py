"""The member's survey pages (phone first): the surveys open to answer, those answered,
and closed ones whose results are public; answering one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.pages import private

from . import queries, rules, services
from .forms import AnswerForm
from .pages import member_person, member_survey, state_of
from .services import SurveyError

MAX_LISTED = 50


@login_required
def my_surveys(request):
    """Open ones first (to answer, then answered), then the closed with public results."""
    person = member_person(request)
    now = timezone.now()
    surveys = queries.for_member(person)
    open_now = list(surveys.filter(queries.open_q(now)).order_by("answered", "closes_at", "pk"))
    closed = list(
        surveys.filter(closes_at__lte=now, results_public=True).order_by("-closes_at", "pk")[
            :MAX_LISTED
        ]
    )
    context = {
        "to_answer": [s for s in open_now if not s.answered],
        "answered": [s for s in open_now if s.answered],
        "closed": closed,
    }
    return private(render(request, "surveys/mine.html", context))


@login_required
def answer(request, pk: int):
    survey = member_survey(request, pk)
    now = timezone.now()
    state = state_of(survey, now)
    questions = survey.questions.prefetch_related("options")
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(survey, request.user.person, form.given(), by=request.user)
        except SurveyError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已提交，谢谢参与。"))
            return redirect("surveys:mine")
    context = {
        "survey": survey,
        "state": state,
        "form": form,
        "can_answer": state["code"] == rules.OPEN and not survey.answered,
    }
    return private(render(request, "surveys/answer.html", context))
