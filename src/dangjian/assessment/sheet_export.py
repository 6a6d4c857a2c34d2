"""The score sheet as a workbook (openpyxl): one row per scored organisation with each
indicator's points, the reasons, and a second sheet with every indicator's records."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLOURS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "无数据"}


def _get(item, name):
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


def sheet_workbook(org, level_name: str, indicators, period: str, rows, sheet) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "考核评分"
    state = f"已评定（{sheet.scored_at:%Y-%m-%d}）" if sheet else "未评定（实时计算）"
    ws.append([f"{org.name} {period} {level_name}考核评分 · {state}"])
    ws["A1"].font = Font(bold=True, size=14)
    header = ["排名", "名称", "得分", "等级", *[f"{label}（{w}）" for _k, label, w in indicators],
              "荣誉加分", "扣分原因"]  # fmt: skip
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    detail = book.create_sheet("得分明细")
    detail.append(["名称", "指标", "权重", "得分", "依据", "记录"])
    for row in rows:
        points = {_get(i, "key"): _get(i, "points") for i in row.indicators}
        ws.append([row.rank, row.name, row.score, COLOURS.get(row.colour, row.colour),
                   *[points.get(k) for k, _l, _w in indicators], row.bonus,
                   "；".join(row.reasons)])  # fmt: skip
        for i in row.indicators:
            detail.append([row.name, _get(i, "label"), _get(i, "weight"), _get(i, "points"),
                           _get(i, "detail"), "；".join(_get(i, "records") or [])])  # fmt: skip
        if row.honours:
            detail.append([row.name, "荣誉加分", None, row.bonus, "", "；".join(row.honours)])
    ws.column_dimensions["B"].width = 28
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in range(5, len(header) + 1):  # indicator headers and the reasons wrap
        ws.column_dimensions[get_column_letter(column)].width = 10
        for cell in ws[get_column_letter(column)]:
            cell.alignment = wrap
    ws.column_dimensions[get_column_letter(len(header))].width = 60
    for column in "EF":
        for cell in detail[column]:
            cell.alignment = wrap
    detail.column_dimensions["F"].width = 50
    for page in (ws, detail):  # printed on A4 landscape, one page wide
        page.page_setup.orientation = "landscape"
        page.page_setup.paperSize = page.PAPERSIZE_A4
        page.sheet_properties.pageSetUpPr.fitToPage = True
        page.page_setup.fitToWidth, page.page_setup.fitToHeight = 1, 0
    ws.freeze_panes = "C3"
    detail.column_dimensions["A"].width = 28
    detail.column_dimensions["E"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
