"""Dues pages: the calculator, a member's own dues, a branch's month of bills, recording
a payment, members in arrears and fixing a member's base. Every page is scoped: another
hospital's records do not exist (404); read-only roles may look but not write (403)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.core import audit
from dangjian.core.pages import chosen_org, client_ip, private, writable_person
from dangjian.people.models import Person

from . import rules
from .export import build_workbook
from .forms import BaseForm, CalcForm, PaymentForm, parse_month
from .models import DuesBase, DuesBill, DuesSettings, VoluntaryPayment
from .queries import arrears, arrears_level, with_arrears
from .rules import DuesError
from .services import first_of_month, fix_base, generate_bills, record_payment

PAGE_SIZE = 50
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)


def _level_text(months: int) -> str:
    level = arrears_level(months)
    if level == "handle":
        return _(
            "已连续 %(n)d 个月未交纳党费，须按规定处理（由支部党员大会讨论决定，系统不会自动变更党籍）"
        ) % {"n": months}
    if level == "remind":
        return _("已连续 %(n)d 个月未交纳党费，请及时交纳") % {"n": months}
    return ""


def _reader_org(request):
    """The organisation of a list page; only roles that read people may open it."""
    if not scope_for(request.user).people_paths:
        raise Http404(_("没有可查看的党组织"))
    return chosen_org(request)


# ---- calculator ------------------------------------------------------------------------
@login_required
def calc(request):
    form = CalcForm(request.GET or None)
    amount = error = None
    if request.GET and form.is_valid():
        try:
            amount = rules.monthly_amount(
                form.cleaned_data["base"] or 0, form.cleaned_data["category"]
            )
        except DuesError as exc:
            error = str(exc)
    return render(
        request, "dues/calc.html",
        {"form": form, "amount": amount, "error": error, "cap": rules.RULESETS[-1].cap},
    )  # fmt: skip


# ---- my dues ---------------------------------------------------------------------------
@login_required
def mine(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("账号未关联人员信息"))
    today = timezone.localdate()
    year = today.year
    month = first_of_month(today)
    base = (
        DuesBase.objects.filter(person=person, effective_from__lte=month)
        .order_by("-effective_from")
        .first()
    )
    amount = amount_error = None
    if base is not None:
        try:
            amount = rules.monthly_amount(base.base, base.category, on=month)
        except DuesError as exc:
            amount_error = str(exc)
    bills = list(
        DuesBill.objects.filter(person=person, month__year=year)
        .select_related("paid_by")
        .order_by("month")
    )
    paid = [b for b in bills if b.paid_by_id or b.amount == 0]
    owed = list(  # every month ended unpaid, this year or earlier
        DuesBill.objects.filter(
            person=person, paid_by__isnull=True, amount__gt=0, month__lt=month
        ).order_by("month")
    )
    current = [b for b in bills if not b.paid_by_id and b.amount > 0 and b.month >= month]
    months = with_arrears(Person.objects.filter(pk=person.pk), today).values_list(
        "arrears_months", flat=True
    )[0]
    voluntary = VoluntaryPayment.objects.filter(person=person, paid_on__year=year).order_by(
        "-paid_on"
    )
    response = render(
        request, "dues/mine.html",
        {"person": person, "year": year, "base": base, "amount": amount,
         "amount_error": amount_error, "paid": paid, "owed": owed, "current": current,
         "owed_total": sum((b.amount for b in owed), Decimal("0")),
         "arrears_months": months, "level": arrears_level(months),
         "level_text": _level_text(months), "voluntary": voluntary},
    )  # fmt: skip
    return private(response)


# ---- a month of bills ------------------------------------------------------------------
def _month_param(request) -> dt.date:
    raw = request.GET.get("month", "") or request.POST.get("month", "")
    if not raw:
        return first_of_month(timezone.localdate())
    month = parse_month(raw)
    if month is None:
        messages.error(
            request, _("月份“%(value)s”格式应为 年-月，如 2024-03；已显示本月") % {"value": raw}
        )
        return first_of_month(timezone.localdate())
    return month


@login_required
@require_http_methods(["GET", "POST"])
def month_page(request):
    scope = scope_for(request.user)
    org = _reader_org(request)
    month = _month_param(request)
    can_write = scope.can_write(org)
    back = f"{reverse('dues:month')}?{urlencode({'org': org.code, 'month': f'{month:%Y-%m}'})}"
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("没有生成党费账单的权限"))
        created, missing = generate_bills(month, org.path, by=request.user)
        messages.success(
            request,
            _("已生成 %(month)s 党费账单 %(n)d 条") % {"month": f"{month:%Y年%m月}", "n": created},
        )
        if missing:
            names = list(
                Person.objects.filter(pk__in=missing[:20])
                .order_by("name")
                .values_list("name", flat=True)
            )
            more = _("等 %(n)d 人") % {"n": len(missing)} if len(missing) > len(names) else ""
            messages.warning(
                request,
                _("以下党员尚未核定党费基数，未生成账单：%(names)s%(more)s")
                % {"names": "、".join(names), "more": more},
            )
        return redirect(back)
    bills = scope.filter_by_org(
        DuesBill.objects.filter(organization__path__startswith=org.path, month=month),
        "organization__path",
    )
    totals = bills.aggregate(
        count=Count("id"),
        paid_count=Count("id", filter=Q(paid_by__isnull=False)),
        due=Coalesce(Sum("amount"), ZERO),
        paid=Coalesce(Sum("amount", filter=Q(paid_by__isnull=False)), ZERO),
    )
    totals["unpaid"] = totals["due"] - totals["paid"]
    totals["unpaid_count"] = totals["count"] - totals["paid_count"]
    rows = bills.select_related("person", "organization", "paid_by").order_by(
        "organization__path", "person__name", "pk"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request, "dues/month.html",
        {"org": org, "month": month, "month_value": f"{month:%Y-%m}", "page": page,
         "totals": totals, "can_write": can_write,
         "can_configure": can_write and Role.OFFICE in scope.roles,
         "extra_query": urlencode({"org": org.code, "month": f"{month:%Y-%m}"})},
    )  # fmt: skip
    return private(response)


# ---- recording a payment ---------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def pay(request, pk: int):
    person = writable_person(request, pk, _("没有登记党费交纳的权限"))
    unpaid = list(
        DuesBill.objects.filter(person=person, paid_by__isnull=True, amount__gt=0).order_by("month")
    )
    initial = {"paid_on": timezone.localdate(), "method": "cash"}
    form = PaymentForm(request.POST or None, bills=unpaid, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_payment(
                person, data["months"], paid_on=data["paid_on"], method=data["method"],
                reference=data["reference"], handed_in_by=data["handed_in_by"],
                branch_consent=data["branch_consent"], make_up_approval=data["make_up_approval"],
                by=request.user,
            )  # fmt: skip
        except DuesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记 %(name)s 交纳党费 %(total)s 元")
                % {"name": person.name, "total": payment.total},
            )
            month = max(data["months"])
            return redirect(
                f"{reverse('dues:month')}?{urlencode({'org': person.organization.code, 'month': f'{month:%Y-%m}'})}"
            )
    response = render(request, "dues/pay.html", {"person": person, "form": form, "unpaid": unpaid})
    return private(response)


# ---- arrears ---------------------------------------------------------------------------
@login_required
def arrears_page(request):
    scope = scope_for(request.user)
    org = _reader_org(request)
    today = timezone.localdate()
    people = scope.filter_people(arrears(org.path, today)).select_related("organization")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"person": p, "months": p.arrears_months, "level": arrears_level(p.arrears_months),
         "text": _level_text(p.arrears_months)}
        for p in page.object_list
    ]  # fmt: skip
    response = render(
        request, "dues/arrears.html",
        {"org": org, "rows": rows, "page": page, "can_write": scope.can_write(org),
         "remind": rules.ARREARS_REMIND_MONTHS, "handle": rules.ARREARS_HANDLE_MONTHS,
         "extra_query": urlencode({"org": org.code})},
    )  # fmt: skip
    return private(response)


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


# ---- export ----------------------------------------------------------------------------
@login_required
def export(request):
    """The year's (or a month's) collection sheet for the Party office's files, for a
    subtree the user may read; audited as an export of personal data."""
    org = _reader_org(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET["month"]) if request.GET.get("month") else None
        if not (2000 <= year <= 2100) or (month is not None and not 1 <= month <= 12):
            raise ValueError
    except ValueError as exc:
        raise Http404(_("年度或月份不正确")) from exc
    content = build_workbook(org, year, month)
    audit.record(
        "dues.export", actor=request.user, obj=org, org_path=org.path,
        ip_address=client_ip(request), summary={"year": year, "month": month},
    )  # fmt: skip
    suffix = f"{year}" + (f"-{month:02d}" if month else "")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"党费收缴-{org.name}-{suffix}.xlsx"
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
    if Role.OFFICE not in scope_for(request.user).roles or not scope_for(request.user).can_write(
        org
    ):
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
