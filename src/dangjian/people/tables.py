"""django-tables2 table for the member list (党员名册)."""

import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import MASSES_LABEL, Person, Status

STATUS_LABELS = dict(Status.choices)


class PersonTable(tables.Table):
    """Rows come annotated with `current_status`; related names are select_related, so a
    page of 25 costs one query."""

    name = tables.LinkColumn("people:detail", args=[tables.A("pk")], verbose_name=_("姓名"))
    gender = tables.Column(verbose_name=_("性别"))
    organization = tables.Column(
        verbose_name=_("所在组织"),
        accessor="organization__name",
        order_by=("organization__path", "name"),
    )
    department = tables.Column(
        verbose_name=_("科室"),
        accessor="department__name",
        default="—",
    )
    current_status = tables.Column(verbose_name=_("政治面貌"), empty_values=())
    employment = tables.Column(verbose_name=_("人员类别"))
    talent_category = tables.Column(verbose_name=_("人才类别"), default="—")
    is_department_head = tables.Column(verbose_name=_("科室负责人"))
    admin_title = tables.Column(verbose_name=_("行政职务"), default="—")

    class Meta:
        model = Person
        fields = (
            "name",
            "gender",
            "organization",
            "department",
            "current_status",
            "employment",
            "talent_category",
            "is_department_head",
            "admin_title",
        )
        empty_text = _("没有符合条件的人员")
        attrs = {"class": "table table-sm table-hover align-middle"}

    # SQLite and PostgreSQL put NULLs at opposite ends; people without a value (no
    # department, 群众) go last on both.
    def order_department(self, queryset, is_descending):
        return _order_nulls_last(queryset, "department__name", is_descending), True

    def order_current_status(self, queryset, is_descending):
        return _order_nulls_last(queryset, "current_status", is_descending), True

    def render_current_status(self, value):
        return STATUS_LABELS.get(value, MASSES_LABEL) if value else MASSES_LABEL

    def render_is_department_head(self, value):
        return _("是") if value else _("否")


def _order_nulls_last(queryset, field: str, descending: bool):
    column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return queryset.order_by(column, "name", "pk")
