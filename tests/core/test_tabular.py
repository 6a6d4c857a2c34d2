"""core.tabular: opening the files offices send (the roster and dues-bases imports read
through it), finding sheets, headers and hidden rows; refusing what cannot be read."""

import codecs
import io
import random
from pathlib import Path

import pytest
from openpyxl import Workbook

from dangjian.core.halfwidth import halfwidth
from dangjian.core.tabular import (
    SAVE_AS_XLSX,
    Unreadable,
    find_header,
    find_sheet,
    header_key,
    open_book,
    row_ranges,
    unreadable_name,
)


def test_halfwidth_and_header_keys():
    assert halfwidth("９９０１０１Ｘｘ") == "990101Xx"
    assert halfwidth("１３９　０００") == "139 000"
    assert halfwidth("Ｃ１－Ｂ１") == "C1-B1"
    assert halfwidth("内科") == "内科"
    assert header_key("姓  名") == "姓名"
    assert header_key("手机\n号码") == "手机号码"
    assert header_key("政治　面貌") == "政治面貌"
    assert header_key("*身份证号") == "身份证号"
    assert header_key("岗位工资（元）") == "岗位工资(元)"
    assert header_key(None) == ""


def test_row_ranges():
    assert row_ranges([9, 3, 4, 5, 12, 13]) == "3–5、9、12–13"
    assert row_ranges([7]) == "7"


def _xlsx(build) -> io.BytesIO:
    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "t.xlsx"
    return buffer


def test_rows_are_numbered_from_a1_whatever_the_first_filled_cell():
    def build(book):
        ws = book.active
        ws.title = "表"
        ws["C3"] = "姓名"
        ws["D5"] = 1

    sheet = open_book(_xlsx(build)).sheets[0]
    rows = list(sheet.rows())
    assert rows[2] == (3, ["", "", "姓名", ""])
    assert rows[4] == (5, ["", "", "", 1.0])


def test_hidden_sheets_and_hidden_rows_are_known():
    def build(book):
        ws = book.active
        ws.title = "可见"
        for n in range(1, 30001):  # a sheet of more than a megabyte: the scan is chunked
            ws.append([f"第{n}行的内容", n])
        for n in (2, 17, 29999):
            ws.row_dimensions[n].hidden = True
        book.create_sheet("隐藏").sheet_state = "hidden"

    book = open_book(_xlsx(build))
    assert [(s.name, s.hidden) for s in book.sheets] == [("可见", False), ("隐藏", True)]
    assert book.sheets[0].hidden_rows() == {2, 17, 29999}
    assert book.sheets[1].hidden_rows() == set()


def test_sheet_names_are_compared_without_spaces():
    def build(book):
        book.active.title = "人员 "
        book.create_sheet("党组织")

    book = open_book(_xlsx(build))
    sheet, others = find_sheet(book, "人员")
    assert sheet.name == "人员 " and others == []
    assert find_sheet(book, "委员") == (None, [])


def test_the_header_is_the_best_row_of_the_first_ten():
    rows = [["名册"], [""], ["姓名", "身份证号", "备注"], ["张三", "1", ""], ["李四", "2", ""]]
    known = {"姓名", "身份证号"}
    header = find_header(enumerate(rows, 1), lambda cells: len(known & set(cells)))
    assert (header.number, header.cells, header.above) == (3, rows[2], [1])
    assert list(header.rows) == [(4, rows[3]), (5, rows[4])]
    nothing = find_header(enumerate([["a"], ["b"]], 1), lambda cells: 0)
    assert nothing.number == 1 and list(nothing.rows) == [(2, ["b"])]


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "姓名,身份证号\r\n张三,１\r\n".encode(),
        "姓名,身份证号\r\n张三,１\r\n".encode(),
        "姓名,身份证号\r\n张三,１\r\n".encode("gbk"),
        "姓名,身份证号\r\n张三,１\r\n".encode("gb18030"),
        "姓名\t身份证号\r\n张三\t１\r\n".encode("utf-16"),  # Excel's "Unicode text"
        "姓名;身份证号\n张三;１\n".encode(),
    ],
)
def test_csv_in_every_encoding_offices_save(data):
    book = open_book(io.BytesIO(data), name="名单.csv")
    assert book.kind == "csv"
    assert [values for _, values in book.sheets[0].rows()] == [["姓名", "身份证号"], ["张三", "１"]]


