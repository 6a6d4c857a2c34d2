"""Page input for points; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input
from dangjian.people.models import Person


class AdjustmentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("党员"), queryset=Person.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    points = forms.DecimalField(
        label=_("加减分（扣分填负数）"), max_digits=5, decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("理由"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    on = forms.DateField(label=_("日期"), widget=date_input())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["on"].initial = timezone.localdate()


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("冲销理由"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
