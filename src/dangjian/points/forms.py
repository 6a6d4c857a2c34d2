"""Page input for points; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input
from dangjian.meetings.models import MeetingKind
from dangjian.people.models import Person

from .rules import CapPeriod, Event, RuleSpec


class AdjustmentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("党员"), queryset=Person.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    points = forms.DecimalField(
        label=_("加减分（扣分填负数）"), max_digits=5, decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("理由"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    on = forms.DateField(label=_("日期"), widget=date_input())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"
        self.fields["on"].initial = timezone.localdate()


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("冲销理由"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class RulesForm(forms.Form):
    """The year's rules: for each event its points, cap and cap period (blank points: the
    event scores nothing); and for attending, an optional different score per kind of
    meeting."""

    def __init__(self, *args, specs, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(s.event, s.meeting_kind): s for s in specs}
        for key, label in self.rows():
            spec = current.get(key)
            prefix = "-".join(filter(None, key))
            number = {"class": "form-control form-control-sm", "step": "0.5"}
            self.fields[f"{prefix}-points"] = forms.DecimalField(
                label=label, required=False, max_digits=5, decimal_places=1,
                initial=spec.points if spec else None, widget=forms.NumberInput(attrs=number),
            )  # fmt: skip
            self.fields[f"{prefix}-cap"] = forms.DecimalField(
                label=_("上限"), required=False, max_digits=6, decimal_places=1,
                initial=spec.cap if spec else None, widget=forms.NumberInput(attrs=number),
            )  # fmt: skip
            self.fields[f"{prefix}-period"] = forms.ChoiceField(
                label=_("上限周期"), choices=CapPeriod.choices, required=False,
                initial=spec.cap_period if spec else CapPeriod.YEAR,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )  # fmt: skip

    @staticmethod
    def rows():
        general = [((event, ""), label) for event, label in Event.choices]
        by_kind = [
            ((Event.MEETING_ATTENDED, kind), f"{Event.MEETING_ATTENDED.label}：{label}")
            for kind, label in MeetingKind.choices
        ]
        return general + by_kind

    def table(self):
        """(label, points, cap, period) bound fields per row, for the template."""
        for key, label in self.rows():
            prefix = "-".join(filter(None, key))
            yield label, self[f"{prefix}-points"], self[f"{prefix}-cap"], self[f"{prefix}-period"]

    def specs(self) -> list[RuleSpec]:
        found = []
        for (event, kind), _label in self.rows():
            prefix = "-".join(filter(None, (event, kind)))
            points = self.cleaned_data.get(f"{prefix}-points")
            if points is None:
                continue
            found.append(
                RuleSpec(
                    event,
                    points,
                    self.cleaned_data.get(f"{prefix}-cap"),
                    self.cleaned_data.get(f"{prefix}-period") or CapPeriod.YEAR,
                    kind,
                )  # fmt: skip
            )
        return found
