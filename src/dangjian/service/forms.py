"""Page input for volunteer service and the problem list; the services check the rules."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField, Picker, date_input
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .rules import ActivityKind, PostKind, ProblemSource

DATE = date_input()
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
SELECT = forms.Select(attrs={"class": "form-select"})
NUMBER = forms.NumberInput(attrs={"class": "form-control"})


def _people_field(label: str, required: bool = True):
    field = forms.ModelMultipleChoiceField(
        label=label, queryset=Person.objects.none(), required=required, widget=Picker
    )
    return field


def _named(field, people):
    field.queryset = people
    field.label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ActivityKind.choices, widget=SELECT)
    title = forms.CharField(label=_("活动名称"), max_length=200, widget=TEXT)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False, widget=TEXT)
    hours = forms.DecimalField(
        label=_("每人服务时长（小时）"), max_digits=4, decimal_places=1, min_value=Decimal("0.5"),
        max_value=24, initial=2, widget=NUMBER,
    )  # fmt: skip
    people_served = forms.IntegerField(
        label=_("服务人次"), min_value=0, max_value=10_000_000, initial=0, widget=NUMBER
    )
    volunteers = _people_field(_("参加的党员"))
    partners = forms.ModelMultipleChoiceField(
        label=_("联合开展的党支部（可不选）"), queryset=Organization.objects.none(),
        required=False, widget=Picker,
    )  # fmt: skip
    summary = forms.CharField(label=_("活动情况"), required=False, widget=AREA)
    photos = MultipleFileField(label=_("照片"), required=False)

    def __init__(self, *args, people, partners, **kwargs):
        super().__init__(*args, **kwargs)
        _named(self.fields["volunteers"], people)
        self.fields["partners"].queryset = partners
        self.fields["held_on"].initial = timezone.localdate()


class PhotosForm(forms.Form):
    photos = MultipleFileField(label=_("添加照片"))


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=300, widget=TEXT)
    source = forms.ChoiceField(label=_("来源"), choices=ProblemSource.choices, widget=SELECT)
    found_on = forms.DateField(label=_("发现日期"), widget=DATE)
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=DATE)
    owner = forms.ModelChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), required=False, widget=SELECT
    )
    description = forms.CharField(label=_("具体情况"), required=False, widget=AREA)
    is_practical_matter = forms.BooleanField(
        label=_("列入“我为群众办实事”清单"), required=False, initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["found_on"].initial = timezone.localdate()


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("办结日期"), widget=DATE)
    resolution = forms.CharField(label=_("办理结果"), widget=AREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].initial = timezone.localdate()


class VisitForm(forms.Form):
    leader = forms.ModelChoiceField(
        label=_("院领导"), queryset=Person.objects.none(), widget=SELECT
    )
    organization = forms.ModelChoiceField(
        label=_("走访的党支部"), queryset=Organization.objects.none(), widget=SELECT
    )
    visited_on = forms.DateField(label=_("日期"), widget=DATE)
    summary = forms.CharField(label=_("走访情况"), required=False, widget=AREA)
    problems = forms.CharField(
        label=_("发现的问题（每行一条，列入问题清单）"), required=False, widget=AREA
    )
    deadline = forms.DateField(label=_("这些问题的整改时限"), required=False, widget=DATE)

    def __init__(self, *args, people, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["leader"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["organization"].queryset = branches
        self.fields["visited_on"].initial = timezone.localdate()

    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["problems"].splitlines() if line.strip()]


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=NUMBER)
    people_served = forms.IntegerField(
        label=_("服务群众目标（人次）"), min_value=0, required=False, widget=NUMBER
    )
    practical_matters = forms.IntegerField(
        label=_("办实事目标（件）"), min_value=0, required=False, widget=NUMBER
    )
    hours_as_study = forms.BooleanField(
        label=_("党员志愿服务时长计入年度学时"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("勾选后，此后登记的志愿服务按每人服务时长记入学习记录"),
    )  # fmt: skip


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=PostKind.choices, widget=SELECT)
    name = forms.CharField(label=_("名称"), max_length=200, widget=TEXT)
    organization = forms.ModelChoiceField(
        label=_("所属党组织"), queryset=Organization.objects.none(), widget=SELECT
    )
    established_on = forms.DateField(label=_("设立日期"), widget=DATE)
    members = _people_field(_("成员"))
    description = forms.CharField(label=_("职责与承诺"), required=False, widget=AREA)

    def __init__(self, *args, people, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        _named(self.fields["members"], people)
        self.fields["organization"].queryset = orgs
        self.fields["established_on"].initial = timezone.localdate()


class PostRecordForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("事迹"), widget=AREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
