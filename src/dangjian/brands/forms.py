"""Page input for brands; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
TEXT = forms.TextInput(attrs={"class": "form-control"})


class BrandForm(forms.Form):
    name = forms.CharField(label=_("品牌名称"), max_length=100, widget=TEXT)
    idea = forms.CharField(label=_("品牌理念"), widget=AREA)
    measures = forms.CharField(label=_("主要举措"), required=False, widget=AREA)
    results = forms.CharField(label=_("工作成效"), required=False, widget=AREA)
    founded_year = forms.IntegerField(
        label=_("创建年份"), min_value=1949, max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    logo = forms.FileField(
        label=_("品牌标识（PNG 或 JPG，可不传）"), required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".png,.jpg,.jpeg"}),
    )  # fmt: skip


class EvidenceForm(forms.Form):
    """One kind's records of the brand's subtree to choose from."""

    record = forms.ChoiceField(label=_("记录"), widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(label=_("说明（可不填）"), max_length=200, required=False, widget=TEXT)

    def __init__(self, *args, kind: str, rows, describe, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.fields["record"].choices = [(r.pk, describe(r)) for r in rows]
