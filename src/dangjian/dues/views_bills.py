"""A month's bills: the collection page (and generating the bills), recording a payment,
the members in arrears and the Excel export. Every page is scoped: another hospital's
records do not exist (404); read-only roles may look but not write (403)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangjian.accounts.scope import scope_for
from dangjian.core import audit
from dangjian.core.pages import audit_read, client_ip, private
from dangjian.people.models import Person
from dangjian.people.pages import writable_person

from . import rules
from .export import build_arrears_workbook, build_workbook
from .forms import PaymentForm
from .models import DuesBill
from .pages import PAGE_SIZE, arrears_text, month_param, reader_org
from .permissions import may_collect, may_configure
from .queries import arrears, arrears_level
from .rules import DuesError
from .services import (
    generate_bills,
    record_payment,
)

MONEY = DecimalField(max_digits=14, decimal_places=2)


ZERO = Value(Decimal("0"), output_field=MONEY)


@login_required
@require_http_methods(["GET", "POST"])
def month_page(request):
    scope = scope_for(request.user)
    org = reader_org(request)
    month = month_param(request)
    can_write = may_collect(request.user, org)
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
         "can_configure": may_configure(request.user, org),
         "extra_query": urlencode({"org": org.code, "month": f"{month:%Y-%m}"})},
    )  # fmt: skip
    return private(response)


# ---- recording a payment ---------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def pay(request, pk: int):
    person = writable_person(request, pk, _("没有登记党费交纳的权限"))
    audit_read(request, "dues.person", obj=person, org_path=person.organization.path)
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
    org = reader_org(request)
    today = timezone.localdate()
    people = scope.filter_people(arrears(org.path, today)).select_related("organization")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"person": p, "months": p.arrears_months, "level": arrears_level(p.arrears_months),
         "text": arrears_text(p.arrears_months)}
        for p in page.object_list
    ]  # fmt: skip
    response = render(
        request, "dues/arrears.html",
        {"org": org, "rows": rows, "page": page, "can_write": may_collect(request.user, org),
         "remind": rules.ARREARS_REMIND_MONTHS, "handle": rules.ARREARS_HANDLE_MONTHS,
         "extra_query": urlencode({"org": org.code})},
    )  # fmt: skip
    return private(response)


@login_required
def arrears_export(request):
    """The arrears list as a workbook: the same members as the page, every one of them
    (not a page of them), scoped as the page; audited as an export of personal data."""
    scope = scope_for(request.user)
    org = reader_org(request)
    today = timezone.localdate()
    people = scope.filter_people(arrears(org.path, today)).select_related("organization")
    content = build_arrears_workbook(org, people, today)
    audit.record(
        "dues.export", actor=request.user, obj=org, org_path=org.path,
        ip_address=client_ip(request), summary={"arrears": True, "on": today.isoformat()},
    )  # fmt: skip
    return _xlsx(content, f"党费欠交名单-{org.name}-{today:%Y%m%d}.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private(response)


# ---- export ----------------------------------------------------------------------------
@login_required
def export(request):
    """The year's (or a month's) collection sheet for the Party office's files, for a
    subtree the user may read; audited as an export of personal data."""
    org = reader_org(request)
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
    return _xlsx(content, f"党费收缴-{org.name}-{suffix}.xlsx")
