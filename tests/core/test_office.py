"""The rendering helper the export tests use (tests/office.py)."""

import io

from openpyxl import Workbook

from tests.office import is_landscape, pdf_pages, pdf_text, to_pdf


def test_a_workbook_renders_to_a_pdf_whose_text_and_pages_are_read_back(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["党员", "金额"])
    for i in range(120):  # more rows than one portrait A4 page holds
        sheet.append([f"党员{i:03d}", i])
    content = io.BytesIO()
    book.save(content)
    pdf = to_pdf(content.getvalue(), directory=tmp_path)
    assert pdf_pages(pdf) >= 2
    assert not is_landscape(pdf)
    text = pdf_text(pdf)
    assert "党员000" in text and "党员119" in text
