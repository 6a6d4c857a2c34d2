"""Forms of the survey pages; the services do the checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QuestionKind

TEXT = forms.TextInput(attrs={"class": "form-control"})
AREA = forms.Textarea(attrs={"class": "form-control", "rows": 3})
SELECT = forms.Select(attrs={"class": "form-select"})
CHECK = forms.CheckboxInput(attrs={"class": "form-check-input"})
ISO_MINUTE = "%Y-%m-%dT%H:%M"


def datetime_input():
    """The browser's date-and-time picker reads and writes ISO values only."""
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control"}, format=ISO_MINUTE
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, widget=TEXT)
    description = forms.CharField(label=_("说明"), required=False, widget=AREA)
    is_vote = forms.BooleanField(
        label=_("这是一次投票（只有一道选择题）"), required=False, widget=CHECK
    )
    is_anonymous = forms.BooleanField(
        label=_("匿名（答案不记录作答人，只记录是否已答）"), required=False, initial=True,
        widget=CHECK,
    )  # fmt: skip
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=datetime_input())
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=datetime_input())
    results_public = forms.BooleanField(
        label=_("截止后向党员公开结果"), required=False, widget=CHECK
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices, widget=SELECT)
    text = forms.CharField(label=_("题目"), max_length=300, widget=TEXT)
    options = forms.CharField(label=_("选项（选择题填写，每行一个）"), required=False, widget=AREA)
    max_picks = forms.IntegerField(
        label=_("最多可选（多选题，可不填）"), required=False, min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip

    def option_lines(self) -> list[str]:
        lines = self.cleaned_data.get("options", "").splitlines()
        return [line.strip() for line in lines if line.strip()]


class AnswerForm(forms.Form):
    """One field per question, named q<pk>; nothing required here, so that the service
    says in Chinese which question is missing and the answers given stay on the page."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            choices = [(o.pk, o.text) for o in question.options.all()]
            if question.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=choices, coerce=int, required=False,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                )  # fmt: skip
            else:
                field = forms.CharField(required=False, max_length=2000, widget=AREA)
            field.label = question.text
            self.fields[name] = field

    def given(self) -> dict:
        """{question pk: [option pks] or text}, as `services.answer` takes it."""
        given = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == QuestionKind.SINGLE:
                given[question.pk] = [value] if value not in (None, "") else []
            else:
                given[question.pk] = value or ([] if question.has_options else "")
        return given

    def rows(self):
        """(question, bound field) pairs for the template."""
        return [(q, self[f"q{q.pk}"]) for q in self.questions]
