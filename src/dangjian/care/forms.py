"""Forms of the care pages; the services do the checking (the amount is taken as typed,
so that a bad one gets the service's Chinese message)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input
from dangjian.people.models import Person

from .models import Hardship, HelpForm, VisitReason

DATE = date_input()
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
SELECT = forms.Select(attrs={"class": "form-select"})


class CaseForm(forms.Form):
    hardship = forms.ChoiceField(label=_("困难类型"), choices=Hardship.choices, widget=SELECT)
    situation = forms.CharField(label=_("困难情况"), widget=AREA)
    since = forms.DateField(label=_("登记日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].initial = timezone.localdate()


class NewCaseForm(CaseForm):
    person = forms.ModelChoiceField(label=_("党员"), queryset=Person.objects.none(), widget=SELECT)
    field_order = ["person", "hardship", "situation", "since"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("慰问日期"), widget=DATE)
    reason = forms.ChoiceField(label=_("慰问事由"), choices=VisitReason.choices, widget=SELECT)
    form = forms.ChoiceField(label=_("慰问形式"), choices=HelpForm.choices, widget=SELECT)
    amount = forms.CharField(
        label=_("金额（元，无则填 0）"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )  # fmt: skip
    visitors = forms.CharField(label=_("慰问人"), max_length=200, widget=TEXT)
    note = forms.CharField(label=_("备注"), required=False, widget=AREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class QuickVisitForm(VisitForm):
    person = forms.ModelChoiceField(
        label=_("慰问对象"), queryset=Person.objects.none(), widget=SELECT
    )
    field_order = ["person", "visited_on", "reason", "form", "amount", "visitors", "note"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("脱困日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].initial = timezone.localdate()
