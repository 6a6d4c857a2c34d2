"""The city bulletin as an editable .docx: the same shape as the hospital's (export.py),
with the hospitals' comparison on a landscape page."""

import io

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH

from .city_bulletin import CityBulletin
from .export import _body, _day, _heading, _table, headed_document


def _orient(doc, landscape: bool) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = sorted((section.page_width, section.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)


def city_bulletin_docx(bulletin: CityBulletin, issued_on) -> bytes:
    b, period = bulletin, bulletin.period
    doc = headed_document("公立医院党建工作通报", f"{b.organization.name}　{period.label}")
    _body(
        doc,
        f"现将{period.label}（{_day(period.start)}至{_day(period.end)}）全市"
        f"{len(b.comparison['rows'])}家公立医院党建工作情况通报如下。问题以"
        f"{_day(period.checked_on)}合规检查结果为准，考核平均分为各医院党支部本期考核得分的平均。",
    )

    _heading(doc, "一、全市总体情况")
    rows = b.figure_rows
    half = (len(rows) + 1) // 2  # two pairs a row: the figures fit the first page
    pairs = [
        (*rows[i], *(rows[half + i] if half + i < len(rows) else ("", ""))) for i in range(half)
    ]
    _table(doc, ("指标", "数值", "指标", "数值"), pairs)

    _orient(doc, landscape=True)
    _heading(doc, "二、各医院比较")
    _body(doc, "“—”表示该院本期没有相应记录。")
    _table(doc, tuple(b.table_header), [tuple(row) for row in b.table_rows])
    _orient(doc, landscape=False)

    _heading(doc, "三、表扬")
    if b.praised:
        _body(
            doc,
            f"以下 {len(b.praised)} 家医院本期党支部考核平均分达到绿色等级、成绩突出，予以表扬：",
        )
        for index, item in enumerate(b.praised, 1):
            _body(doc, f"{index}. {item.organization.name}：{'；'.join(item.deeds)}。")
    else:
        _body(doc, "本期没有符合表扬条件的医院（党支部考核平均分达到绿色等级）。")

    _heading(doc, "四、存在的问题")
    if b.laggards:
        _body(doc, f"以下 {len(b.laggards)} 家医院存在问题，予以通报：")
        for index, lag in enumerate(b.laggards, 1):
            doc.add_paragraph().add_run(
                f"{index}. {lag.name}（问题 {len(lag.findings)} 项，其中严重 {lag.red} 项）"
            ).bold = True
            for reason in lag.reasons:
                _body(doc, reason)
    else:
        _body(doc, "本期合规检查未发现问题。")

    _heading(doc, "五、逾期未销号任务")
    if b.overdue_by_hospital:
        rows = [(h.name, h.count, "；".join(h.examples)) for h in b.overdue_by_hospital]
        _table(doc, ("医院", "逾期任务（项）", "举例"), rows)
    else:
        _body(doc, "本期没有逾期未销号的任务。")

    _heading(doc, "六、工作要求")
    _body(
        doc,
        "被通报的医院党委要对照问题逐项整改，整改情况于通报印发后一个月内报指导委员会办公室；"
        "各医院要学习先进经验，按规定开展组织生活，按时收缴党费，按期完成目标任务。",
    )
    for text in (b.organization.name, _day(issued_on)):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
