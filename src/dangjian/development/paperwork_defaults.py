"""Builds the default form templates shipped in `form_templates/` (the committed .docx
files are this module's output). After changing a form here, regenerate them:

    .venv/bin/python -m dangjian.development.paperwork_defaults

A hospital gets copies to edit with `dangjian development-forms --write-defaults DIR`.
The layouts follow the forms branch offices keep in the 发展党员 file (A4, 宋体 小四,
table forms with signature and seal space); the wording is plain and may be changed
freely by each hospital.
"""

import io
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dangjian.core.documents import set_chinese

BODY_FONT, TITLE_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
# Every table form is a grid of six columns, label / value pairs (mm): the first label
# column is the widest, the values are wide enough for a date on one line.
WIDTHS = (28, 30, 18, 24, 22, 38)
COLUMNS = len(WIDTHS)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same bytes on every run, so git shows real changes


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    lines: int = 1  # minimum height in lines: room to write by hand
    align: str = "left"


def L(text: str, span: int = 1) -> Cell:  # a label cell; one letter keeps the grids readable
    return Cell(text, span, align="center")


PERSON_ROWS = [
    [L("姓名"), Cell("{{ person_name }}"), L("性别"), Cell("{{ gender }}"), L("出生日期"),
     Cell("{{ birth_date }}")],
    [L("所在科室"), Cell("{{ department }}"), L("职称"), Cell("{{ professional_title }}"),
     L("行政职务"), Cell("{{ admin_title }}")],
    [L("所在党支部"), Cell("{{ organization_name }}", 5)],
]  # fmt: skip


def _signature(*lines: str) -> str:
    return "\n".join(lines)


def application_receipt(doc) -> None:
    _title(doc, "收到入党申请书登记")
    _grid(doc, [
        *PERSON_ROWS,
        [L("递交日期"), Cell("{{ application_date }}", 2), L("接收人"), Cell("{{ actor }}", 2)],
        [L("备注"), Cell("{{ note }}", 5, lines=2)],
    ])  # fmt: skip
    _paragraph(doc, "- - - - - - - - - - - - - - - - 沿此线剪开 - - - - - - - - - - - - - - - -",
               align="center")  # fmt: skip
    _title(doc, "入党申请书回执")
    _paragraph(doc, "{{ person_name }}同志：", indent=False)
    _paragraph(doc, "你于{{ application_date }}递交的入党申请书已收到。党组织将在一个月内派人"
                    "同你谈话，了解基本情况。希望你端正入党动机，认真学习党的理论和路线方针政策，"
                    "在本职工作中发挥骨干作用，以实际行动争取早日加入党组织。")  # fmt: skip
    _paragraph(doc, _signature("{{ organization_name }}（盖章）", "{{ done_on }}"), align="right")


def talk_record(doc) -> None:
    _title(doc, "入党申请人谈话记录")
    _grid(doc, [
        *PERSON_ROWS,
        [L("递交入党申请书日期"), Cell("{{ application_date }}", 2), L("谈话日期"),
         Cell("{{ talk_date }}", 2)],
        [L("谈话人"), Cell("{{ actor }}", 2), L("谈话地点"), Cell("", 2)],
        [L("谈话内容"), Cell("{{ note }}", 5, lines=14)],
        [L("谈话对象签名"), Cell("", 2), L("谈话人签名"), Cell("", 2)],
    ])  # fmt: skip


