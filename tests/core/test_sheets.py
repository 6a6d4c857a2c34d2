"""The layout every Excel export shares (core.sheets.Table): widths fitted to the content
(a CJK character counts double, capped, longer text wrapped), header rows bold, frozen
and repeated, money, percentages and dates formatted, one Chinese font on every cell, A4
fit to one page wide (landscape when wide), in normal and write-only workbooks alike; and
what LibreOffice prints from it."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from dangjian.core.sheets import (
    DATE,
    FONT_NAME,
    MAX_WIDTH,
    MONEY,
    MONTH,
    NUMBER,
    PERCENT,
    Column,
    Heading,
    Table,
    display_width,
    saved,
)
from tests.office import assert_layout, assert_rendered, column, pdf_text, to_pdf

HEADING = Heading("测试表", "示例医院党委", dt.date(2025, 3, 31))
COLUMNS = [
    Column("姓名"), Column("交纳日期", DATE), Column("月份", MONTH), Column("金额", MONEY),
    Column("比例", PERCENT), Column("人数", NUMBER), Column("说明"),
]  # fmt: skip
LONG = "这是一段很长的说明文字，" * 8


def _book(rows, *, write_only=False, columns=COLUMNS, **table) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("表") if write_only else book.active
    sheet.title = "表"
    layout = Table(sheet, columns, HEADING, **table)
    for row in rows:
        layout.row(row)
    layout.finish()
    if write_only:
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return saved(book).getvalue()


ROWS = [
    ["张三", dt.date(2025, 1, 10), dt.date(2025, 1, 1), Decimal("1234567.89"), 0.875, 3, "短"],
    ['=HYPERLINK("http://example.invalid")', None, None, Decimal("0.20"), None, 0, LONG],
]


def test_display_width_counts_a_cjk_character_twice():
    assert display_width("abc") == 3
    assert display_width("党支部") == 6
    assert display_width("Ａ１") == 4  # full-width forms too


@pytest.mark.parametrize("write_only", [False, True])
def test_cells_are_typed_formatted_and_set_in_one_font(write_only):
    content = _book(ROWS, write_only=write_only)
    book = assert_layout(content)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    first, second = sheet[2], sheet[3]
    assert first[1].value == dt.datetime(2025, 1, 10) and first[1].number_format == "yyyy-mm-dd"
    assert first[2].number_format == "yyyy-mm"
    assert first[3].value == 1234567.89 and first[3].number_format == "#,##0.00"
    assert first[4].value == 0.875 and first[4].number_format == "0.0%"
    assert second[0].data_type == "s"  # text, never a formula
    assert {cell.font.name for row in sheet.iter_rows() for cell in row} == {FONT_NAME}


def test_a_narrow_table_is_portrait():
    content = _book([["张三", dt.date(2025, 1, 10), None, Decimal("45.00"), 0.5, 1, "短"]])
    assert load_workbook(io.BytesIO(content)).active.page_setup.orientation == "portrait"


def test_widths_fit_the_content_and_long_text_wraps_within_the_cap():
    book = load_workbook(io.BytesIO(_book(ROWS)))
    sheet = book.active
    widths = {c.header: sheet.column_dimensions[letter].width
              for c, letter in zip(COLUMNS, "ABCDEFG", strict=True)}  # fmt: skip
    assert widths["金额"] >= len("1,234,567.89") + 1  # the money as shown, not the raw value
    assert widths["交纳日期"] >= len("2025-01-10") + 1
    assert widths["说明"] == MAX_WIDTH
    long_cell = column(sheet, "说明")[1]
    assert long_cell.alignment.wrap_text
    assert sheet.row_dimensions[3].height > 15  # the wrapped row is as tall as its lines
    assert widths["人数"] < 10  # a short column stays narrow


def test_a_wide_table_is_landscape_and_title_rows_are_frozen_and_repeated():
    columns = [Column(f"第{i}列的标题", MONEY) for i in range(14)]
    content = _book([[Decimal("1234567.89")] * 14], columns=columns, title_rows=["总标题"])
    book = assert_layout(content, header_rows={"表": 2})
    assert book.active.page_setup.orientation == "landscape"
    assert book.active["A1"].value == "总标题" and book.active["A1"].font.b


@pytest.fixture(scope="module")
def long_table(tmp_path_factory):
    """120 rows of a wide table: more than one page down, one page across."""
    columns = [Column("姓名"), *(Column(f"金额{i}", MONEY) for i in range(12)), Column("备注")]
    rows = [[f"党员{i:03d}", *[Decimal("98765.43")] * 12, f"第{i}行"] for i in range(120)]
    content = _book(rows, columns=columns)
    return content, to_pdf(content, directory=tmp_path_factory.mktemp("sheets"))


def test_a_long_table_prints_one_page_wide_with_its_header_on_every_page(long_table):
    _content, pdf = long_table
    text = pdf_text(pdf)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    assert_rendered(pdf, pages=len(pages), landscape=True)
    for number, page in enumerate(pages, start=1):
        assert "金额0" in page and "备注" in page  # the header row, every column of it
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{len(pages)}\s*页", page)
        assert "示例医院党委" in page and "测试表" in page and "2025-03-31" in page
    assert "98,765.43" in text and "党员119" in text
