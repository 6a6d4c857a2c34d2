"""The office's restructuring pages that move people: split a branch, merge branches, end
a temporary branch. Each shows how many go where (and what the rules warn of) for
confirmation before anything is written; 返回修改 brings the filled-in form back."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.core.pages import bounded_int, private

from .forms import (
    DEPARTMENT_LIST,
    SPLIT_DEFAULT_BRANCHES,
    SPLIT_MAX_BRANCHES,
    AssignmentForm,
    DayForm,
    MergeForm,
    NewBranchForm,
    ReturnForm,
)
from .models import Organization, OrgKind
from .restructuring import (
    end_temporary,
    home_branches,
    merge,
    people_of,
    plan_merge,
    plan_split,
    plan_temporary_end,
    split,
)
from .services import OrgError, hospital_of
from .views_restructure import hospital_departments, open_org


def _confirming(request) -> bool:
    return request.method == "POST" and "confirm" in request.POST and "back" not in request.POST


def _previewing(request) -> bool:
    """A POST to check and show the plan (not 增加一行 nor 返回修改)."""
    return request.method == "POST" and not ({"more", "back", "by_department"} & set(request.POST))


def _branch_rows(request) -> int:
    """How many new-branch rows the split page shows: the form's count, one more after
    增加一个新支部."""
    if request.method != "POST":
        return SPLIT_DEFAULT_BRANCHES
    rows = bounded_int(request.POST.get("form-TOTAL_FORMS"), SPLIT_DEFAULT_BRANCHES, 1, 99)
    if "more" in request.POST:
        rows += 1
    return max(2, min(rows, SPLIT_MAX_BRANCHES))


@login_required
def split_branch(request, code: str):
    """拆分: new branches entered on the page, a select per person, then confirmation."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    people = people_of(org)
    rows = _branch_rows(request)
    formset_class = forms.formset_factory(NewBranchForm, extra=rows, max_num=SPLIT_MAX_BRANCHES)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["form-TOTAL_FORMS"] = str(rows)
        if "by_department" in data:
            _assign_by_department(data, people, rows)
    formset = formset_class(data)
    day = DayForm(data)
    assignment = AssignmentForm(data, people=people, branches=rows)
    context = {
        "org": org,
        "formset": formset,
        "day": day,
        "assignment": assignment,
        "departments": hospital_departments(org),
        "department_list": DEPARTMENT_LIST,
        "errors": [],
    }
    if _previewing(request):
        valid = [f.is_valid() for f in (formset, day, assignment)]
        if all(valid):
            try:
                branches, assignments = _split_input(formset, assignment)
                plan = plan_split(org, branches, assignments, day.cleaned_data["on"])
                if _confirming(request):
                    created = split(
                        org, branches, assignments, day.cleaned_data["on"], by=request.user
                    )
                    names = "、".join(o.name for o in created)
                    messages.success(
                        request,
                        _("已将 %(old)s 拆分为 %(new)s，%(n)s 人已转入新支部。")
                        % {"old": org.name, "new": names, "n": plan.moved},
                    )
                    return redirect("orgs:detail", code=org.code)
                context["plan"] = plan
            except OrgError as exc:
                context["errors"].append(str(exc))
    return private(render(request, "orgs/split.html", context))


def _assign_by_department(data, people, rows: int) -> None:
    """按科室自动选择: each person not yet given a branch goes to the new branch whose
    department bears the name of theirs."""
    by_name = {}
    for row in range(rows):
        by_name.setdefault(data.get(f"form-{row}-department", "").strip(), row)
    by_name.pop("", None)
    for person in people:
        key = f"person_{person.pk}"
        if not data.get(key) and person.department and person.department.name in by_name:
            data[key] = str(by_name[person.department.name])


def _split_input(formset, assignment) -> tuple[list, dict]:
    """The filled-in rows as new branches and each person's row as an index into them;
    a person sent to a row left blank is refused."""
    filled = {i: form.new_branch() for i, form in enumerate(formset) if form.has_changed()}
    position = {row: n for n, row in enumerate(filled)}
    assignments = {}
    for person_pk, row in assignment.chosen().items():
        if row not in position:
            raise OrgError(_("新支部 %(n)s 未填写编码和名称") % {"n": row + 1})
        assignments[person_pk] = position[row]
    return list(filled.values()), assignments


@login_required
def merge_branches(request, code: str):
    """合并: this branch and other branches of the same parent into one of them or a new
    branch, then confirmation."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    siblings = (
        Organization.objects.get_siblings(org)
        .filter(kind=OrgKind.BRANCH, is_temporary=False, dissolved_on__isnull=True)
        .order_by("path")
    )
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, branches=siblings, initial={"sources": [org]})
    new = NewBranchForm(data, prefix="new")
    context = {
        "org": org,
        "form": form,
        "new": new,
        "departments": hospital_departments(org),
        "department_list": DEPARTMENT_LIST,
        "errors": [],
    }
    if _previewing(request) and form.is_valid():
        into = form.cleaned_data["into"]
        if into is None and not new.is_valid():
            context["errors"].append(_("请填写新支部的编码和名称，或选择并入的支部"))
        else:
            sources = list(form.cleaned_data["sources"])
            branch = new.new_branch() if into is None else None
            on = form.cleaned_data["on"]
            try:
                plan = plan_merge(sources, on, into=into, new=branch)
                if _confirming(request):
                    target = merge(sources, on, into=into, new=branch, by=request.user)
                    messages.success(
                        request,
                        _("已将 %(from)s 合并为 %(to)s，%(n)s 人已转入。")
                        % {
                            "from": "、".join(o.name for o in sources),
                            "to": target.name,
                            "n": plan.moved,
                        },
                    )
                    return redirect("orgs:detail", code=target.code)
                context["plan"] = plan
            except OrgError as exc:
                context["errors"].append(str(exc))
    return private(render(request, "orgs/merge.html", context))


@login_required
def end_temporary_branch(request, code: str):
    """结束临时党支部: each person goes back to a standing branch (their branch before it,
    where that is still open), then confirmation."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    if not org.is_temporary:
        messages.error(request, _("%(name)s 不是临时党支部。") % {"name": org.name})
        return redirect("orgs:detail", code=org.code)
    people = people_of(org)
    hospital = hospital_of(org)
    branches = list(
        Organization.objects.filter(
            path__startswith=hospital.path if hospital else org.path,
            kind=OrgKind.BRANCH,
            is_temporary=False,
            dissolved_on__isnull=True,
        ).order_by("path")
    )
    data = request.POST if request.method == "POST" else None
    homes = home_branches(people, org)
    initial = {f"person_{p.pk}": homes[p.pk].pk for p in people if p.pk in homes}
    returns = ReturnForm(data, people=people, branches=branches, initial=initial)
    day = DayForm(data, label=_("结束日期"))
    context = {"org": org, "returns": returns, "day": day, "errors": []}
    if _previewing(request) and returns.is_valid() and day.is_valid():
        chosen, on = returns.chosen(), day.cleaned_data["on"]
        try:
            plan = plan_temporary_end(org, chosen, on)
            if _confirming(request):
                moved = end_temporary(org, chosen, on, by=request.user)
                messages.success(
                    request,
                    _("%(name)s 已结束，%(n)s 人已回到原支部。") % {"name": org.name, "n": moved},
                )
                return redirect("orgs:detail", code=org.code)
            context["plan"] = plan
        except OrgError as exc:
            context["errors"].append(str(exc))
    return private(render(request, "orgs/end_temporary.html", context))
