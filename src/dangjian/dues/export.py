"""The dues reconciliation as the Excel workbook a Party office files: a summary sheet
(党费收缴汇总: per branch the members and amounts due, collected, in arrears and still
open, the hospital's totals and what is passed up) and a detail sheet (党费明细: every
member's bill of the period with the base, the amount and when and how it was paid);
and the list of members in arrears (党费欠交名单). All in the shared layout (core.sheets).

The caller checks the scope; `org` is the subtree exported (another hospital's rows never
appear). Above the hospitals each row names its hospital (所属医院). Four queries for the
reconciliation workbook (the three of the reconciliation and the bills of the detail),
five above the hospitals (their names).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dangjian.core.sheets import DATE, MONEY, MONTH, NUMBER, Column, Heading, Table, saved
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospital_names, hospital_of

from .models import DuesBill
from .queries import arrears_level
from .reconciliation import Line, reconcile

HOSPITAL = "所属医院"


def level_label(months: int) -> str:
    level = arrears_level(months)
    if level == "handle":
        return _("须按规定处理")
    return _("提醒交纳") if level == "remind" else ""


def period_label(year: int, month: int | None) -> str:
    if month is None:
        return _("%(year)d年") % {"year": year}
    return _("%(year)d年%(month)02d月") % {"year": year, "month": month}


def build_workbook(
    org: Organization, year: int, month: int | None = None, *, today: dt.date | None = None
) -> bytes:
    """The workbook of `org`'s subtree for `month` of `year` (or the whole year), as it
    stands on `today` (a month not ended by then is open, not in arrears)."""
    today = today or timezone.localdate()
    result = reconcile(org, year, month, today=today)
    names = hospital_names(org)
    label = period_label(year, month)
    book = Workbook()
    summary = book.active
    summary.title = "党费收缴汇总"
    _write_summary(summary, org, result, label, names, today)
    _write_detail(book.create_sheet("党费明细"), org, result, label, names, today)
    return saved(book).getvalue()


def _write_summary(sheet, org, result, label: str, names, today: dt.date) -> None:
    title = _("%(org)s %(period)s 党费收缴汇总表") % {"org": org.name, "period": label}
    columns = [
        Column(_("党支部")), Column(_("应交人数"), NUMBER), Column(_("应交金额"), MONEY),
        Column(_("实交人数"), NUMBER), Column(_("实交金额"), MONEY),
        Column(_("欠交人数"), NUMBER), Column(_("欠交金额"), MONEY),
        Column(_("待交人数"), NUMBER), Column(_("待交金额"), MONEY),
        Column(_("自愿交纳"), MONEY),
    ]  # fmt: skip
    if names is not None:
        columns.append(Column(HOSPITAL))
    table = Table(sheet, columns, Heading(_("党费收缴汇总表"), org.name, today), title_rows=[title])
    for line in result.lines:
        values = _line_values(line.organization.name, line)
        if names is not None:
            values.append(hospital_of(names, line.organization.path))
        table.row(values)
    table.row(_line_values(_("合计"), result.total), bold=True)
    table.blank()
    as_money = {1: MONEY}
    table.row([_("上缴党费"), result.passed_up], kinds=as_money)
    table.row(
        [_("全额上缴中央（一次性自愿交纳 1000 元以上）"), result.passed_up_in_full], kinds=as_money
    )
    table.row([_("注：待交为本月（尚未结束的月份）应交未交的党费，不计欠交。")])
    table.finish()


def _line_values(name: str, line: Line) -> list:
    return [
        name, line.due_members, line.due_amount, line.paid_members, line.collected,
        line.unpaid_members, line.owed, line.open_members, line.open_amount, line.voluntary,
    ]  # fmt: skip


def _write_detail(sheet, org, result, label: str, names, today: dt.date) -> None:
    columns = [
        Column(_("党员")), Column(_("月份"), MONTH), Column(_("基数"), MONEY),
        Column(_("应交金额"), MONEY), Column(_("交纳日期"), DATE), Column(_("方式")),
        Column(_("所在组织")), Column(_("党费类别")), Column(_("经批准少交或免交")),
    ]  # fmt: skip
    if names is not None:
        columns.append(Column(HOSPITAL))
    title = _("%(period)s 党费明细") % {"period": label}
    table = Table(sheet, columns, Heading(title, org.name, today))
    bills = (
        DuesBill.objects.filter(
            organization__path__startswith=org.path, month__gte=result.start, month__lt=result.end
        )
        .select_related("person", "organization", "paid_by")
        .order_by("organization__path", "person__name", "person_id", "month")
    )
    for bill in bills.iterator(chunk_size=2000):
        payment = bill.paid_by
        values = [
            bill.person.name, bill.month, bill.base, bill.amount,
            payment.paid_on if payment else None,
            str(payment.get_method_display()) if payment else None,
            bill.organization.name, str(bill.get_category_display()),
            _("是") if bill.reduced else "",
        ]  # fmt: skip
        if names is not None:
            values.append(hospital_of(names, bill.organization.path))
        table.row(values)
    table.finish()


def build_arrears_workbook(org: Organization, people, today: dt.date) -> bytes:
    """The members in arrears (`people`, from `queries.arrears`, scoped by the caller):
    name, organisation, the unpaid months, the oldest, the level. One query, two above
    the hospitals."""
    names = hospital_names(org)
    columns = [
        Column(_("姓名")), Column(_("所在组织")), Column(_("未交月数"), NUMBER),
        Column(_("最早未交月份"), MONTH), Column(_("处理提示")),
    ]  # fmt: skip
    if names is not None:
        columns.append(Column(HOSPITAL))
    book = Workbook()
    sheet = book.active
    sheet.title = "党费欠交名单"
    title = _("党费欠交名单（截至 %(day)s）") % {"day": f"{today:%Y-%m-%d}"}
    table = Table(sheet, columns, Heading(title, org.name, today))
    for person in people:
        values = [
            person.name, person.organization.name, person.arrears_months, person.first_unpaid,
            level_label(person.arrears_months),
        ]  # fmt: skip
        if names is not None:
            values.append(hospital_of(names, person.organization.path))
        table.row(values)
    table.finish()
    return saved(book).getvalue()
