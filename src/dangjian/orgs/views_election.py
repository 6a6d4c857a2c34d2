"""The office's election pages: record an election (换届选举) in two steps, the figures and
candidates, then a confirmation that shows the checks and who would be elected; and an
extension of the current term (延期换届) with its approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import private

from .committees import eligible_people
from .elections import (
    current_term,
    extend_term,
    hold_election,
    plan_election,
    revoke_election,
)
from .forms_election import (
    MAX_CANDIDATES,
    CandidateFormSet,
    ElectionForm,
    ExtensionForm,
    person_choices,
)
from .pages import kept_org
from .services import OrgError

MORE_ROWS = 3  # rows the 增加候选人 button adds


def _election_org(request, code: str):
    return kept_org(request, code, _("只有党委办公室可以登记换届选举"))


def _with_more_rows(data):
    """The posted data with a few more empty candidate rows."""
    data = data.copy()
    key = f"{CandidateFormSet().prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + MORE_ROWS, MAX_CANDIDATES))
    return data


def _candidates(formset) -> list:
    return [
        (f.cleaned_data["person"], f.cleaned_data["post"], f.cleaned_data["votes"])
        for f in formset.forms
        if f.cleaned_data
    ]


@login_required
def election(request, code: str):
    """GET: the form. POST: the confirmation; POST with `confirm`: the record; `edit` goes
    back to the form with what was entered, `more` adds candidate rows."""
    org = _election_org(request, code)
    people = eligible_people(org)
    rows = {"people": people, "choices": person_choices(list(people), org)}
    data = request.POST or None
    if data is not None and "more" in data:
        data = _with_more_rows(data)
    form = ElectionForm(data, org=org)
    formset = CandidateFormSet(data, form_kwargs=rows)
    context = {"org": org, "form": form, "formset": formset, "term": current_term(org),
               "quiet": data is not None and "more" in data}  # fmt: skip
    if data is None or "more" in data or not (form.is_valid() and formset.is_valid()):
        return private(render(request, "orgs/election.html", context))
    figures = {k: v for k, v in form.cleaned_data.items() if k != "note"}
    candidates = _candidates(formset)
    plan = plan_election(org, **figures, candidates=candidates)
    if not plan.ok:
        for problem in plan.problems:
            form.add_error(None, problem)
    elif "confirm" in data:
        try:
            hold_election(org, **figures, candidates=candidates, note=form.cleaned_data["note"],
                          by=request.user)  # fmt: skip
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            names = "、".join(r.person.name for r in plan.elected)
            messages.success(request, _("已登记换届选举，当选：%(names)s。") % {"names": names})
            return redirect("orgs:detail", code=org.code)
    elif "edit" not in data:
        context["plan"] = plan
    return private(render(request, "orgs/election.html", context))


@login_required
def extend(request, code: str):
    """延期换届: the current term's re-election moved, with the approving document."""
    org = kept_org(request, code, _("只有党委办公室可以登记延期换届"))
    term = current_term(org)
    if term is None:
        messages.error(request, _("尚未登记届次，不能延期换届"))
        return redirect("orgs:detail", code=org.code)
    initial = {"until": term.extended_to, "approval": term.extension_approval}
    form = ExtensionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extend_term(term, data["until"], data["approval"], by=request.user)
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            day = data["until"].isoformat()
            messages.success(request, _("已登记延期换届，换届日期延至 %(day)s。") % {"day": day})
            return redirect("orgs:detail", code=org.code)
    context = {"org": org, "form": form, "term": term}
    return private(render(request, "orgs/extend.html", context))


@login_required
@require_POST
def revoke(request, code: str, pk: int):
    """撤销误录 of the organisation's latest election, with the reason."""
    org = _election_org(request, code)
    election = get_object_or_404(org.elections, pk=pk)
    try:
        revoke_election(election, reason=request.POST.get("reason", ""), by=request.user)
    except OrgError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤销该次换届选举，原委员会恢复任职。"))
    return redirect("orgs:detail", org.code)
