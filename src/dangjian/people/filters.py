"""Filters for the member list (党员名册)."""

import django_filters
from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization

from .models import MASSES_LABEL, Employment, Person, Status, StatusPeriod, TalentCategory

MASSES = "masses"
NO_TALENT = "none"
STATUS_CHOICES = [*Status.choices, (MASSES, MASSES_LABEL)]
TALENT_CHOICES = [
    *[(value, label) for value, label in TalentCategory.choices if value],
    (NO_TALENT, TalentCategory.NONE.label),
]
YES_NO = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


class PersonFilter(django_filters.FilterSet):
    """Expects a queryset annotated with `current_status` (people.queries.current_status)."""

    q = django_filters.CharFilter(label=_("姓名"), method="filter_name")
    org = django_filters.CharFilter(
        label=_("组织编码"), method="filter_org", help_text=_("含下级组织")
    )
    status = django_filters.ChoiceFilter(
        label=_("政治面貌"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("全部")
    )
    employment = django_filters.ChoiceFilter(
        label=_("人员类别"), choices=Employment.choices, empty_label=_("全部")
    )
    talent = django_filters.ChoiceFilter(
        label=_("人才类别"), choices=TALENT_CHOICES, method="filter_talent", empty_label=_("全部")
    )
    is_department_head = django_filters.BooleanFilter(
        label=_("科室负责人"), widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Person
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation named by `org`, once it has been looked up (for the page title).
        self.selected_org = None
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)
        self.form.fields["q"].widget.attrs["placeholder"] = _("输入姓名")

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__contains=value.strip())

    def filter_org(self, queryset, name, value):
        """A subtree by organisation code; a code outside the user's scope matches no one."""
        user = getattr(self.request, "user", None)
        org = (
            Organization.objects.visible_to(user)
            .filter(code=value.strip())
            .only("code", "name", "path")
            .first()
        )
        self.selected_org = org
        if org is None:
            return queryset.none()
        return queryset.filter(organization__path__startswith=org.path)

    def filter_status(self, queryset, name, value):
        if value == MASSES:
            return queryset.filter(current_status__isnull=True)
        if connection.vendor == "postgresql":
            # The same people (one open period per person) as a semi-join, which
            # PostgreSQL hashes: 12 ms instead of 44 ms to count a city's 24,000 full
            # members. SQLite walks the list's indexes faster with the correlated form.
            open_periods = StatusPeriod.objects.filter(ended_on__isnull=True, status=value)
            return queryset.filter(pk__in=open_periods.values("person_id"))
        return queryset.filter(current_status=value)

    def filter_talent(self, queryset, name, value):
        return queryset.filter(talent_category="" if value == NO_TALENT else value)
