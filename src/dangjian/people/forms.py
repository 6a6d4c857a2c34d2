"""Forms of the registry pages (the office's): the same checks as the services and the
API, in Chinese."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.crypto import digest
from dangjian.core.forms import date_input
from dangjian.orgs.models import Department, Organization

from .models import (
    MASSES_LABEL,
    Employment,
    MobileDirection,
    Person,
    StandingChange,
    Status,
    TalentCategory,
)
from .rules import PHONE, PHONE_MESSAGE, InvalidIdNumber, birth_date_from_id, validate_id_number
from .stages import STAGE_LABELS, STAGES, stage_periods
from .standing import RECORDABLE, allowed_from


class StandingForm(forms.Form):
    """A 党籍 change: the kinds offered are those the person's current standing allows."""

    change = forms.ChoiceField(
        label=_("变动类型"), widget=forms.Select(attrs={"class": "form-select"})
    )
    on = forms.DateField(label=_("变动日期"), widget=date_input())
    note = forms.CharField(
        label=_("依据及说明"),
        max_length=200,
        required=False,
        help_text=_("例如：支部党员大会决议、上级党委批复的文号"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, current: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [
            (c, StandingChange(c).label) for c in RECORDABLE if current in allowed_from(c)
        ]
        self.fields["on"].initial = timezone.localdate()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=200,
        error_messages={"required": _("请填写撤销原因")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("例如：误选了人员")}
        ),
    )


TEXT = {"class": "form-control"}


class PersonForm(forms.Form):
    """A person's staff fields, checked as the roster import checks them: the ID number
    (GB 11643) gives the gender and birth date, a phone is 11 digits from 1, the
    department is one of the hospital's, the organisation one the user keeps. `person`:
    the person edited (None to add one). Adding also takes the political status and the
    days of the development stages reached, as the roster does."""

    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, widget=forms.TextInput(attrs=TEXT),
        help_text=_("18 位；性别和出生日期由身份证号得出"),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("手机号"), max_length=11, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    organization = forms.ModelChoiceField(
        label=_("所在组织"), queryset=Organization.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    department = forms.ModelChoiceField(
        label=_("科室"), queryset=Department.objects.none(), required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    admin_title = forms.CharField(
        label=_("行政职务"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    is_department_head = forms.BooleanField(
        label=_("科室负责人"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    professional_title = forms.CharField(
        label=_("职称"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    talent_category = forms.ChoiceField(
        label=_("人才类别"), choices=TalentCategory.choices, required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    employment = forms.ChoiceField(
        label=_("人员类别"), choices=Employment.choices, initial=Employment.IN_SERVICE,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip

    def __init__(self, *args, organizations, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda org: org.name
        hospitals = {org.hospital_path for org in organizations}
        self.fields["department"].queryset = Department.objects.filter(
            hospital__path__in=hospitals
        ).order_by("name")
        if person is None:
            self._add_stage_fields()
        else:  # numbers are never shown in a form: blank keeps the stored one
            for name, masked in (("id_number", person.id_number_masked),
                                 ("phone", person.phone_masked or "—")):  # fmt: skip
                self.fields[name].required = False
                self.fields[name].help_text = _("留空则不修改（当前：%(masked)s）") % {
                    "masked": masked
                }

    def _add_stage_fields(self):
        self.fields["status"] = forms.ChoiceField(
            label=_("政治面貌"), required=False,
            choices=[("", MASSES_LABEL), *((s, Status(s).label) for s, _ in STAGES)],
            widget=forms.Select(attrs={"class": "form-select"}),
        )  # fmt: skip
        for i, (_status, label) in enumerate(STAGES):
            self.fields[f"stage_{i}"] = forms.DateField(
                label=label, required=False, widget=date_input()
            )

    def clean_id_number(self):
        if self.person is not None and not self.cleaned_data["id_number"].strip():
            return self.person.id_number
        try:
            number = validate_id_number(self.cleaned_data["id_number"])
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from exc
        if birth_date_from_id(number) > timezone.localdate():
            raise forms.ValidationError(_("身份证号中的出生日期晚于今天"))
        others = Person.objects.filter(id_digest=digest(number))
        if self.person is not None:
            others = others.exclude(pk=self.person.pk)
        holder = others.first()
        if holder is not None and not self.takes_registered(holder):
            # Not who or where: the holder may be in another hospital, outside this scope.
            raise forms.ValidationError(
                _("该身份证号已登记；如为其他单位转来的人员，请办理组织关系转接")
            )
        return number

    def takes_registered(self, holder: Person) -> bool:
        """Whether the already registered holder of the ID number may be taken (a form
        for someone who comes back says yes); adding or editing never does."""
        return False

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if self.person is not None and not phone:
            return self.person.phone
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(PHONE_MESSAGE)
        return phone

    def clean(self):
        data = super().clean()
        org, department = data.get("organization"), data.get("department")
        if org is not None and department is not None:
            if department.hospital.path != org.hospital_path:
                self.add_error("department", _("科室不属于该组织所在医院"))
        if self.person is None and not self.errors:
            self._clean_stages(data)
        return data

    def _clean_stages(self, data):
        dates = [data.get(f"stage_{i}") for i in range(len(STAGES))]
        periods, problems = stage_periods(data.get("status") or "", dates, timezone.localdate())
        for label, reason in problems:
            self.add_error(f"stage_{STAGE_LABELS.index(label)}", reason)
        data["periods"] = periods


class MobileForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("流动方向"), choices=MobileDirection.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    on = forms.DateField(label=_("开始日期"), widget=date_input())
    place = forms.CharField(
        label=_("外出地点或参加活动的党组织"), max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    certificate_number = forms.CharField(
        label=_("流动党员活动证编号"), max_length=50, required=False,
        widget=forms.TextInput(attrs=TEXT),
    )  # fmt: skip
    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class EndMobileForm(forms.Form):
    on = forms.DateField(label=_("结束日期"), widget=date_input())
