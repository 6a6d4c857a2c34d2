"""The 党员组织关系介绍信 as .docx: the stub the issuing office keeps (存根), the letter the
member carries, and the 回执 the receiving organisation sends back, separated by cut
lines, in the usual national layout. ID-card numbers are printed masked, as on every
document the system writes (development.paperwork)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from dangjian.core.documents import BODY_FONT, set_chinese
from dangjian.orgs.models import Organization

from .models import Status, Transfer
from .queries import open_status_period

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CUT = "……………………………………（沿此线剪开）……………………………………"


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"


def _age(person, on) -> str:
    birth = person.birth_date
    if birth is None:
        return ""
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return f"，{years}岁"


def _title(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(16)


def _right(doc, text: str) -> None:
    doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _body(doc, text: str) -> None:
    doc.add_paragraph("　　" + text)


def letter_facts(transfer: Transfer) -> dict:
    person = transfer.person
    period = open_status_period(person)
    kind = "预备" if period is not None and period.status == Status.PROBATIONARY else "正式"
    hospital = Organization.objects.filter(path=transfer.organization.hospital_path).first()
    return {
        "number": transfer.letter_number,
        "name": person.name,
        "gender": person.get_gender_display(),
        "age": _age(person, transfer.transferred_on),
        "kind": kind,
        "id": person.id_number_masked,
        "from": transfer.organization.name,
        "issuer": hospital.name if hospital else transfer.organization.name,
        "to": transfer.other_organization,
        "days": (transfer.valid_until - transfer.transferred_on).days,
        "valid_until": _day(transfer.valid_until),
        "dues": f"{transfer.dues_paid_to.year}年{transfer.dues_paid_to.month}月"
        if transfer.dues_paid_to else "　　年　　月",
        "on": _day(transfer.transferred_on),
    }  # fmt: skip


def transfer_letter(transfer: Transfer) -> bytes:
    f = letter_facts(transfer)
    doc = Document()
    set_chinese(doc, BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    # Word's default spacing (8 pt after each paragraph) pushes the 回执 onto a second page.
    normal.paragraph_format.space_after = Pt(3)

    _title(doc, "中国共产党党员组织关系介绍信（存根）")
    _right(doc, f"第 {f['number']} 号")
    _body(doc, f"{f['name']}同志（{f['gender']}{f['age']}），系中共{f['kind']}党员，"
               f"组织关系由{f['from']}转到{f['to']}。")  # fmt: skip
    _body(doc, f"党费已交到{f['dues']}。")
    _right(doc, f["on"])
    doc.add_paragraph(CUT).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _title(doc, "中国共产党党员组织关系介绍信")
    _right(doc, f"第 {f['number']} 号")
    doc.add_paragraph(f"{f['to']}：")
    _body(doc, f"兹介绍{f['name']}同志（{f['gender']}{f['age']}，身份证号 {f['id']}），"
               f"系中共{f['kind']}党员，其组织关系转去你处，请接洽。")  # fmt: skip
    _body(doc, f"该同志党费已交到{f['dues']}。")
    _body(doc, f"（有效期{f['days']}天，至{f['valid_until']}）")
    _right(doc, f"{f['issuer']}（盖章）")
    _right(doc, f["on"])
    doc.add_paragraph(CUT).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _title(doc, "回　执")
    _right(doc, f"第 {f['number']} 号")
    doc.add_paragraph(f"{f['issuer']}：")
    _body(
        doc, f"{f['name']}同志的党员组织关系已转达我处，第 {f['number']} 号介绍信收到，特此回复。"
    )
    _right(doc, f"{f['to']}（盖章）")
    _right(doc, _day(None))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
