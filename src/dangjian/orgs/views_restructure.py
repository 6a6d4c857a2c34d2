"""The office's organisation pages that move nobody: a new organisation below this one,
a rename, a joint branch's departments, and dissolving an empty organisation (shown for
confirmation first). Every page is reached from the organisation's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.core.pages import private

from .forms import DEPARTMENT_LIST, DayForm, JointForm, NewOrganizationForm, RenameForm
from .models import Department
from .pages import registry_org
from .rules import CHILD_KINDS
from .services import (
    NOT_DISSOLVED_HERE,
    OrgError,
    create_organization,
    dissolve_organization,
    hospital_of,
    joint_departments,
    open_children,
    open_members,
    rename,
    set_joint_departments,
)


def open_org(request, code: str):
    """The organisation kept by the user, or a redirect to its page when it is dissolved
    (nothing more can change there)."""
    org = registry_org(request, code)
    if org.dissolved_on is not None:
        messages.error(request, _("该组织已撤销，不能再调整。"))
        return org, redirect("orgs:detail", code=org.code)
    return org, None


def hospital_departments(org):
    hospital = hospital_of(org)
    return Department.objects.filter(hospital=hospital) if hospital else Department.objects.none()


@login_required
def new_child(request, code: str):
    """新建下级组织."""
    parent, closed = open_org(request, code)
    if closed:
        return closed
    if not CHILD_KINDS[parent.kind]:
        messages.error(request, _("党小组之下不能再设立组织。"))
        return redirect("orgs:detail", code=parent.code)
    form = NewOrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = create_organization(
                parent, code=data["code"], name=data["name"], kind=data["kind"],
                department_name=data["department"], department_category=data["category"],
                founded_on=data["founded_on"],
                is_temporary=data["is_temporary"], planned_end_on=data["planned_end_on"],
                by=request.user,
            )  # fmt: skip
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已新建 %(name)s。") % {"name": org.name})
            return redirect("orgs:detail", code=org.code)
    context = {
        "org": parent,
        "form": form,
        "title": _("新建下级组织"),
        "submit": _("新建"),
        "departments": hospital_departments(parent),
        "department_list": DEPARTMENT_LIST,
    }
    return private(render(request, "orgs/org_form.html", context))


@login_required
def rename_org(request, code: str):
    """更名: the old name stays as a former name."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    form = RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old = org.name
        try:
            rename(org, form.cleaned_data["name"], form.cleaned_data["on"], by=request.user)
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已将 %(old)s 更名为 %(new)s。") % {"old": old, "new": org.name}
            )
            return redirect("orgs:detail", code=org.code)
    context = {
        "org": org,
        "form": form,
        "title": _("更名"),
        "submit": _("保存"),
        "lead": _("原名称“%(name)s”将作为曾用名保留在组织页面。") % {"name": org.name},
        "former_names": list(org.former_names.all()),
    }
    return private(render(request, "orgs/org_form.html", context))


@login_required
def joint(request, code: str):
    """联合党支部: the departments a branch covers (two to five)."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    current = joint_departments(org)
    initial = {"departments": current or ([org.department] if org.department else [])}
    form = JointForm(request.POST or None, departments=hospital_departments(org), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = set_joint_departments(
                org, list(data["departments"]), data["on"], by=request.user
            )
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("已保存联合党支部涵盖的科室。"))
            else:
                messages.info(request, _("没有改动。"))
            return redirect("orgs:detail", code=org.code)
    context = {
        "org": org,
        "form": form,
        "title": _("联合党支部科室"),
        "submit": _("保存"),
        "lead": _(
            "联合党支部由相邻或相近的科室联合组建，覆盖单位一般不超过5个；"
            "本支部的对应科室须在其中。"
        ),
    }
    return private(render(request, "orgs/org_form.html", context))


@login_required
def dissolve(request, code: str):
    """撤销: GET shows what stands in the way or what it will do; POST the confirmation;
    POST with `confirm` the dissolution."""
    org, closed = open_org(request, code)
    if closed:
        return closed
    form = DayForm(request.POST or None, label=_("撤销日期"))
    members = open_members(org).count()
    children = list(open_children(org).only("code", "name", "path", "depth"))
    seats = list(org.seats.filter(ended_on__isnull=True).select_related("person"))
    context = {
        "org": org,
        "form": form,
        "members": members,
        "children": children,
        "seats": seats,
        "not_here": org.kind in NOT_DISSOLVED_HERE,
    }
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            try:
                dissolve_organization(org, form.cleaned_data["on"], by=request.user)
            except OrgError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已撤销 %(name)s。") % {"name": org.name})
                return redirect("orgs:detail", code=org.code)
        else:
            context["confirming"] = True
    return private(render(request, "orgs/dissolve.html", context))
