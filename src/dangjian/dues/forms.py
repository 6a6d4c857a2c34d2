"""Forms of the dues pages: the calculator, recording a payment and fixing a base."""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.forms import date_input

from .models import PaymentMethod
from .rules import PAY_COMPONENTS, DuesCategory


def parse_month(value: str) -> dt.date | None:
    """'YYYY-MM' (or a full date) as the first of that month; None when malformed."""
    value = (value or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:
            return day.replace(day=1)
    return None


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("月份“%(value)s”格式应为 年-月，如 2024-03"), params={"value": value}
            )
        return month


class CalcForm(forms.Form):
    base = forms.CharField(label=gettext_lazy("月交纳基数（元）"), required=False, max_length=20)
    category = forms.ChoiceField(label=gettext_lazy("党费类别"), choices=DuesCategory.choices)


class PaymentForm(forms.Form):
    months = forms.MultipleChoiceField(
        label=gettext_lazy("交纳月份"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请选择交纳的月份")},
    )  # fmt: skip
    paid_on = forms.DateField(label=gettext_lazy("交纳日期"), widget=date_input())
    method = forms.ChoiceField(label=gettext_lazy("方式"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=gettext_lazy("支付凭证号"), max_length=100, required=False)
    handed_in_by = forms.CharField(
        label=gettext_lazy("代交人"), max_length=100, required=False,
        help_text=gettext_lazy("由亲属或其他党员代交时填写，须经支部同意"),
    )  # fmt: skip
    branch_consent = forms.CharField(
        label=gettext_lazy("支部同意说明"), max_length=200, required=False
    )
    make_up_approval = forms.CharField(
        label=gettext_lazy("补交超过6个月的批准说明"), max_length=200, required=False
    )

    def __init__(self, *args, bills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (b.month.isoformat(), f"{b.month:%Y-%m} · {b.amount} 元") for b in bills
        ]

    def clean_months(self):
        return [dt.date.fromisoformat(m) for m in self.cleaned_data["months"]]


def component_field_name(index: int) -> str:
    return f"component_{index}"


COMPONENTS = list(PAY_COMPONENTS.items())


class BaseForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("党费类别"), choices=DuesCategory.choices)
    effective_from = MonthField(label=gettext_lazy("执行月份"))
    pay_changed_on = forms.DateField(
        label=gettext_lazy("工资变动日期"), required=False,
        widget=date_input(),
        help_text=gettext_lazy("因工资变动重新核定时填写"),
    )  # fmt: skip
    base = forms.CharField(
        label=gettext_lazy("月交纳基数（元）"), required=False, max_length=20,
        help_text=gettext_lazy("填写下方工资项目时按计入项目自动合计，无需填写"),
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("核定说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, (name, included) in enumerate(COMPONENTS):
            self.fields[component_field_name(index)] = forms.CharField(
                label=name, required=False, max_length=20,
                help_text=_("计入基数") if included else _("不计入基数"),
            )  # fmt: skip

    def components(self) -> dict[str, str]:
        """The pay items typed (empty ones left out)."""
        typed = {}
        for index, (name, _included) in enumerate(COMPONENTS):
            value = (self.cleaned_data.get(component_field_name(index)) or "").strip()
            if value:
                typed[name] = value
        return typed

    def component_fields(self):
        return [self[component_field_name(i)] for i in range(len(COMPONENTS))]

    def main_fields(self):
        return [self[n] for n in ("category", "effective_from", "pay_changed_on", "base", "reason")]
