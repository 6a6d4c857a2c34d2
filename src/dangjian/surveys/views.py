"""The author's survey pages: the list of an organisation's surveys, a new survey, one
survey (its questions while a draft, publishing, closing early), its settings, its
results (also members', when they may see them) and the results workbook.

Everything starts from `Survey.objects.visible_to(user)` (or, for a member's view of
the results, `queries.for_member`): a survey outside the user's reach answers 404.
Changing one needs write scope on its organisation (403 otherwise)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import client_ip, private
from dangjian.orgs.pages import chosen_org

from . import queries, services
from .forms import QuestionForm, SurveyForm
from .models import Question, Survey
from .pages import member_survey, state_of
from .permissions import may_author, may_manage, may_read_results, member_sees_results
from .services import SurveyError, SurveyInput

PAGE_SIZE = 30


def _input(form) -> SurveyInput:
    return SurveyInput(**form.cleaned_data)


@login_required
def survey_list(request):
    org = chosen_org(request)
    surveys = queries.with_turnout(queries.surveys_in(request.user, org))
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for survey in page:
        survey.state = state_of(survey, now)
    context = {
        "org": org,
        "page": page,
        "extra_query": f"org={org.code}",
        "can_author": may_author(request.user, org),
    }
    return private(render(request, "surveys/list.html", context))


@login_required
def survey_new(request):
    org = chosen_org(request)
    if not may_author(request.user, org):
        raise PermissionDenied(_("没有发起问卷的权限"))
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(org, _input(form), by=request.user)
        except SurveyError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("问卷已保存为草稿，请添加题目。"))
            return redirect("surveys:detail", pk=survey.pk)
    return private(render(request, "surveys/edit.html", {"org": org, "form": form}))


def _visible(request, pk: int) -> Survey:
    return get_object_or_404(
        Survey.objects.visible_to(request.user).select_related("organization"), pk=pk
    )


def _act(request, survey: Survey):
    """Run one POSTed action; the question form to show again when refused, else None."""
    action = request.POST.get("action", "")
    user = request.user
    form = None
    try:
        if action == "question":
            form = QuestionForm(request.POST)
            if not form.is_valid():
                return form
            data = form.cleaned_data
            services.add_question(
                survey, kind=data["kind"], text=data["text"], options=form.option_lines(),
                max_picks=data["max_picks"], by=user,
            )  # fmt: skip
        elif action == "remove":
            question = get_object_or_404(Question, survey=survey, pk=request.POST.get("question"))
            services.remove_question(question, by=user)
        elif action == "publish":
            services.publish(survey, by=user)
        elif action == "close":
            services.close_now(survey, by=user)
        else:
            raise Http404(_("未知的操作"))
    except SurveyError as refused:
        form = form or QuestionForm()
        form.add_error(None, str(refused))
        return form
    messages.success(request, _("已保存。"))
    return None


@login_required
def survey_detail(request, pk: int):
    survey = _visible(request, pk)
    can_manage = may_manage(request.user, survey)
    question_form = QuestionForm()
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("没有修改本问卷的权限"))
        refused = _act(request, survey)
        if refused is None:
            return redirect("surveys:detail", pk=survey.pk)
        question_form = refused
    context = {
        "survey": survey,
        "state": state_of(survey, timezone.now()),
        "questions": list(survey.questions.prefetch_related("options")),
        "answered": survey.responses.count(),
        "audience": queries.audience(survey).count(),
        "can_manage": can_manage,
        "question_form": question_form,
    }
    return private(render(request, "surveys/detail.html", context))


@login_required
def survey_edit(request, pk: int):
    survey = _visible(request, pk)
    if not may_manage(request.user, survey):
        raise PermissionDenied(_("没有修改本问卷的权限"))
    initial = {
        name: getattr(survey, name)
        for name in ("title", "description", "is_vote", "is_anonymous", "opens_at",
                     "closes_at", "results_public")
    }  # fmt: skip
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(survey, _input(form), by=request.user)
        except SurveyError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("问卷设置已修改。"))
            return redirect("surveys:detail", pk=survey.pk)
    context = {"org": survey.organization, "form": form, "survey": survey}
    return private(render(request, "surveys/edit.html", context))


def _readable(request, pk: int) -> tuple[Survey, bool]:
    """The survey whose results the user may see, and whether they see them as its
    author (who answered what, for a named survey); 404 otherwise."""
    found = Survey.objects.visible_to(request.user).select_related("organization")
    survey = found.filter(pk=pk).first()
    if survey is not None and may_read_results(request.user, survey):
        return survey, True
    survey = member_survey(request, pk)
    if not member_sees_results(survey, timezone.now()):
        raise Http404(_("结果尚未公开"))
    return survey, False


@login_required
def survey_results(request, pk: int):
    survey, as_author = _readable(request, pk)
    context = {
        "survey": survey,
        "state": state_of(survey, timezone.now()),
        "results": queries.results(survey),
        "responses": queries.named_answers(survey) if as_author else [],
        "as_author": as_author,
    }
    return private(render(request, "surveys/results.html", context))


@login_required
def survey_export(request, pk: int):
    """The results as a workbook, for the author's side; audited as an export."""
    from .export import build_workbook

    survey = _visible(request, pk)
    if not may_read_results(request.user, survey):
        raise Http404(_("问卷不存在"))
    today = timezone.localdate()
    content = build_workbook(survey, queries.results(survey), queries.named_answers(survey), today)
    audit.record(
        "surveys.export", actor=request.user, obj=survey, org_path=survey.organization.path,
        summary={"named": not survey.is_anonymous}, ip_address=client_ip(request),
    )  # fmt: skip
    name = f"{survey.organization.code}-问卷结果-{survey.pk}-{today:%Y%m%d}.xlsx"
    return private(FileResponse(content, as_attachment=True, filename=name))
