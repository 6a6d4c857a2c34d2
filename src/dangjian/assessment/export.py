"""The bulletin as an editable .docx (the office edits the wording before publishing)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from dangjian.core.documents import BODY_FONT, set_chinese

from .bulletin import SEVERITY_LABELS, Bulletin

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def file_name(bulletin: Bulletin) -> str:
    return f"党政管理通报-{bulletin.organization.code}-{bulletin.period.code}.docx"


def _heading(doc, text: str) -> None:
    run = doc.add_paragraph().add_run(text)
    run.bold, run.font.size = True, Pt(14)


def _body(doc, text: str) -> None:
    doc.add_paragraph("　　" + text)


def _table(doc, header: tuple[str, ...], rows: list[tuple]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def headed_document(heading: str, subheading: str):
    """A bulletin's document: Chinese body type, its centred title and subtitle."""
    doc = Document()
    set_chinese(doc, BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(4)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(heading)
    run.bold, run.font.size = True, Pt(20)
    doc.add_paragraph(subheading).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def bulletin_docx(bulletin: Bulletin, issued_on) -> bytes:
    b, period = bulletin, bulletin.period
    doc = headed_document("党政管理通报", f"{b.organization.name}　{period.label}")
    _body(
        doc,
        f"现将{period.label}（{_day(period.start)}至{_day(period.end)}）党建工作情况"
        f"通报如下。问题以{_day(period.checked_on)}合规检查结果为准。",
    )

    _heading(doc, "一、总体情况")
    _table(doc, ("指标", "数值"), b.figure_rows)

    _heading(doc, "二、表扬")
    if b.praised:
        _body(
            doc, f"以下 {len(b.praised)} 个党支部本期组织生活全部按期开展、未发现问题，予以表扬："
        )
        for index, item in enumerate(b.praised, 1):
            _body(doc, f"{index}. {item.organization.name}：{'；'.join(item.deeds)}。")
    else:
        _body(doc, "本期没有符合表扬条件的党支部（组织生活全部按期开展且未发现问题）。")

    _heading(doc, "三、存在的问题")
    if b.laggards:
        _body(doc, f"以下 {len(b.laggards)} 个党组织存在问题，予以通报：")
        for index, lag in enumerate(b.laggards, 1):
            doc.add_paragraph().add_run(f"{index}. {lag.name}（{lag.code}）").bold = True
            for finding in lag.findings:
                _body(doc, f"【{SEVERITY_LABELS[finding.severity]}】{finding.message}")
    else:
        _body(doc, "本期合规检查未发现问题。")

    _heading(doc, "四、逾期未销号任务")
    if b.overdue:
        rows = [(t.title, t.organization, t.due_on.isoformat()) for t in b.overdue]
        _table(doc, ("任务", "责任组织", "完成时限"), rows)
    else:
        _body(doc, "本期没有逾期未销号的任务。")

    _heading(doc, "五、工作要求")
    _body(
        doc,
        "被通报的党组织要对照问题逐项整改，整改情况于通报印发后一个月内报党委办公室；"
        "各党支部要学习先进经验，按规定开展组织生活，按时交纳党费，按期完成目标任务。",
    )
    for text in (b.organization.name, _day(issued_on)):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
