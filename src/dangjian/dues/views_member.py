"""A member's own dues pages: the calculator and "my dues"."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.pages import audit_read, private
from dangjian.people.models import Person

from . import rules
from .forms import CalcForm
from .models import DuesBase, DuesBill, VoluntaryPayment
from .pages import arrears_text
from .queries import arrears_level, rounding_for, with_arrears
from .rules import DuesError
from .services import first_of_month


# ---- calculator ------------------------------------------------------------------------
@login_required
def calc(request):
    form = CalcForm(request.GET or None)
    amount = error = None
    if request.GET and form.is_valid():
        try:
            amount = rules.monthly_amount(
                form.cleaned_data["base"] or 0,
                form.cleaned_data["category"],
                rounding=rounding_for(request.user),
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
    audit_read(request, "dues.mine", obj=person, org_path=person.organization.path)
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
         "level_text": arrears_text(months), "voluntary": voluntary},
    )  # fmt: skip
    return private(response)