def activist_registration(doc) -> None:
    _title(doc, "入党积极分子登记备案表")
    _paragraph(doc, "填报单位：{{ hospital_name }}", indent=False)
    _grid(doc, [
        *PERSON_ROWS,
        [L("身份证号"), Cell("{{ id_number_masked }}", 5)],
        [L("递交入党申请书日期"), Cell("{{ application_date }}", 2), L("谈话日期"),
         Cell("{{ talk_date }}", 2)],
        [L("确定为入党积极分子日期"), Cell("{{ activist_date }}", 2), L("培养联系人"),
         Cell("{{ cultivators }}", 2)],
        [L("推荐及主要表现"), Cell("{{ note }}", 5, lines=5)],
        [L("党支部意见"), Cell(_signature(
            "经支部委员会研究，同意确定{{ person_name }}同志为入党积极分子。", "",
            "支部书记（签名）：　　　　　　　　{{ activist_date }}"), 5, lines=4)],
        [L("上级党委备案意见"), Cell(_signature(
            "{{ activist_filed_note }}", "",
            "{{ committee_name }}（盖章）　　　　{{ activist_filed_date }}"),
            5, lines=4)],
    ])  # fmt: skip


def candidate_registration(doc) -> None:
    _title(doc, "发展对象备案表")
    _paragraph(doc, "填报单位：{{ hospital_name }}", indent=False)
    _grid(doc, [
        *PERSON_ROWS,
        [L("身份证号"), Cell("{{ id_number_masked }}", 5)],
        [L("递交入党申请书日期"), Cell("{{ application_date }}", 2),
         L("确定为入党积极分子日期"), Cell("{{ activist_date }}", 2)],
        [L("确定为发展对象日期"), Cell("{{ candidate_date }}", 2), L("培养联系人"),
         Cell("{{ cultivators }}", 2)],
        [L("入党介绍人"), Cell("{{ introducers }}", 2), L("半年考察"),
         Cell("{{ activist_reviews }}", 2)],
        [L("集中培训"), Cell("{{ training_summary }}", 5)],
        [L("培养考察情况"), Cell("{{ note }}", 5, lines=5)],
        [L("党支部意见"), Cell(_signature(
            "经支部委员会研究，同意确定{{ person_name }}同志为发展对象。", "",
            "支部书记（签名）：　　　　　　　　{{ candidate_date }}"), 5, lines=4)],
        [L("上级党委备案意见"), Cell(_signature(
            "{{ candidate_filed_note }}", "",
            "{{ committee_name }}（盖章）　　　　{{ candidate_filed_date }}"),
            5, lines=4)],
    ])  # fmt: skip


def political_review(doc) -> None:
    _title(doc, "发展对象政治审查综合材料")
    _grid(doc, [
        *PERSON_ROWS,
        [L("确定为发展对象日期"), Cell("{{ candidate_date }}", 2), L("入党介绍人"),
         Cell("{{ introducers }}", 2)],
    ])  # fmt: skip
    _paragraph(doc, "根据《中国共产党发展党员工作细则》，{{ organization_name }}于{{ done_on }}"
                    "对发展对象{{ person_name }}同志进行了政治审查。审查采取同本人谈话、查阅有关"
                    "档案材料、找有关单位和人员了解情况等方式进行，现综合如下：")  # fmt: skip
    _paragraph(doc, "{{ note }}")
    _paragraph(doc, "审查结论：\n\n\n")
    _paragraph(doc, _signature("审查人：{{ actor }}", "{{ organization_name }}（盖章）",
                               "{{ done_on }}"), align="right")  # fmt: skip


def assembly_resolution(doc) -> None:
    _title(doc, "支部党员大会决议")
    _paragraph(doc, "关于接收{{ person_name }}同志为中共预备党员的决议", align="center")
    _paragraph(doc, "{{ organization_name }}于{{ assembly_date }}召开支部党员大会，讨论"
                    "{{ person_name }}同志的入党问题。支部应到会有表决权的党员{{ entitled_voters }}"
                    "名，实到会有表决权的党员{{ present_voters }}名。入党介绍人{{ introducers }}"
                    "介绍了{{ person_name }}同志的有关情况，支部委员会报告了对其审查的情况。")  # fmt: skip
    _paragraph(doc, "经表决，赞成{{ votes_yes }}票，反对{{ votes_no }}票，弃权{{ votes_abstain }}"
                    "票。赞成票超过应到会有表决权的正式党员的半数，同意接收{{ person_name }}同志为"
                    "中共预备党员，报上级党委审批。")  # fmt: skip
    _paragraph(doc, "{{ note }}")
    _paragraph(doc, _signature("支部书记（签名）：", "{{ organization_name }}（盖章）",
                               "{{ assembly_date }}"), align="right")  # fmt: skip


