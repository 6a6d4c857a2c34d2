"""Forms of the office's organisation pages: a new organisation, a rename, the branches
a split or merge sets up, joint departments and the day of a change. The services check
the rules again; these only read the input."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import date_input

from .models import DepartmentCategory, Organization, OrgKind
from .restructuring import NewBranch
from .rules import CHILD_KINDS

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
# The department field offers the hospital's departments from this <datalist>.
DEPARTMENT_LIST = "dj-departments"


def _department_fields(form: forms.Form) -> None:
    form.fields["department"] = forms.CharField(
        label=_("对应科室"), max_length=100, required=False,
        help_text=_("可选本院已有科室，或填写新科室名称"),
        widget=forms.TextInput(attrs={**TEXT, "list": DEPARTMENT_LIST, "autocomplete": "off"}),
    )  # fmt: skip
    form.fields["category"] = forms.ChoiceField(
        label=_("科室类别"), required=False,
        choices=[("", _("（新科室时填写）"))] + list(DepartmentCategory.choices),
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip


class DayForm(forms.Form):
    """The day a change takes effect (default today)."""

    on = forms.DateField(
        label=_("调整日期"), widget=date_input(), error_messages={"required": _("请填写日期")}
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if label:
            self.fields["on"].label = label


class NewOrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), widget=forms.Select(attrs=SELECT))
    code = forms.CharField(
        label=_("组织编码"), max_length=50, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("请填写组织编码")},
    )  # fmt: skip
    name = forms.CharField(
        label=_("组织名称"), max_length=200, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("请填写组织名称")},
    )  # fmt: skip
    founded_on = forms.DateField(label=_("成立日期"), widget=date_input())
    is_temporary = forms.BooleanField(
        label=_("临时党支部"), required=False,
        help_text=_("为项目、任务等设立，任务完成后结束（如医疗队、援建队）"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input ms-2"}),
    )  # fmt: skip
    planned_end_on = forms.DateField(
        label=_("计划结束日期"), required=False, widget=date_input(),
        help_text=_("仅临时党支部填写"),
    )  # fmt: skip

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = CHILD_KINDS[parent.kind]
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in kinds]
        if OrgKind.BRANCH in kinds:
            self.fields["kind"].initial = OrgKind.BRANCH
        self.fields["founded_on"].initial = timezone.localdate()
        _department_fields(self)
        self.order_fields(["kind", "code", "name", "department", "category"])


class RenameForm(forms.Form):
    name = forms.CharField(
        label=_("新名称"), max_length=200, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("请填写新名称")},
    )  # fmt: skip
    on = forms.DateField(label=_("更名日期"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class NewBranchForm(forms.Form):
    """One branch a split or merge sets up."""

    code = forms.CharField(
        label=_("组织编码"), max_length=50, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("请填写组织编码")},
    )  # fmt: skip
    name = forms.CharField(
        label=_("支部名称"), max_length=200,
        widget=forms.TextInput(attrs={**TEXT, "data-dj-names-option": ""}),
        error_messages={"required": _("请填写支部名称")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _department_fields(self)

    def new_branch(self) -> NewBranch:
        data = self.cleaned_data
        return NewBranch(
            data["code"].strip(),
            data["name"].strip(),
            data.get("department", "").strip(),
            data.get("category", ""),
        )


NewBranchFormSet = forms.formset_factory(NewBranchForm, extra=0, min_num=0, max_num=10)
SPLIT_DEFAULT_BRANCHES = 3
SPLIT_MAX_BRANCHES = 10


class JointForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("涵盖科室"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("联合党支部涵盖 2–5 个科室；全部取消则为普通党支部"),
    )  # fmt: skip
    on = forms.DateField(label=_("生效日期"), widget=date_input())

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments
        self.fields["on"].initial = timezone.localdate()


class PeopleChoiceForm(forms.Form):
    """One select per person (`person_<id>`): where each goes. `rows()` pairs each person
    with their field, for one card per person on a phone."""

    def __init__(self, *args, people, empty_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        empty_label = empty_label or _("请选择")
        for person in people:
            self.fields[f"person_{person.pk}"] = self.make_field(person, empty_label)

    def make_field(self, person, empty_label) -> forms.Field:
        raise NotImplementedError

    def rows(self):
        return [(person, self[f"person_{person.pk}"]) for person in self.people]

    def chosen(self) -> dict:
        """{person id: choice} of the people given a choice."""
        data = self.cleaned_data
        picked = {p.pk: data.get(f"person_{p.pk}") for p in self.people}
        return {pk: value for pk, value in picked.items() if value not in (None, "")}


class AssignmentForm(PeopleChoiceForm):
    """拆分: the new branch (by its row, 1 to n) each person goes to."""

    def __init__(self, *args, branches: int, **kwargs):
        self.branches = branches
        super().__init__(*args, **kwargs)

    def make_field(self, person, empty_label) -> forms.Field:
        choices = [("", empty_label)] + [
            (str(i), _("新支部 %(n)s") % {"n": i + 1}) for i in range(self.branches)
        ]
        return forms.TypedChoiceField(
            label=person.name, choices=choices, coerce=int, required=False,
            widget=forms.Select(attrs={**SELECT, "data-dj-names-select": ""}),
        )  # fmt: skip


class ReturnForm(PeopleChoiceForm):
    """结束临时党支部: the standing branch each person goes back to (`branches`, a list, so
    that a hundred selects cost one query)."""

    def __init__(self, *args, branches: list, **kwargs):
        self.branches = {b.pk: b for b in branches}
        super().__init__(*args, **kwargs)

    def make_field(self, person, empty_label) -> forms.Field:
        choices = [("", empty_label)] + [(pk, b.name) for pk, b in self.branches.items()]
        return forms.TypedChoiceField(
            label=person.name, choices=choices, coerce=int, required=False,
            widget=forms.Select(attrs=SELECT),
        )  # fmt: skip

    def chosen(self) -> dict:
        return {pk: self.branches[value] for pk, value in super().chosen().items()}


class MergeForm(forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("被合并的支部"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要合并的支部")},
    )  # fmt: skip
    into = forms.ModelChoiceField(
        label=_("并入"), queryset=None, required=False, empty_label=_("新建一个支部（填写下方信息）"),
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    on = forms.DateField(label=_("调整日期"), widget=date_input())

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = branches
        self.fields["into"].queryset = branches
        self.fields["on"].initial = timezone.localdate()
