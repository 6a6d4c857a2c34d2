"""Forms of the task ledger pages; the services do the checking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField, Picker, date_input
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import ProgressKind

DATE = date_input()
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
SELECT = forms.Select(attrs={"class": "form-select"})


class TargetListForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    title = forms.CharField(label=_("名称（可不填）"), required=False, max_length=200, widget=TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class AreaForm(forms.Form):
    name = forms.CharField(label=_("方面"), max_length=100, widget=TEXT)


class TaskForm(forms.Form):
    area = forms.ModelChoiceField(label=_("方面"), queryset=None, widget=SELECT)
    title = forms.CharField(label=_("任务"), max_length=300, widget=TEXT)
    expected_result = forms.CharField(label=_("预期成果"), required=False, widget=AREA)
    responsible_org = forms.ModelChoiceField(
        label=_("责任组织"), queryset=Organization.objects.none(), widget=SELECT
    )
    owners = forms.ModelMultipleChoiceField(
        label=_("责任人"), queryset=Person.objects.none(), required=False,
        widget=Picker,
    )  # fmt: skip
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    weight = forms.DecimalField(
        label=_("权重"), initial=1, max_digits=6, decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )  # fmt: skip
    progress_kind = forms.ChoiceField(
        label=_("进度方式"), choices=ProgressKind.choices, widget=SELECT
    )
    milestones = forms.CharField(
        label=_("节点（按节点推进时填写，每行一个）"), required=False, widget=AREA
    )

    def __init__(self, *args, target_list, orgs, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = target_list.areas.all()
        self.fields["responsible_org"].queryset = orgs
        self.fields["owners"].queryset = people

    def milestone_rows(self) -> list[tuple[str, None]]:
        lines = self.cleaned_data.get("milestones", "").splitlines()
        return [(line.strip(), None) for line in lines if line.strip()]


class TaskEditForm(TaskForm):
    """What a task asks, changed after it was set: not its area, progress kind or
    milestones (its ledger refers to them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("area", "progress_kind", "milestones"):
            del self.fields[name]


class ProgressForm(forms.Form):
    recorded_on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("推进情况"), widget=AREA)
    percent = forms.IntegerField(
        label=_("完成进度（%）"), required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    milestone = forms.ModelChoiceField(
        label=_("完成节点"), queryset=None, required=False, widget=SELECT
    )
    files = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()
        self.fields["milestone"].queryset = task.milestones.filter(done_on__isnull=True)
        if task.progress_kind == ProgressKind.MILESTONES:
            del self.fields["percent"]
        else:
            del self.fields["milestone"]


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("完成情况"), widget=AREA)
    files = MultipleFileField(label=_("佐证材料（至少一份，如成果照片）"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"), choices=[("approve", _("同意销号")), ("return", _("退回"))],
        widget=SELECT,
    )  # fmt: skip
    reason = forms.CharField(label=_("退回理由"), required=False, widget=AREA)


class ReopenForm(forms.Form):
    # Not required here, so that an empty reason gets the service's own message.
    reason = forms.CharField(label=_("重新打开理由"), required=False, widget=AREA)


class ListFilterForm(forms.Form):
    VIEWS = [("", _("全部")), ("overdue", _("已逾期")), ("due_soon", _("30天内到期"))]
    view = forms.ChoiceField(choices=VIEWS, required=False, widget=SELECT)
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    owner = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None
