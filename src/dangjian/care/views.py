"""The 困难党员 register: the list of a subtree, one entry with its history of help (and
the forms to record help and to mark 已脱困), entering and changing an entry.

Everything starts from `CareCase.objects.visible_to(user)`, which only the hospital
office and branch secretaries reach (`care.permissions`); anyone else gets 404. Every
read is audited, as the roster's personal data is."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.core.pages import private

from . import queries, services
from .forms import CaseForm, NewCaseForm, ResolveForm, VisitForm
from .models import CareVisit, CaseStatus
from .pages import audited, care_org, members_of, person_label, visible_case
from .services import CareError, CaseInput, VisitInput

PAGE_SIZE = 50


@login_required
def register(request):
    org = care_org(request)
    status = request.GET.get("status", CaseStatus.HELPING)
    if status not in (*CaseStatus.values, "all"):
        status = CaseStatus.HELPING
    cases = queries.cases_in(request.user, org)
    if status != "all":
        cases = cases.filter(status=status)
    cases = queries.register(cases).order_by("person__organization__path", "-since", "pk")
    audited(request, "care.list", org, status=status)
    context = {
        "org": org,
        "status": status,
        "statuses": [(CaseStatus.HELPING, _("帮扶中")), (CaseStatus.RESOLVED, _("已脱困")),
                     ("all", _("全部"))],
        "page": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": f"org={org.code}&status={status}",
    }  # fmt: skip
    return private(render(request, "care/register.html", context))


def _people_form(form_class, org, data=None, **kwargs):
    form = form_class(data, people=members_of(org), **kwargs)
    field = form.fields.get("person")
    if field is not None:
        field.label_from_instance = person_label
    return form


@login_required
def case_new(request):
    org = care_org(request)
    form = _people_form(NewCaseForm, org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                data["person"], CaseInput(data["hardship"], data["situation"], data["since"]),
                by=request.user,
            )  # fmt: skip
        except CareError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已登记。"))
            return redirect("care:case", pk=case.pk)
    return private(render(request, "care/case_edit.html", {"org": org, "form": form}))


def _act(request, case):
    """Run one POSTed action on the entry; the form to show again when refused."""
    action = request.POST.get("action", "")
    if action == "visit":
        form = VisitForm(request.POST)
        run = lambda d: services.record_visit(case.person, VisitInput(**d), by=request.user)  # noqa: E731
    elif action == "resolve":
        form = ResolveForm(request.POST)
        run = lambda d: services.resolve_case(case, d["resolved_on"], by=request.user)  # noqa: E731
    else:
        raise Http404(_("未知的操作"))
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except CareError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已保存。"))
            return action, None
    return action, form


@login_required
def case_detail(request, pk: int):
    case = visible_case(request, pk)
    forms = {"visit": VisitForm(initial={"reason": "hardship"}), "resolve": ResolveForm()}
    if request.method == "POST":
        action, refused = _act(request, case)
        if refused is None:
            return redirect("care:case", pk=case.pk)
        forms[action] = refused
    audited(request, "care.view", case.person.organization, case=case.pk)
    visits = CareVisit.objects.filter(person=case.person).select_related("recorded_by")
    context = {
        "case": case,
        "visits": list(visits),
        "other_cases": list(case.person.care_cases.exclude(pk=case.pk)),
        "forms": forms,
    }
    return private(render(request, "care/case.html", context))


@login_required
def case_edit(request, pk: int):
    case = visible_case(request, pk)
    initial = {"hardship": case.hardship, "situation": case.situation, "since": case.since}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(case, CaseInput(**form.cleaned_data), by=request.user)
        except CareError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已修改。"))
            return redirect("care:case", pk=case.pk)
    audited(request, "care.view", case.person.organization, case=case.pk)
    context = {"org": case.person.organization, "form": form, "case": case}
    return private(render(request, "care/case_edit.html", context))
