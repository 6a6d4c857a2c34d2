"""The office's election (换届选举) and extension (延期换届) forms. The rules are checked by
`orgs.elections`, so the page and every other caller refuse the same things."""

from itertools import groupby

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input

from .models import COMMITTEE_POSTS, Organization
from .rules import DEFAULT_TERM_YEARS, TERM_YEARS_ALLOWED

MAX_CANDIDATES = 60
MAX_COUNT = 100_000  # electors, ballots and votes: far above any meeting, within the column
NUMBER = {"class": "form-control", "inputmode": "numeric", "min": "0"}
SELECT = {"class": "form-select"}


def _count(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=help_text,
        widget=forms.NumberInput(attrs=NUMBER),
    )


class ElectionForm(forms.Form):
    held_on = forms.DateField(label=_("选举日期"), widget=date_input())
    term_years = forms.TypedChoiceField(
        label=_("任期（年）"), coerce=int,
        choices=[(n, str(n)) for n in TERM_YEARS_ALLOWED],
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    entitled = _count(
        _("应到会有选举权的党员"), _("党员大会为正式党员人数；党员代表大会为代表人数")
    )
    present = _count(_("实到会有选举权的党员"))
    ballots_issued = _count(_("发出选票"))
    ballots_returned = _count(_("收回选票"))
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000,
        help_text=_("如：支部党员大会 / 党员代表大会，监票人、计票人，上级批复文号"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        years = org.term_years if org.term_years in TERM_YEARS_ALLOWED else DEFAULT_TERM_YEARS
        self.fields["term_years"].initial = years


class CandidateForm(forms.Form):
    """One candidate row: who, for which post, with how many votes."""

    person = forms.ModelChoiceField(
        label=_("候选人"), queryset=None, widget=forms.Select(attrs=SELECT)
    )
    post = forms.ChoiceField(
        label=_("党内职务"),
        choices=[("", _("请选择"))] + [(p.value, p.label) for p in COMMITTEE_POSTS],
        widget=forms.Select(attrs=SELECT),
    )
    votes = _count(_("得票数"))

    def __init__(self, *args, people, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people
        field.choices = choices  # built once for every row: no query a row


def person_choices(people: list, org: Organization) -> list:
    """The eligible people grouped by their organisation, for a picker that reads well on a
    phone; `people` is in tree order."""
    choices: list = [("", _("请选择"))]
    for unit, group in groupby(people, key=lambda p: p.organization):
        choices.append((unit.name, [(p.pk, p.name) for p in group]))
    return choices


CandidateFormSet = forms.formset_factory(
    CandidateForm, extra=6, max_num=MAX_CANDIDATES, validate_max=True, absolute_max=MAX_CANDIDATES
)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("延期至"), widget=date_input())
    approval = forms.CharField(
        label=_("批准文件"), max_length=200,
        help_text=_("批准延期的上级党组织及文号，如：市卫健委党委 〔2025〕12号"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )  # fmt: skip
