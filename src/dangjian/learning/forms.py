"""Forms of the learning pages. They check only the shape of the input; the rules (hours,
video links, how a question is written, exam settings) live in `services` and `rules`,
whose Chinese refusals the views show as form errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField, Picker

from .rules import OPTION_LETTERS, DrawMode, QuestionKind

TEXT = {"class": "form-control"}


def _datetime_input():
    return forms.DateTimeInput(
        attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
    )


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(
        label=_("课程简介"), required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )  # fmt: skip
    hours = forms.DecimalField(
        label=_("学时"), max_digits=4, decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}),
    )  # fmt: skip
    required = forms.TypedChoiceField(
        label=_("类别"), choices=[("1", _("必修")), ("0", _("选修"))],
        coerce=lambda v: v == "1", widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )  # fmt: skip


class DocumentForm(forms.Form):
    file = MultipleFileField(label=_("课程资料（PDF、Word、PPT 等，可多选）"))


class VideoForm(forms.Form):
    title = forms.CharField(label=_("视频名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    # A plain text field: the service says in Chinese why a link is refused.
    url = forms.CharField(label=_("视频链接"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("题型"), choices=QuestionKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    text = forms.CharField(
        label=_("题目"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    options = forms.CharField(
        label=_("选项（每行一个，判断题不填）"), required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
    )  # fmt: skip
    answer = forms.CharField(
        label=_("正确答案"), max_length=8,
        help_text=_("填选项字母，如 A；多选题如 ACD；判断题 A 为正确、B 为错误"),
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    course = forms.ModelChoiceField(
        label=_("所属课程（随机抽题时从中抽取）"), queryset=None, required=False,
        empty_label=_("（不属于某门课程）"), widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("解析（可不填）"), required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def clean_answer(self) -> list[int]:
        letters = self.cleaned_data["answer"].strip().upper().replace(" ", "").replace("，", "")
        letters = letters.replace(",", "")
        unknown = [ch for ch in letters if ch not in OPTION_LETTERS]
        if not letters or unknown:
            raise forms.ValidationError(_("正确答案请填选项字母 A–H，如 A 或 ACD"))
        return [OPTION_LETTERS.index(ch) for ch in letters]

    def clean_options(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


class ExamForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("出题方式"), choices=DrawMode.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    questions = forms.ModelMultipleChoiceField(
        label=_("指定题目（出题方式为指定题目时）"), queryset=None, required=False, widget=Picker()
    )
    draw_count = forms.IntegerField(
        label=_("随机抽题数（出题方式为随机时）"), min_value=1, max_value=200, required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )  # fmt: skip
    pass_mark = forms.IntegerField(
        label=_("及格分（百分制）"), min_value=1, max_value=100, initial=60,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )  # fmt: skip
    opens_at = forms.DateTimeField(
        label=_("开始时间（可不填）"), required=False, widget=_datetime_input()
    )
    closes_at = forms.DateTimeField(
        label=_("结束时间（可不填）"), required=False, widget=_datetime_input()
    )
    max_attempts = forms.IntegerField(
        label=_("可考次数（不填为不限）"), min_value=1, max_value=20, required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )  # fmt: skip

    def __init__(self, *args, bank, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = bank
        self.fields["questions"].label_from_instance = lambda q: (
            f"[{q.get_kind_display()}] {q.text[:50]}"
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("从工作簿导入题目（.xlsx、.xls、.ods、.csv）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
    )
