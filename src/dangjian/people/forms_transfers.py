"""Forms of the transfer pages (people.transfers): the same checks as the services, in
Chinese."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input
from dangjian.orgs.models import HOLDS_MEMBERS, Organization

from .forms import TEXT, PersonForm
from .models import MEMBER_STATUSES, Person
from .transfers import LETTER_DAYS_DEFAULT, LETTER_DAYS_MAX


def _today_field(label):
    return forms.DateField(label=label, widget=date_input(), initial=timezone.localdate)


class TransferForm(forms.Form):
    """Within the system: the receiving organisation by its code (the page offers a search
    of every organisation that may hold members, in any hospital)."""

    to_org = forms.CharField(
        label=_("接收党组织"), max_length=64,
        help_text=_("输入名称或编码搜索，选择后显示其编码"),
        widget=forms.TextInput(attrs={
            **TEXT, "list": "org-options", "autocomplete": "off",
            # the matching organisations arrive as <option>s while the user types
            "hx-get": reverse_lazy("people:org_options"), "hx-target": "#org-options",
            "hx-trigger": "input changed delay:300ms",
        }),
    )  # fmt: skip
    on = _today_field(_("转接日期"))
    reason = forms.CharField(
        label=_("转接原因"), max_length=200, required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": _("例如：工作调动")}),
    )  # fmt: skip

    def clean_to_org(self):
        code = self.cleaned_data["to_org"].strip().split(" ")[0]
        org = Organization.objects.filter(
            code=code, kind__in=HOLDS_MEMBERS, dissolved_on__isnull=True
        ).first()
        if org is None:
            raise forms.ValidationError(_("找不到编码为“%(code)s”的党组织") % {"code": code})
        return org


class LetterForm(forms.Form):
    """Out of the system: the 介绍信."""

    to_unit = forms.CharField(
        label=_("接收党组织"), max_length=200, widget=forms.TextInput(attrs=TEXT),
        help_text=_("对方党组织的全称，印在介绍信抬头"),
    )  # fmt: skip
    on = _today_field(_("转出日期"))
    valid_days = forms.IntegerField(
        label=_("有效期（天）"), min_value=1, max_value=LETTER_DAYS_MAX,
        initial=LETTER_DAYS_DEFAULT, widget=forms.NumberInput(attrs=TEXT),
    )  # fmt: skip
    dues_paid_to = forms.DateField(
        label=_("党费交至"), required=False, input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={**TEXT, "type": "month"}, format="%Y-%m"),
        help_text=_("介绍信上写明党费已交到的月份"),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("转出原因"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=200, error_messages={"required": _("请填写原因")},
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip


class ReceiptForm(forms.Form):
    received_on = _today_field(_("回执日期"))


class TransferInForm(PersonForm):
    """Into the system from outside: the person's fields, as when adding one (a member,
    with the days of their admission), and the letter they bring."""

    from_unit = forms.CharField(
        label=_("转出党组织"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    letter_number = forms.CharField(
        label=_("介绍信编号"), max_length=50, widget=forms.TextInput(attrs=TEXT)
    )
    on = _today_field(_("转入日期"))

    returning = None  # a person who once left the system, found by the ID number

    def takes_registered(self, holder: Person) -> bool:
        """A holder with no organisation relation now (they left the system with a
        letter) comes back with their record and history."""
        if holder.memberships.filter(ended_on__isnull=True).exists():
            return False
        self.returning = holder
        return True

    def clean(self):
        data = super().clean()
        if self.returning is not None:  # their standing is on record; the stages are not asked
            for name in [n for n in self.errors if n == "status" or n.startswith("stage_")]:
                del self.errors[name]
            return data
        if data.get("status") not in MEMBER_STATUSES and "status" not in self.errors:
            self.add_error("status", _("转入的须是正式党员或预备党员"))
        return data
