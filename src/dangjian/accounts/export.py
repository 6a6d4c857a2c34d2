"""The audit log as an Excel workbook (sheet 审计日志): the entries the filters keep, in
the auditor's words, text typed as text (core.sheets). The caller scopes `entries`;
names are looked up per chunk of entries, never per row."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment

from dangjian.core.sheets import finish, saved

from .audit_log import rows

HEADER = [
    "时间", "操作人", "操作", "操作代码", "对象类型", "对象编号", "涉及人员",
    "修改内容（修改前 → 修改后）", "其他内容", "来源地址",
]  # fmt: skip
CHUNK = 1000


def build_workbook(user, entries) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(HEADER)
    ids = list(entries.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        page = entries.filter(pk__in=ids[start : start + CHUNK]).order_by("-id")
        for row in rows(user, page):
            entry = row.entry
            sheet.append([
                timezone.localtime(entry.created_at).replace(tzinfo=None),
                row.actor, row.action, entry.action, row.object, entry.object_id, row.person,
                "；".join(f"{label}：{before} → {after}" for label, before, after in row.changes),
                "；".join(f"{label}：{value}" for label, value in row.details),
                row.source,
            ])  # fmt: skip
    finish(sheet)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    widths = {"A": 20, "B": 18, "C": 22, "D": 22, "E": 14, "F": 10, "G": 12, "H": 48, "I": 48}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions["J"].width = 16
    sheet.freeze_panes = "A2"
    _print_landscape(sheet)
    return saved(book)


def _print_landscape(sheet) -> None:
    """A4 landscape, every column on one page's width, long texts wrapped (the shared
    export layout, when core.sheets has it, replaces this)."""
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in ("H", "I"):
        for cell in sheet[column][1:]:
            cell.alignment = wrap
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
