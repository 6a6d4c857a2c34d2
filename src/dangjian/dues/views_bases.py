"""Fixing a member's dues base, and the hospital's dues settings (the Party office's)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangjian.core import audit
from dangjian.core.pages import private
from dangjian.orgs.pages import chosen_org
from dangjian.people.pages import writable_person

from .forms import BaseForm
from .models import DuesBase, DuesSettings
from .permissions import may_configure
from .rules import DuesError
from .services import fix_base


# ---- fixing a base ---------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def base_page(request, pk: int):
    person = writable_person(request, pk, _("没有核定党费基数的权限"))
    bases = list(DuesBase.objects.filter(person=person).order_by("-effective_from")[:12])
    initial = {"effective_from": f"{timezone.localdate():%Y-%m}"}
    if bases:
        initial["category"] = bases[0].category
    form = BaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = fix_base(
                person, category=data["category"], effective_from=data["effective_from"],
                base=data["base"] or None, components=form.components() or None,
                pay_changed_on=data["pay_changed_on"], reason=data["reason"], by=request.user,
            )  # fmt: skip
        except DuesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已核定 %(name)s 自 %(month)s 起的党费基数 %(base)s 元")
                % {
                    "name": person.name,
                    "month": f"{row.effective_from:%Y年%m月}",
                    "base": row.base,
                },
            )
            return redirect("dues:base", pk=person.pk)
    response = render(
        request, "dues/fix_base.html", {"person": person, "form": form, "bases": bases}
    )
    return private(response)


# ---- hospital settings -----------------------------------------------------------------
class SettingsForm(forms.ModelForm):
    class Meta:
        model = DuesSettings
        fields = ["rounding", "allow_advance"]


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """A hospital's rounding and advance-payment choices (the Party office's)."""
    org = chosen_org(request)
    if not may_configure(request.user, org):
        raise PermissionDenied(_("只有党委办公室可以修改党费设置"))
    current = DuesSettings.objects.filter(organization=org).first() or DuesSettings(
        organization=org
    )
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            audit.record(
                "dues.settings", actor=request.user, obj=org, org_path=org.path,
                summary={"rounding": saved.rounding, "allow_advance": saved.allow_advance},
            )  # fmt: skip
        messages.success(request, _("党费设置已保存"))
        return redirect(f"{reverse('dues:settings')}?org={org.code}")
    return render(request, "dues/settings.html", {"org": org, "form": form})