def test_a_csv_that_is_no_text_is_refused():
    with pytest.raises(Unreadable, match="无法识别 CSV 文件的编码"):
        open_book(io.BytesIO(b"\xff\xfe\x00\xd8" * 3 + b"\x81"), name="x.csv")


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("名册.et", b"anything", "无法读取WPS 表格文件（.et）。"),
        ("名册.numbers", b"anything", "无法读取Numbers 文件（.numbers）。"),
        ("名册", b"anything", "无法读取文件：不是 Excel 工作簿"),  # the content decides
        ("名册.xlsx", b"", "文件是空的。"),
        ("名册.xlsx", b"PK\x03\x04broken", "无法读取文件：文件已损坏。"),
        ("名册.xls", b"<html><table><tr><td>1</td></tr></table></html>", "该文件是网页或 XML"),
        ("名册.xlsx", b"just text", "无法读取文件：不是 Excel 工作簿，或文件已损坏。"),
        (
            "名册.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"),
            "文件设置了打开密码，无法读取。",
        ),
        ("名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "无法读取文件：文件已损坏"),
    ],
)
def test_what_cannot_be_read_is_refused_with_the_save_as_steps(name, data, reason):
    with pytest.raises(Unreadable) as refused:
        open_book(io.BytesIO(data), name=name)
    assert str(refused.value).startswith(reason)
    assert "另存为" in str(refused.value)


def test_a_word_document_is_not_a_table():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(Unreadable, match="这是 Word 文档"):
        open_book(io.BytesIO(buffer.getvalue()), name="名册.xlsx")


def test_upload_names():
    assert unreadable_name("名册.XLSX") == ""
    assert unreadable_name("名册.csv") == ""
    assert unreadable_name("名册.et") == f"无法读取WPS 表格文件（.et）。{SAVE_AS_XLSX}"
    assert unreadable_name("名册").startswith("无法读取无扩展名的文件。")


CORPUS = Path(__file__).parent.parent / "roster" / "corpus"


@pytest.mark.parametrize(
    "name, tries",
    [("01-standard.xlsx", 150), ("25-roster.ods", 150), ("26-people-utf8-bom.csv", 150),
     ("24-roster.xls", 30)],
)  # fmt: skip
def test_a_damaged_file_is_refused_never_crashes(name, tries):
    """Bytes overwritten or cut off at random (seeded): each file opens and reads, or is
    refused as Unreadable; no other exception (calamine's Rust panics included) escapes."""
    original = (CORPUS / name).read_bytes()
    rng = random.Random(17)
    outcomes = set()
    for _ in range(tries):
        data = bytearray(original)
        for _ in range(rng.randint(1, 20)):
            where = rng.randrange(len(data))
            data[where] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        try:
            book = open_book(io.BytesIO(bytes(data)), name=name)
            for sheet in book.sheets:
                list(sheet.rows())
                sheet.hidden_rows()
            outcomes.add("read")
        except Unreadable:
            outcomes.add("refused")
    assert "refused" in outcomes


def test_the_content_decides_how_a_readable_name_is_read():
    """An .xlsx saved under the name .xls (or sent without a name) is read as what it is."""
    data = (CORPUS / "01-standard.xlsx").read_bytes()
    assert open_book(io.BytesIO(data), name="名册.xls").kind == "xlsx"
    assert open_book(io.BytesIO(data)).kind == "xlsx"
    old = (CORPUS / "24-roster.xls").read_bytes()
    book = open_book(io.BytesIO(old), name="名册.xlsx")
    assert book.kind == "xls" and [s.name for s in book.sheets] == ["党组织", "人员"]


def test_the_hidden_rows_of_an_xls_are_read_from_its_row_records():
    from dangjian.core.xls_rows import NotFollowed, hidden_rows

    data = (CORPUS / "35-filtered-rows.xls").read_bytes()  # 18-filtered-rows.xlsx, as .xls
    assert hidden_rows(data) == {"党组织": set(), "人员": {3, 4}}
    assert open_book(io.BytesIO(data), name="名册.xls").sheets[1].hidden_rows() == {3, 4}
    with pytest.raises(NotFollowed):
        hidden_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
