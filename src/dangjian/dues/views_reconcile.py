"""The reconciliation table: what the branches collected against what the hospital
received."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core.pages import private

from .pages import reader_org
from .reconciliation import reconcile


# ---- reconciliation --------------------------------------------------------------------
@login_required
def reconcile_page(request):
    org = reader_org(request)
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