def approval(doc) -> None:
    _title(doc, "上级党委审批意见")
    _grid(doc, [
        *PERSON_ROWS,
        [L("支部大会通过日期"), Cell("{{ assembly_date }}", 2), L("入党介绍人"),
         Cell("{{ introducers }}", 2)],
        [L("支部大会表决情况"), Cell("{{ vote_summary }}", 5)],
        [L("上级党委派人谈话"), Cell("{{ committee_talk_date }}", 5)],
        [L("上级党委审批意见"), Cell(_signature(
            "经{{ committee_name }}{{ approval_date }}审议，同意接收{{ person_name }}同志为中共"
            "预备党员，预备期一年{{ probation_period }}。",
            "{{ note }}", "",
            "{{ committee_name }}（盖章）　　　　{{ approval_date }}"), 5, lines=6)],
    ])  # fmt: skip


BUILDERS = {
    "application_receipt": application_receipt,
    "talk_record": talk_record,
    "activist_registration": activist_registration,
    "candidate_registration": candidate_registration,
    "political_review": political_review,
    "assembly_resolution": assembly_resolution,
    "approval": approval,
}


# ---- layout helpers ------------------------------------------------------------------


def _fonts(font, east_asia: str, size: float, bold: bool = False) -> None:
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    # python-docx names only the Latin font; Chinese text needs w:eastAsia as well.
    font.element.rPr.rFonts.set(qn("w:eastAsia"), east_asia)


def _new_document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(25), Mm(25)
    normal = doc.styles["Normal"]
    _fonts(normal.font, BODY_FONT, 12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    props = doc.core_properties
    props.title, props.author, props.comments = title, "dangjian", ""
    props.last_modified_by = ""
    set_chinese(doc, BODY_FONT)
    return doc


def _title(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(12)
    _fonts(paragraph.add_run(text).font, TITLE_FONT, 18, bold=True)


def _paragraph(doc, text: str, align: str = "justify", indent: bool = True) -> None:
    for line in text.split("\n"):
        paragraph = doc.add_paragraph(line)
        paragraph.alignment = _ALIGN[align]
        if indent and align == "justify":
            paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _grid(doc, rows: list[list[Cell]]) -> None:
    table = doc.add_table(rows=len(rows), cols=COLUMNS)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Mm(width)
    for row, cells in zip(table.rows, rows, strict=True):
        assert sum(c.span for c in cells) == COLUMNS, cells
        column = 0
        for spec in cells:
            cell = row.cells[column]
            if spec.span > 1:
                cell = cell.merge(row.cells[column + spec.span - 1])
            cell.width = Mm(sum(WIDTHS[column : column + spec.span]))
            column += spec.span
            lines = spec.text.split("\n")
            lines += [""] * (spec.lines - len(lines))
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            for paragraph in cell.paragraphs:
                paragraph.alignment = _ALIGN[spec.align]
        row.height = Cm(1)
    doc.add_paragraph()  # keeps what follows off the table's bottom border


def build(key: str) -> bytes:
    """One default template as .docx bytes, identical on every run."""
    from .paperwork import FORMS  # the renderer needs Django; see main()

    form = next(f for f in FORMS if f.key == key)
    doc = _new_document(form.title)
    BUILDERS[key](doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(blob: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def write_all(directory: Path | None = None) -> list[Path]:
    from .paperwork import DEFAULTS_DIR, FORMS

    directory = directory or DEFAULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for form in FORMS:
        path = directory / form.file_name
        path.write_bytes(build(form.key))
        written.append(path)
    return written


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DANGJIAN_TESTING", "1")  # no secrets needed to build templates
    import django

    django.setup()
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(path)


if __name__ == "__main__":
    main()
