"""Forms of the honours pages; the service does the checking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import Category, Level

TEXT = forms.TextInput(attrs={"class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})


class HonorForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("获奖党员"), queryset=Person.objects.none(), required=False, widget=SELECT,
        help_text=_("个人荣誉选择党员；集体荣誉留空并选择党组织"),
    )  # fmt: skip
    organization = forms.ModelChoiceField(
        label=_("获奖党组织"), queryset=Organization.objects.none(), required=False,
        widget=SELECT,
    )  # fmt: skip
    category = forms.ChoiceField(label=_("荣誉类别"), choices=Category.choices, widget=SELECT)
    title = forms.CharField(
        label=_("荣誉称号"), max_length=200, required=False, widget=TEXT,
        help_text=_("留空则用荣誉类别的名称；类别为“其他”时必填"),
    )  # fmt: skip
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices, widget=SELECT)
    awarded_on = forms.DateField(label=_("表彰日期"), widget=date_input())
    awarded_by = forms.CharField(label=_("授予单位"), max_length=200, widget=TEXT)
    document_no = forms.CharField(label=_("文号"), max_length=100, required=False, widget=TEXT)
    certificate = forms.FileField(
        label=_("证书扫描件"), required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )  # fmt: skip

    def __init__(self, *args, people, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["organization"].queryset = orgs
        self.fields["awarded_on"].initial = timezone.localdate()
