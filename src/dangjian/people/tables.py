"""django-tables2 table for the member list (党员名册)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from .models import MASSES_LABEL, MEMBER_STATUSES, Person, Status
from .paging import BY_ORGANIZATION, Key, Keyset

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
        # On a phone each row becomes a card, each cell under its column's name.
        attrs = {"class": "table table-sm table-hover align-middle dj-cards"}

    def render_current_status(self, value, record):
        label = STATUS_LABELS.get(value, MASSES_LABEL) if value else MASSES_LABEL
        if value in MEMBER_STATUSES and getattr(record, "has_relation", True) is False:
            return _("%(status)s（已转出）") % {"status": label}  # a letter took them away
        return label

    def render_is_department_head(self, value):
        return _("是") if value else _("否")


def _label_cells(table_class) -> None:
    """Each cell names its column (data-label): the phone's card layout shows it."""
    for column in table_class.base_columns.values():
        column.attrs = {**column.attrs, "td": {"data-label": column.verbose_name}}


_label_cells(PersonTable)


class PageRows(TableListData):
    """One page of the list, already in the list's order (people.paging.seek): the table
    shows which column sorts it but does not sort the rows again."""

    def order_by(self, aliases):
        pass


# The member list's orders, by the table's sort parameter (a column, "-" for descending).
# Each ends with name and primary key, so that it is total and a page can start after
# any row (people.paging); nulls (no department, 群众) go last on both databases.
NAME_PK = (Key("name"), Key("pk"))
NULLABLE = {"department": "department__name", "current_status": "current_status"}
LOOKUPS = {"organization": "organization__path", **NULLABLE}
SORTABLE = [
    name for name, column in PersonTable.base_columns.items() if column.orderable is not False
]


def sort_order(sort: str) -> tuple[str, Keyset]:
    """The sort parameter as the table will show it, and the list's keyset for it (the
    default order, by organisation, for an empty or unknown one)."""
    column = sort.removeprefix("-")
    if column not in SORTABLE:
        return "", BY_ORGANIZATION
    descending = sort.startswith("-")
    if column == "name":
        return sort, Keyset((Key("name", descending), Key("pk")))
    first = Key(LOOKUPS.get(column, column), descending, nullable=column in NULLABLE)
    return sort, Keyset((first, *NAME_PK))
