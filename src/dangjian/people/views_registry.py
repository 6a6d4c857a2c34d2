"""The office's registry pages: add and edit a person, record a 党籍 change or revoke a
mistaken one. A 党籍 change is shown for confirmation, with what it will do, before it is
recorded."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import private
from dangjian.orgs.models import Organization

from .forms import EndMobileForm, MobileForm, PersonForm, RevokeForm, StandingForm
from .mobile import end_mobile, register_mobile
from .models import Person, StandingChange, Status
from .queries import open_status_period, registry_orgs
from .records import STAFF_FIELDS, create_person, update_person
from .services import PeopleError
from .standing import LEAVING, change_standing, revocable, revoke_standing_change


def registry_person(request, pk: int) -> Person:
    """The person, if the user keeps the registry of their organisation: 404 outside the
    user's scope, 403 inside it without the office's right."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not scope_for(request.user).keeps_registry(person.organization):
        raise PermissionDenied(_("只有党委办公室可以维护人员名册"))
    return person


@login_required
def add_person(request):
    orgs = registry_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("只有党委办公室可以新增人员"))
    initial = {}
    code = request.GET.get("org", "")
    if code:
        initial["organization"] = orgs.filter(code=code).first()
    form = PersonForm(request.POST or None, organizations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = create_person(form.cleaned_data, by=request.user)
        messages.success(request, _("已新增人员 %(name)s。") % {"name": person.name})
        return redirect("people:detail", pk=person.pk)
    context = {"form": form, "person": None, "stage_fields": _stage_fields(form)}
    return private(render(request, "people/person_form.html", context))


def _stage_fields(form) -> list:
    return [form[name] for name in form.fields if name.startswith("stage_")]


@login_required
def edit_person(request, pk: int):
    person = registry_person(request, pk)
    orgs = Organization.objects.filter(pk=person.organization_id)
    initial = {n: getattr(person, n) for n in STAFF_FIELDS if n not in ("id_number", "phone")}
    initial["organization"] = person.organization
    form = PersonForm(request.POST or None, organizations=orgs, person=person, initial=initial)
    form.fields["organization"].disabled = True  # a move has its own page, with history
    if request.method == "POST" and form.is_valid():
        changed = update_person(person, form.cleaned_data, by=request.user)
        if changed:
            labels = "、".join(str(form.fields[name].label) for name in changed)
            messages.success(request, _("已保存：%(fields)s。") % {"fields": labels})
        else:
            messages.info(request, _("没有改动。"))
        return redirect("people:detail", pk=person.pk)
    return private(render(request, "people/person_form.html", {"form": form, "person": person}))


def _consequences(change: str) -> list[str]:
    lines = []
    if change in LEAVING or change == StandingChange.DIED:
        lines.append(_("自变动日期起不再计入党员人数，组织关系同日终止"))
    if change == StandingChange.SUSPENDED:
        lines.append(_("自变动日期起不再计入党员人数，组织关系保留，可恢复党籍"))
    if change != StandingChange.RESTORED:
        lines.append(_("所任党内职务同日离任"))
    else:
        lines.append(_("恢复停止党籍前的政治面貌；党内职务如仍担任，请另行登记"))
    lines.append(_("如登记有误，可“撤销误录”，记录不会被删除"))
    return lines


@login_required
def standing(request, pk: int):
    """GET: the form. POST: the confirmation page; POST with `confirm`: the change."""
    person = registry_person(request, pk)
    current = open_status_period(person)
    status = current.status if current is not None else None
    form = StandingForm(request.POST or None, current=status)
    context = {
        "person": person,
        "current_label": Status(status).label if status else _("群众"),
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                change_standing(person, data["change"], data["on"], note=data["note"],
                                by=request.user)  # fmt: skip
            except PeopleError as exc:
                form.add_error(None, str(exc))
            else:
                label = StandingChange(data["change"]).label
                messages.success(request, _("已登记“%(change)s”。") % {"change": label})
                return redirect("people:detail", pk=person.pk)
        else:
            context["confirming"] = StandingChange(data["change"]).label
            context["consequences"] = _consequences(data["change"])
    return private(render(request, "people/standing.html", context))


@login_required
@require_POST
def revoke(request, pk: int):
    person = registry_person(request, pk)
    form = RevokeForm(request.POST)
    entry = revocable(person)
    if form.is_valid():
        try:
            revoke_standing_change(person, reason=form.cleaned_data["reason"], by=request.user)
        except PeopleError as exc:
            messages.error(request, str(exc))
        else:
            label = StandingChange(entry.change).label if entry else ""
            messages.success(request, _("已撤销“%(change)s”。") % {"change": label})
    else:
        messages.error(request, " ".join(form.errors.get("reason", [])))
    return redirect("people:detail", pk=person.pk)


@login_required
def mobile(request, pk: int):
    """Register the person as a 流动党员 (流出 or 流入)."""
    person = registry_person(request, pk)
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_mobile(
                person, data["direction"], data["on"], place=data["place"],
                certificate_number=data["certificate_number"], note=data["note"],
                by=request.user,
            )  # fmt: skip
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记为流动党员。"))
            return redirect("people:detail", pk=person.pk)
    return private(render(request, "people/mobile.html", {"person": person, "form": form}))


@login_required
@require_POST
def mobile_end(request, pk: int):
    person = registry_person(request, pk)
    form = EndMobileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写结束日期"))
        return redirect("people:detail", pk=person.pk)
    try:
        end_mobile(person, form.cleaned_data["on"], by=request.user)
    except PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记流动党员返回。"))
    return redirect("people:detail", pk=person.pk)
