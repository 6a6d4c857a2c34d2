"""The audit log as an Excel workbook (sheet 审计日志): the entries the filters keep, in
the auditor's words, in the shared layout (core.sheets: text typed as text, A4 fitted to
one page wide). The caller scopes `entries`; names are looked up per chunk of entries,
never per row."""

import io

from django.utils import timezone
from openpyxl import Workbook

from dangjian.core.sheets import Column, Heading, Table, saved

from .audit_log import rows
from .scope import scope_for

HEADER = [
    "时间", "操作人", "操作", "操作代码", "对象类型", "对象编号", "涉及人员",
    "修改内容（修改前 → 修改后）", "其他内容", "来源地址",
]  # fmt: skip
CHUNK = 1000


def _scope_name(user) -> str:
    """The organisations whose log this is, for the page header."""
    paths = scope_for(user).audit_paths
    grants = user.grants.filter(organization__path__in=paths).order_by("organization__path")
    return "、".join(dict.fromkeys(grants.values_list("organization__name", flat=True)))


def build_workbook(user, entries) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "审计日志"
    table = Table(
        sheet, [Column(h) for h in HEADER],
        Heading("审计日志", _scope_name(user), timezone.localdate()),
    )  # fmt: skip
    ids = list(entries.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        page = entries.filter(pk__in=ids[start : start + CHUNK]).order_by("-id")
        for row in rows(user, page):
            entry = row.entry
            table.row([
                f"{timezone.localtime(entry.created_at):%Y-%m-%d %H:%M:%S}",
                row.actor, row.action, entry.action, row.object, entry.object_id, row.person,
                "；".join(f"{label}：{before} → {after}" for label, before, after in row.changes),
                "；".join(f"{label}：{value}" for label, value in row.details),
                row.source,
            ])  # fmt: skip
    table.finish()
    return saved(book)
