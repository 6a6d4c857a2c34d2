"""The dues reconciliation as the Excel workbook a Party office files: a summary sheet
(党费收缴汇总: per branch the members and amounts due, collected and in arrears, the
hospital's totals and what is passed up) and a detail sheet (党费明细: every member's
bill of the period with the base, the amount and when and how it was paid).

The caller checks the scope; `org` is the subtree exported (another hospital's rows never
appear). Four queries: the three of the reconciliation and the bills of the detail.
"""

import datetime as dt

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dangjian.core.sheets import saved
from dangjian.orgs.models import Organization

from .models import DuesBill
from .reconciliation import Line, reconcile

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def period_label(year: int, month: int | None) -> str:
    if month is None:
        return _("%(year)d年") % {"year": year}
    return _("%(year)d年%(month)02d月") % {"year": year, "month": month}


def build_workbook(org: Organization, year: int, month: int | None = None) -> bytes:
    """The workbook of `org`'s subtree for `month` of `year` (or the whole year)."""
    result = reconcile(org, year, month)
    book = Workbook()
    summary = book.active
    summary.title = "党费收缴汇总"
    _write_summary(summary, org, result, period_label(year, month))
    _write_detail(book.create_sheet("党费明细"), org, result.start, result.end)
    return saved(book).getvalue()


def _write_summary(sheet, org, result, label: str) -> None:
    sheet.append([_("%(org)s %(period)s 党费收缴汇总表") % {"org": org.name, "period": label}])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    header = [
        _("党支部"), _("应交人数"), _("应交金额"), _("实交人数"), _("实交金额"),
        _("欠交人数"), _("欠交金额"), _("自愿交纳"),
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for line in result.lines:
        _append_line(sheet, line.organization.name, line)
    _append_line(sheet, _("合计"), result.total)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append([_("上缴党费"), result.passed_up])
    sheet.append([_("全额上缴中央（一次性自愿交纳 1000 元以上）"), result.passed_up_in_full])
    for row in sheet.iter_rows(min_row=sheet.max_row - 1):
        row[1].number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 40
    for column in "BCDEFGH":
        sheet.column_dimensions[column].width = 12


def _append_line(sheet, name: str, line: Line) -> None:
    sheet.append([
        name, line.due_members, line.due_amount, line.paid_members, line.collected,
        line.unpaid_members, line.owed, line.voluntary,
    ])  # fmt: skip
    for index in (2, 4, 6, 7):
        sheet.cell(row=sheet.max_row, column=index + 1).number_format = MONEY_FORMAT


def _write_detail(sheet, org, start: dt.date, end: dt.date) -> None:
    sheet.append([
        _("党员"), _("月份"), _("基数"), _("应交金额"), _("交纳日期"), _("方式"),
        _("所在组织"), _("党费类别"), _("经批准少交或免交"),
    ])  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    bills = (
        DuesBill.objects.filter(
            organization__path__startswith=org.path, month__gte=start, month__lt=end
        )
        .select_related("person", "organization", "paid_by")
        .order_by("organization__path", "person__name", "person_id", "month")
    )
    for bill in bills.iterator(chunk_size=2000):
        payment = bill.paid_by
        sheet.append([
            bill.person.name, f"{bill.month:%Y-%m}", bill.base, bill.amount,
            payment.paid_on if payment else None,
            str(payment.get_method_display()) if payment else None,
            bill.organization.name, str(bill.get_category_display()),
            _("是") if bill.reduced else "",
        ])  # fmt: skip
        row = sheet.max_row
        sheet.cell(row=row, column=3).number_format = MONEY_FORMAT
        sheet.cell(row=row, column=4).number_format = MONEY_FORMAT
        sheet.cell(row=row, column=5).number_format = DATE_FORMAT
    for column, width in zip("ABCDEFGHI", (12, 10, 12, 12, 12, 10, 30, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
