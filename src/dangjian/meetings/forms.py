"""Forms of the meeting pages: plan a meeting, correct attendance, record it as held,
upload an attachment.

The forms only check the shape of the input; the rules (who may be expected, quorum,
allowed file types and sizes) live in `services`, whose Chinese refusals the views show
as form errors, so every rule has one definition.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField, date_input

from . import rules
from .models import AttendanceState, MeetingStatus
from .rules import MeetingKind

TEXT = {"class": "form-control"}


def _time_input():
    return forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")


class ListFilterForm(forms.Form):
    """`?kind=&status=` of the meeting list; an unknown value is ignored."""

    kind = forms.ChoiceField(
        label=_("类别"),
        required=False,
        choices=[("", _("全部类别")), *MeetingKind.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": _("类别")}),
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *MeetingStatus.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": _("状态")}),
    )

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


class PlanMeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=MeetingKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    topic = forms.CharField(label=_("主题"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    planned_on = forms.DateField(label=_("计划日期"), widget=date_input())
    starts_at = forms.TimeField(label=_("开始时间"), required=False, widget=_time_input())
    ends_at = forms.TimeField(label=_("结束时间"), required=False, widget=_time_input())
    place = forms.CharField(
        label=_("地点"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    host = forms.CharField(
        label=_("主持人"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    lecturer = forms.ModelChoiceField(
        label=_("授课人"),
        queryset=None,
        required=False,
        empty_label=_("（无）"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, lecturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = lecturers
        self.fields["lecturer"].label_from_instance = lambda p: p.name

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间"))
        return data

    def _on_day(self, time: dt.time | None) -> dt.datetime | None:
        if time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["planned_on"], time))

    def plan_arguments(self) -> dict:
        """Keyword arguments of `services.plan_meeting`."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "topic": data["topic"],
            "planned_on": data["planned_on"],
            "starts_at": self._on_day(data["starts_at"]),
            "ends_at": self._on_day(data["ends_at"]),
            "place": data["place"],
            "host": data["host"],
            "lecturer": data["lecturer"],
        }


class AttendanceForm(forms.Form):
    """One state and reason per expected member, named by the attendance row's pk."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"state_{row.pk}"] = forms.ChoiceField(
                label=row.person.name,
                choices=AttendanceState.choices,
                initial=row.state,
                # Named for screen readers: the table's cells carry no <label>.
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm",
                        "aria-label": gettext("%(name)s的出席情况") % {"name": row.person.name},
                    }
                ),
            )
            self.fields[f"reason_{row.pk}"] = forms.CharField(
                label=_("事由"),
                max_length=200,
                required=False,
                initial=row.reason,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "aria-label": gettext("%(name)s的事由") % {"name": row.person.name},
                    }
                ),
            )

    def bound_rows(self):
        """(attendance row, state field, reason field) for the template."""
        return [(row, self[f"state_{row.pk}"], self[f"reason_{row.pk}"]) for row in self.rows]

    def changes(self):
        """(row, state, reason) for each row whose state or reason changed."""
        result = []
        for row in self.rows:
            state = self.cleaned_data[f"state_{row.pk}"]
            reason = self.cleaned_data[f"reason_{row.pk}"].strip()
            if state != row.state or reason != row.reason:
                result.append((row, state, reason))
        return result


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("召开日期"), widget=date_input())
    minutes = forms.CharField(
        label=_("会议记录"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
        help_text=_("填写会议记录后即归档，计入组织生活完成情况。"),
    )
    resolution = forms.CharField(
        label=_("决议"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_(
            "支部党员大会、支委会的决议须半数以上有表决权的党员到会，"
            "并经应到会有表决权党员的半数以上同意。"
        ),
    )

    def __init__(self, *args, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_tally = kind in rules.QUORUM_KINDS
        if self.needs_tally:
            for name, label in (
                ("yes", _("赞成票")),
                ("no", _("反对票")),
                ("abstain", _("弃权票")),
            ):
                self.fields[f"votes_{name}"] = forms.IntegerField(
                    label=label, required=False, min_value=0, max_value=999,
                    widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
                    help_text=_("有决议时填写") if name == "yes" else "",
                )  # fmt: skip

    def service_args(self) -> dict:
        """What services.record_held takes: the tally only when one was typed."""
        data = dict(self.cleaned_data)
        counts = [data.pop(f"votes_{n}", None) for n in ("yes", "no", "abstain")]
        if any(c is not None for c in counts):
            data["tally"] = rules.Tally(*(c or 0 for c in counts))
        return data


class UploadForm(forms.Form):
    # Several photos of the meeting at once, as a phone's picker offers them.
    file = MultipleFileField(label=_("附件（可多选照片或文件）"))
