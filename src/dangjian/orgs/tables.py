"""django-tables2 tables for organisation lists."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Organization, OrgKind


class OrganizationTable(tables.Table):
    """Organisations with `member_count` and `is_dual` (see `dashboard.queries`)."""

    name = tables.LinkColumn("orgs:detail", args=[tables.A("code")], verbose_name=_("组织名称"))
    code = tables.Column(verbose_name=_("组织编码"))
    kind = tables.Column(verbose_name=_("类型"))
    department = tables.Column(
        verbose_name=_("对应科室"),
        accessor="department__name",
        order_by="department__name",
        default="—",
    )
    member_count = tables.Column(verbose_name=_("党员数"), attrs={"td": {"class": "text-end"}})
    is_dual = tables.Column(verbose_name=_("双带头人"), orderable=False, empty_values=())

    class Meta:
        model = Organization
        fields = ("name", "code", "kind", "department", "member_count", "is_dual")
        order_by = ("code",)
        empty_text = _("没有下级组织")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_is_dual(self, record):
        if record.kind != OrgKind.BRANCH or record.department_id is None:
            return "—"
        if record.is_dual:
            return format_html('<span class="badge text-bg-success">{}</span>', _("是"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("否"))
