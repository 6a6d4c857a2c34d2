"""Reduction and exemption applications: the member applies, the branch committee agrees,
the next level approves (RULES.md §1). Scoped like every dues page; refused input writes
nothing and says why in Chinese."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.forms import date_input
from dangjian.core.pages import audit_read, private
from dangjian.people.models import Person
from dangjian.people.pages import writable_person

from .forms import MonthField
from .models import (
    DuesReduction,
    ReductionStatus,
)
from .pages import PAGE_SIZE, reader_org
from .permissions import may_approve_reduction, may_collect
from .rules import DuesError
from .services import advance_reduction, apply_reduction

OPEN = (ReductionStatus.APPLIED, ReductionStatus.BRANCH_AGREED)


# ---- forms -----------------------------------------------------------------------------
class ReductionForm(forms.Form):
    from_month = MonthField(label=gettext_lazy("起始月份"))
    to_month = MonthField(label=gettext_lazy("截止月份"))
    amount = forms.CharField(
        label=gettext_lazy("每月交纳金额（元）"), max_length=20,
        help_text=gettext_lazy("免交填 0"),
        error_messages={"required": gettext_lazy("请填写每月交纳金额，免交填 0")},
    )  # fmt: skip
    reason = forms.CharField(
        label=gettext_lazy("事由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写少交或免交党费的事由")},
    )  # fmt: skip
    applied_on = forms.DateField(label=gettext_lazy("申请日期"), widget=date_input())


def _reductions_url(org_code: str) -> str:
    return f"{reverse('dues:reductions')}?{urlencode({'org': org_code})}"


# ---- reductions ------------------------------------------------------------------------
@login_required
def reductions(request):
    scope = scope_for(request.user)
    org = reader_org(request)
    rows = (
        scope.filter_people(
            DuesReduction.objects.filter(person__organization__path__startswith=org.path),
            "person__organization__path",
        )
        .select_related("person", "person__organization")
        .order_by("-applied_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_write = may_collect(request.user, org)
    response = render(
        request, "dues/reductions.html",
        {"org": org, "page": page, "can_write": can_write, "open": OPEN,
         "extra_query": urlencode({"org": org.code})},
    )  # fmt: skip
    return private(response)


@login_required
@require_http_methods(["GET", "POST"])
def reduction_new(request, pk: int):
    person = writable_person(request, pk, _("没有登记少交或免交党费申请的权限"))
    audit_read(request, "dues.reduction_view", obj=person, org_path=person.organization.path)
    form = ReductionForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            apply_reduction(
                person, from_month=data["from_month"], to_month=data["to_month"],
                amount=data["amount"], reason=data["reason"], applied_on=data["applied_on"],
                by=request.user,
            )  # fmt: skip
        except DuesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记 %(name)s 的少交或免交党费申请，待支部委员会讨论") % {"name": person.name},
            )
            return redirect(_reductions_url(person.organization.code))
    existing = DuesReduction.objects.filter(person=person).order_by("-from_month")[:12]
    response = render(
        request, "dues/reduction_new.html",
        {"person": person, "form": form, "existing": existing},
    )  # fmt: skip
    return private(response)


@login_required
@require_POST
def reduction_decide(request, pk: int):
    reduction = get_object_or_404(
        DuesReduction.objects.filter(
            person__in=Person.objects.visible_to(request.user)
        ).select_related("person", "person__organization"),
        pk=pk,
    )
    person = reduction.person
    if not may_collect(request.user, person.organization):
        raise PermissionDenied(_("没有审批少交或免交党费申请的权限"))
    back = _reductions_url(person.organization.code)
    decision = request.POST.get("decision", "")
    if decision not in ("agree", "refuse"):
        messages.error(request, _("请选择同意或不同意"))
        return redirect(back)
    agree = decision == "agree"
    if agree and not may_approve_reduction(request.user, reduction):
        raise PermissionDenied(_("支部委员会同意后须由上级党委审批"))
    try:
        reduction = advance_reduction(
            reduction, agree=agree, on=timezone.localdate(), by=request.user
        )
    except DuesError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("%(name)s 的申请：%(status)s")
        % {"name": person.name, "status": reduction.get_status_display()},
    )
    return redirect(back)
