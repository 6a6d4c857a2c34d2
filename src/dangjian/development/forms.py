"""Forms of the development pages: one step (fields follow the step's spec), its
documents, and the branch assembly's tally for several candidates at once.

The forms only check the shape of the input; the statutory rules (order, time limits,
participants, quorum) are applied by `services.record_step`, whose Chinese refusals the
views show as form errors, so every rule has one definition.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import Picker, date_input

from . import rules
from .models import DocumentKind
from .services import DevelopmentError, StepInput, record_step
from .steps import SPECS, ParticipantRole, StepCode, StepSpec

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ofd"]
VOTE_FIELDS = ("entitled", "present", "yes", "no", "abstain")
VOTE_LABELS = {
    "entitled": _("应到会有表决权党员"),
    "present": _("实到会有表决权党员"),
    "yes": _("赞成"),
    "no": _("反对"),
    "abstain": _("弃权"),
}


def _number(label, required=True, max_value=9999):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0}),
    )


def available_steps(pipeline: rules.Pipeline) -> list[StepSpec]:
    """The steps whose prerequisites are on record and which are not done yet (or may
    repeat): what the step select offers. The time rules are left to `rules.check`."""
    if pipeline.cancelled:
        return []
    if pipeline.is_full:
        return [] if pipeline.has(StepCode.ARCHIVED) else [SPECS[StepCode.ARCHIVED]]
    return [
        spec
        for spec in SPECS.values()
        if (spec.repeatable or not pipeline.has(spec.code))
        and all(pipeline.has(code) for code in spec.requires)
    ]


class DueForm(forms.Form):
    """`?days=N` of the due list; a bad value falls back to 30 days with the error shown."""

    DEFAULT_DAYS = 30
    days = forms.IntegerField(
        label=_("天数"),
        required=False,
        min_value=1,
        max_value=366,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    def days_value(self) -> int:
        if self.is_valid() and self.cleaned_data["days"]:
            return self.cleaned_data["days"]
        return self.DEFAULT_DAYS


class StepChoiceForm(forms.Form):
    """The GET form choosing which step to record."""

    code = forms.ChoiceField(label=_("发展步骤"))

    def __init__(self, *args, specs: list[StepSpec], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(spec.code, step_label(spec)) for spec in specs]
        self.fields["code"].widget.attrs["class"] = "form-select"


def step_label(spec: StepSpec) -> str:
    label = StepCode(spec.code).label
    return f"{spec.number}. {label}" if spec.number else str(label)


def _member_label(person) -> str:
    return f"{person.name}（{person.organization.name}）"


class StepForm(forms.Form):
    """One step; the participant, vote, training, extension and notice fields appear
    only for the steps that carry them."""

    done_on = forms.DateField(label=_("办理日期"), widget=date_input())
    actor = forms.CharField(
        label=_("经办人/谈话人"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, spec: StepSpec, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.participants:
            # Not required here: the rule's own refusal says how many are needed.
            self.fields["participants"] = forms.ModelMultipleChoiceField(
                label=ParticipantRole(spec.participants).label,
                queryset=participants,
                required=False,
                help_text=_("从本院正式党员中选择，可输入姓名筛选"),
                widget=Picker,
            )
            self.fields["participants"].label_from_instance = _member_label
        if spec.vote:
            for name in VOTE_FIELDS:
                self.fields[f"vote_{name}"] = _number(VOTE_LABELS[name])
        if spec.training:
            self.fields["training_days"] = _number(_("培训天数"), required=False, max_value=366)
            self.fields["training_hours"] = _number(_("培训学时"), required=False)
        if spec.code == StepCode.PROBATION_EXTENDED:
            self.fields["extension_months"] = _number(_("延长月数"), required=False, max_value=99)
        if spec.notice:
            self.fields["notice_ends_on"] = forms.DateField(
                label=_("公示截止日期"), required=False, widget=date_input(),
                help_text=_("办理日期为公示开始日期；公示期不少于 %(n)d 个工作日")
                % {"n": settings.DANGJIAN_PUBLIC_NOTICE_DAYS},
            )  # fmt: skip
            self.fields["objections"] = forms.CharField(
                label=_("公示期间反映的意见"), max_length=2000, required=False,
                help_text=_("无反映意见的留空"),
                widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
            )  # fmt: skip

    def to_input(self, documents=()) -> StepInput:
        data = self.cleaned_data
        vote = None
        if self.spec.vote:
            vote = rules.Vote(**{name: data[f"vote_{name}"] for name in VOTE_FIELDS})
        return StepInput(
            code=self.spec.code,
            done_on=data["done_on"],
            actor=data["actor"],
            note=data["note"],
            participants=list(data.get("participants") or []),
            vote=vote,
            training_days=data.get("training_days"),
            training_hours=data.get("training_hours"),
            extension_months=data.get("extension_months"),
            notice_ends_on=data.get("notice_ends_on"),
            objections=data.get("objections") or "",
            documents=list(documents),
        )


class DocumentForm(forms.Form):
    """One attached file; a row left without a file is ignored."""

    kind = forms.ChoiceField(
        label=_("材料类别"),
        choices=DocumentKind.choices,
        initial=DocumentKind.OTHER,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(
        label=_("文件"),
        required=False,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB"))
        return upload


DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, max_num=10, validate_max=True)


def documents_of(formset) -> list[tuple[str, object]]:
    return [
        (form.cleaned_data.get("kind") or DocumentKind.OTHER, form.cleaned_data["file"])
        for form in formset.forms
        if form.cleaned_data.get("file")
    ]


class AssemblyForm(forms.Form):
    """The 支部党员大会 itself: one date, chair and note for every candidate voted on."""

    done_on = forms.DateField(label=_("大会日期"), widget=date_input())
    actor = forms.CharField(
        label=_("主持人"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class TallyForm(forms.Form):
    """One candidate's tally. Left unticked, the candidate is not voted on; `entitled`
    left empty means the branch's full members on the assembly's date."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(
        label=_("本次表决"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in VOTE_FIELDS:
            field = _number(VOTE_LABELS[name], required=False)
            field.widget.attrs["class"] = "form-control form-control-sm"
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        if data.get("include"):
            for name in VOTE_FIELDS[1:]:
                if data.get(name) is None:
                    self.add_error(name, _("请填写表决人数"))
        return data

    def person_pk(self) -> int | None:
        try:
            return int(self["person"].value())
        except (TypeError, ValueError):
            return None

    def vote(self, entitled_default: int) -> rules.Vote:
        data = self.cleaned_data
        entitled = data["entitled"] if data.get("entitled") is not None else entitled_default
        return rules.Vote(entitled, data["present"], data["yes"], data["no"], data["abstain"])


TallyFormSet = forms.formset_factory(TallyForm, extra=0)


def record_assembly(meeting, chosen, candidates, entitled: int, *, by) -> list | None:
    """Record one assembly's vote for every chosen tally (their `candidates[pk]` rows
    carry `vote_code`) in one transaction: if any is refused, none is written, each
    refusal goes on its candidate's form and None is returned."""
    steps = []
    with transaction.atomic():
        for form in chosen:
            row = candidates[form.cleaned_data["person"]]
            data = StepInput(
                code=row.vote_code,
                done_on=meeting.cleaned_data["done_on"],
                actor=meeting.cleaned_data["actor"],
                note=meeting.cleaned_data["note"],
                vote=form.vote(entitled),
            )
            try:
                steps.append(record_step(row.person, data, by=by))
            except DevelopmentError as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
        if any(form.errors for form in chosen):
            transaction.set_rollback(True)
            return None
    return steps


def tally_initial(candidates, entitled: int) -> list[dict]:
    return [{"person": c.person.pk, "include": True, "entitled": entitled} for c in candidates]


def today_initial(today: dt.date) -> dict:
    return {"done_on": today}
