"""Forms of the honours pages; the service does the checking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.models import User
from dangjian.core.forms import MultipleFileField, Picker, PickOne, date_input
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import Category, Level

TEXT = forms.TextInput(attrs={"class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})


class HonorForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("获奖党员"), queryset=Person.objects.none(), required=False, widget=PickOne(),
        empty_label=_("（集体荣誉，不选党员）"), blank=True,
        help_text=_("个人荣誉选择党员；集体荣誉不选党员并选择党组织"),
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


class RoundForm(forms.Form):
    title = forms.CharField(label=_("评选名称"), max_length=200, widget=TEXT)
    criteria = forms.CharField(
        label=_("评选条件"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    level = forms.ChoiceField(label=_("荣誉级别"), choices=Level.choices, widget=SELECT)
    recommend_by = forms.DateField(label=_("推荐截止日期"), widget=date_input())


ROUND_CATEGORY_ROWS = 3


class RoundCategoryForm(forms.Form):
    """One row of the categories of a new round; a row without a quota is left out."""

    category = forms.ChoiceField(
        label=_("荣誉类别"), choices=[("", "—"), *Category.choices], required=False, widget=SELECT
    )
    title = forms.CharField(label=_("荣誉称号"), max_length=200, required=False, widget=TEXT)
    quota = forms.IntegerField(
        label=_("名额"), required=False, min_value=1, max_value=999,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip


class NominationForm(forms.Form):
    round_category = forms.ModelChoiceField(
        label=_("评选类别"), queryset=Organization.objects.none(), widget=SELECT
    )
    person = forms.ModelChoiceField(
        label=_("推荐党员"), queryset=Person.objects.none(), required=False, widget=PickOne(),
        empty_label=_("（推荐党组织，不选党员）"), blank=True,
    )  # fmt: skip
    organization = forms.ModelChoiceField(
        label=_("推荐党组织"), queryset=Organization.objects.none(), required=False, widget=SELECT
    )
    deeds = forms.CharField(
        label=_("主要事迹"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    materials = MultipleFileField(label=_("推荐材料"), required=False)

    def __init__(self, *args, categories, people, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round_category"].queryset = categories
        if len(only := list(categories[:2])) == 1:  # one category: nothing to choose
            self.fields["round_category"].initial = only[0].pk
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["organization"].queryset = orgs


class PanelForm(forms.Form):
    """The review panel (评审组) named when recommendations close, or changed later."""

    reviewers = forms.ModelMultipleChoiceField(
        label=_("评审组成员"), queryset=User.objects.none(), widget=Picker()
    )
    review_by = forms.DateField(label=_("评审截止日期"), widget=date_input())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = candidates
        self.fields["reviewers"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}"
            + (f"（{u.organization.name}）" if u.organization_id else "")
        )


class ReviewForm(forms.Form):
    score = forms.CharField(
        label=_("评分（0–100）"), max_length=10,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )  # fmt: skip
    comment = forms.CharField(label=_("评审意见"), required=False, widget=TEXT)


class ShortlistForm(forms.Form):
    chosen = forms.ModelMultipleChoiceField(
        label=_("拟表彰名单"), queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    notice_ends_on = forms.DateField(label=_("公示截止日期"), widget=date_input())

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = nominations
        self.fields["chosen"].label_from_instance = lambda n: (
            f"{n.round_category.title}：{n.candidate}（{n.unit.name}）"
        )


class ObjectionForm(forms.Form):
    content = forms.CharField(label=_("异议内容"), widget=TEXT)
    handling = forms.CharField(label=_("处理意见"), widget=TEXT)
    upheld = forms.BooleanField(label=_("异议成立（取消该推荐）"), required=False)


class ApproveForm(forms.Form):
    document_no = forms.CharField(label=_("表彰文号"), max_length=100, widget=TEXT)
