"""Voluntary payments and 特殊党费, kept apart from the monthly dues."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangjian.core.forms import date_input
from dangjian.core.pages import private
from dangjian.people.pages import writable_person

from . import rules
from .models import VoluntaryKind, VoluntaryPayment
from .rules import DuesError
from .services import record_voluntary


class VoluntaryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=VoluntaryKind.choices)
    paid_on = forms.DateField(label=gettext_lazy("交纳日期"), widget=date_input())
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
