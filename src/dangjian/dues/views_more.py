"""More dues pages: reduction applications (apply, branch committee agrees, the next
level approves), voluntary payments and 特殊党费, and the reconciliation table. Every page
is scoped: another hospital's records do not exist (404); read-only roles may look but
not write (403); refused input writes nothing and says why in Chinese."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import private, writable_person
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person

from . import rules
from .forms import MonthField
from .models import DuesReduction, ReductionStatus, VoluntaryKind, VoluntaryPayment
from .reconciliation import reconcile
from .rules import DuesError
from .services import advance_reduction, apply_reduction, record_voluntary
from .views import PAGE_SIZE, _reader_org

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
    applied_on = forms.DateField(
        label=gettext_lazy("申请日期"), widget=forms.DateInput(attrs={"type": "date"})
    )


class VoluntaryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=VoluntaryKind.choices)
    paid_on = forms.DateField(
        label=gettext_lazy("交纳日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.CharField(
        label=gettext_lazy("金额（元）"), max_length=20,
        help_text=gettext_lazy("一次交纳 1000 元及以上的，全额上缴中央"),
        error_messages={"required": gettext_lazy("请填写金额")},
    )  # fmt: skip
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("交纳日期不能晚于今天"))
        return day


def _reductions_url(org_code: str) -> str:
    return f"{reverse('dues:reductions')}?{urlencode({'org': org_code})}"


# ---- reductions ------------------------------------------------------------------------
@login_required
def reductions(request):
    scope = scope_for(request.user)
    org = _reader_org(request)
    rows = (
        scope.filter_people(
            DuesReduction.objects.filter(person__organization__path__startswith=org.path),
            "person__organization__path",
        )
        .select_related("person", "person__organization")
        .order_by("-applied_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_write = scope.can_write(org)
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


def _next_level_path(org) -> str:
    """The path of the organisation above the member's branch, which approves after the
    branch committee agrees (the branch itself when there is nothing above it)."""
    step = Organization.steplen
    branch = org.path[:-step] if org.kind == OrgKind.GROUP else org.path
    return branch[:-step] or branch


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
    scope = scope_for(request.user)
    if not scope.can_write(person.organization):
        raise PermissionDenied(_("没有审批少交或免交党费申请的权限"))
    back = _reductions_url(person.organization.code)
    decision = request.POST.get("decision", "")
    if decision not in ("agree", "refuse"):
        messages.error(request, _("请选择同意或不同意"))
        return redirect(back)
    agree = decision == "agree"
    if (
        agree
        and reduction.status == ReductionStatus.BRANCH_AGREED
        and not any(_next_level_path(person.organization).startswith(p) for p in scope.write_paths)
    ):
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


# ---- voluntary payments ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def voluntary(request, pk: int):
    person = writable_person(request, pk, _("没有登记自愿交纳党费的权限"))
    form = VoluntaryForm(
        request.POST or None, initial={"paid_on": timezone.localdate(), "kind": "extra"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_voluntary(
                person, kind=data["kind"], paid_on=data["paid_on"], amount=data["amount"],
                note=data["note"], by=request.user,
            )  # fmt: skip
        except DuesError as exc:
            form.add_error(None, str(exc))
        else:
            text = _("已登记 %(name)s %(kind)s %(amount)s 元") % {
                "name": person.name,
                "kind": payment.get_kind_display(),
                "amount": payment.amount,
            }
            if payment.pass_up_in_full:
                text += _("，全额上缴中央")
            messages.success(request, text)
            return redirect("dues:voluntary", pk=person.pk)
    payments = VoluntaryPayment.objects.filter(person=person).order_by("-paid_on", "-pk")[:20]
    response = render(
        request, "dues/voluntary.html",
        {"person": person, "form": form, "payments": payments,
         "threshold": rules.PASS_UP_VOLUNTARY},
    )  # fmt: skip
    return private(response)


# ---- reconciliation --------------------------------------------------------------------
@login_required
def reconcile_page(request):
    org = _reader_org(request)
    today = timezone.localdate()
    year, month = today.year, today.month
    raw_year, raw_month = request.GET.get("year", "").strip(), request.GET.get("month", "").strip()
    try:
        if raw_year:
            year = int(raw_year)
        month = int(raw_month) if raw_month else None
        if not (2000 <= year <= 2100) or (month is not None and not 1 <= month <= 12):
            raise ValueError
    except ValueError:
        messages.error(request, _("年度或月份不正确，已显示本月"))
        year, month = today.year, today.month
    if "year" not in request.GET and "month" not in request.GET:
        month = today.month
    result = reconcile(org, year, month)
    query = {"org": org.code, "year": year}
    if month:
        query["month"] = month
    response = render(
        request, "dues/reconcile.html",
        {"org": org, "year": year, "month": month, "result": result,
         "months": range(1, 13),
         "export_url": f"{reverse('dues:export')}?{urlencode(query)}"},
    )  # fmt: skip
    return private(response)


urlpatterns = [
    path("reductions/", reductions, name="reductions"),
    path("person/<int:pk>/reduction/", reduction_new, name="reduction_new"),
    path("reduction/<int:pk>/decide/", reduction_decide, name="reduction_decide"),
    path("person/<int:pk>/voluntary/", voluntary, name="voluntary"),
    path("reconcile/", reconcile_page, name="reconcile"),
]
