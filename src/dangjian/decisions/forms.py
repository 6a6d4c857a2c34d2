"""Forms of the 三重一大 pages; the services do the checking."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import Picker, date_input
from dangjian.people.models import Person

from .models import AttendanceState
from .rules import Body, MatterCategory, Outcome

DATE = date_input()
TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
SELECT = forms.Select(attrs={"class": "form-select"})
NUMBER = forms.NumberInput(attrs={"class": "form-control"})


class MatterForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=MatterCategory.choices, widget=SELECT)
    title = forms.CharField(label=_("事项"), max_length=300, widget=TEXT)
    proposer = forms.CharField(label=_("提出人（部门）"), max_length=100, widget=TEXT)
    proposed_on = forms.DateField(label=_("提出日期"), widget=DATE)
    amount = forms.DecimalField(
        label=_("金额（元）"), required=False, max_digits=14, decimal_places=2, widget=NUMBER
    )
    description = forms.CharField(label=_("事项说明"), required=False, widget=AREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_on"].initial = timezone.localdate()


class ConsultationForm(forms.Form):
    held_on = forms.DateField(label=_("论证日期"), widget=DATE)
    panel = forms.CharField(label=_("专家组"), max_length=200, widget=TEXT)
    experts = forms.IntegerField(label=_("参加专家人数"), min_value=0, initial=5, widget=NUMBER)
    conclusion = forms.CharField(label=_("论证意见"), required=False, widget=AREA)


class SolicitationForm(forms.Form):
    solicited_on = forms.DateField(label=_("征求日期"), widget=DATE)
    audience = forms.CharField(label=_("征求对象"), max_length=200, widget=TEXT)
    opinions = forms.IntegerField(label=_("收到意见建议（条）"), min_value=0, widget=NUMBER)
    summary = forms.CharField(label=_("意见摘要及采纳情况"), required=False, widget=AREA)


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("执行落实情况"), widget=AREA)
    done = forms.BooleanField(label=_("已落实"), required=False)


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("会议"), choices=Body.choices, widget=SELECT)
    title = forms.CharField(label=_("会次"), max_length=100, widget=TEXT,
                            help_text=_("如“2024年第5次党委会”"))  # fmt: skip
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    chair = forms.CharField(label=_("主持人"), required=False, max_length=50, widget=TEXT)
    place = forms.CharField(label=_("地点"), required=False, max_length=100, widget=TEXT)
    attendees = forms.ModelMultipleChoiceField(
        label=_("应参加人员（院长办公会必填；党委会默认为党委委员）"),
        queryset=Person.objects.none(), required=False,
        widget=Picker,
    )  # fmt: skip

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


class AgendaForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("议题（三重一大事项）"), queryset=None, widget=SELECT)

    def __init__(self, *args, matters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters


class OutcomeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("结果"), choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING],
        widget=SELECT,
    )  # fmt: skip
    votes_for = forms.IntegerField(label=_("同意"), required=False, min_value=0, widget=NUMBER)
    votes_against = forms.IntegerField(
        label=_("反对"), required=False, min_value=0, initial=0, widget=NUMBER
    )
    votes_abstain = forms.IntegerField(
        label=_("弃权"), required=False, min_value=0, initial=0, widget=NUMBER
    )
    decision = forms.CharField(label=_("会议决定"), required=False, widget=AREA)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 6})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("附件（会议纪要、签到表等）"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))  # fmt: skip


class SettingsForm(forms.Form):
    large_fund_threshold = forms.DecimalField(
        label=_("大额资金标准（元，超过即为大额）"), max_digits=14, decimal_places=2, min_value=0,
        widget=NUMBER,
    )  # fmt: skip
    party_committee_categories = forms.MultipleChoiceField(
        label=_("党委会决定的事项类别"), choices=MatterCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    president_office_categories = forms.MultipleChoiceField(
        label=_("院长办公会可决定的事项类别"), choices=MatterCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


ATTENDANCE_STATES = AttendanceState.choices
