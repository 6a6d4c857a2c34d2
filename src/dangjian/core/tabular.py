"""Reading the workbooks offices make (the roster, the payroll office's dues bases): .xlsx,
.xlsm, .xls and .ods through python-calamine, .csv (UTF-8 with or without BOM, else
GB18030/GBK) through the standard library. docs/import.md lists what is accepted.

    book = open_book(path_or_file, name="名册.xls")     # raises Unreadable(reason)
    sheet, clashes = find_sheet(book, "人员")            # names compared without spaces
    header = find_header(sheet.rows(), score)            # the header within the first rows
    for number, values in header.rows: ...               # the spreadsheet's row numbers

A sheet knows whether it is hidden, and which rows are hidden or filtered out: calamine
does not give the rows' flags, so they are read from the sheet's XML by a chunked scan of
its row tags (.xlsx, .ods), or from its ROW records (.xls, `xls_rows`). The import decides what to say about them; nothing
here drops a row. An .xls is parsed in a child process (see `_xls_in_child`).
"""

import codecs
import csv
import html
import io
import os
import pickle
import re
import resource
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from xml.etree import ElementTree

import python_calamine

from . import xls_rows

try:  # a Rust panic inside calamine (a malformed file) arrives as this BaseException
    from pyo3_runtime import PanicException
except ImportError:  # pragma: no cover (the module exists once calamine is loaded)
    PanicException = RuntimeError
# What a damaged zip or sheet XML raises while it is read.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError,
           KeyError, ElementTree.ParseError)  # fmt: skip

__all__ = [
    "READABLE",
    "SAVE_AS_XLSX",
    "Book",
    "Header",
    "Sheet",
    "Unreadable",
    "find_header",
    "find_sheet",
    "header_key",
    "open_book",
    "unreadable_name",
    "row_ranges",
    "sheet_key",
]

SAVE_AS_XLSX = (
    "请用 Excel 或 WPS 表格打开该文件，点“文件 → 另存为”，保存类型选“Excel 工作簿(*.xlsx)”"
    "（WPS：“Microsoft Excel 文件(*.xlsx)”），保存后上传新文件"
)
READABLE = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
# Formats people try that we cannot read, named so the message says what the file is.
_KNOWN_OTHERS = {
    ".et": "WPS 表格文件（.et）",
    ".ett": "WPS 表格模板（.ett）",
    ".numbers": "Numbers 文件（.numbers）",
    ".xlsb": "Excel 二进制工作簿（.xlsb）",
    ".xltx": "Excel 模板（.xltx）",
    ".wps": "WPS 文字文件（.wps）",
    ".doc": "Word 文档",
    ".docx": "Word 文档",
    ".pdf": "PDF 文件",
    ".txt": "文本文件（.txt）",
}
_HEADER_SCAN_ROWS = 10


class Unreadable(ValueError):
    """The file cannot be read as a workbook; the message says why and what to do."""


@dataclass
class Sheet:
    name: str
    hidden: bool  # hidden or "very hidden" in the workbook
    _load: Callable[[], list[list]]
    _hidden_rows: Callable[[], frozenset[int]] = lambda: frozenset()
    _head: Callable[[int], list[list]] | None = None

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as the spreadsheet shows it, cell values) of every row, empty
        ones included; an empty cell is "" (calamine) or None."""
        return enumerate(self._load(), start=1)

    def head(self) -> Iterator[tuple[int, list]]:
        """The rows a header is looked for in, without converting the whole sheet (a
        sheet that is not read may be large)."""
        rows = self._head(_HEADER_SCAN_ROWS) if self._head else self._load()
        return enumerate(rows[:_HEADER_SCAN_ROWS], start=1)

    def hidden_rows(self) -> frozenset[int]:
        """Row numbers hidden by hand or by a filter (none for a .csv)."""
        return self._hidden_rows()


@dataclass
class Book:
    kind: str  # "xlsx", "xls", "ods" or "csv"
    sheets: list[Sheet] = field(default_factory=list)


def _extension(source, name: str) -> str:
    if not name and isinstance(source, str | os.PathLike):
        name = str(source)
    if not name:
        name = str(getattr(source, "name", "") or "")
    return os.path.splitext(name)[1].lower()


def _read_bytes(source) -> bytes:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def unreadable_name(name: str) -> str:
    """Why a file of this name is refused before it is opened ("" when it may be read):
    the upload forms check it, and `open_book` again."""
    extension = os.path.splitext(name or "")[1].lower()
    if extension in READABLE:
        return ""
    what = _KNOWN_OTHERS.get(
        extension, f"“{extension}”格式的文件" if extension else "无扩展名的文件"
    )
    return f"无法读取{what}。{SAVE_AS_XLSX}"


def open_book(source, name: str = "") -> Book:
    """Open a path or binary file object. `name` (the uploaded file's name) gives the
    extension when `source` has none; the content decides how it is read."""
    extension = _extension(source, name)
    if extension and extension not in READABLE:
        raise Unreadable(unreadable_name(f"file{extension}"))
    data = _read_bytes(source)
    if not data:
        raise Unreadable(f"文件是空的。{SAVE_AS_XLSX}")
    if data.startswith(b"PK\x03\x04"):
        return _open_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _open_ole(data)
    if extension == ".csv":
        return _open_csv(data)
    if data.lstrip()[:15].lower().startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise Unreadable(f"该文件是网页或 XML 格式，只是扩展名为表格。{SAVE_AS_XLSX}")
    raise Unreadable(f"无法读取文件：不是 Excel 工作簿，或文件已损坏。{SAVE_AS_XLSX}")


def _open_zip(data: bytes) -> Book:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except _BROKEN as exc:
        raise Unreadable(f"无法读取文件：文件已损坏。{SAVE_AS_XLSX}") from exc
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "content.xml" in names:
        kind = "ods"
    elif any(n.startswith("Index/") for n in names) or "Index.zip" in names:
        raise Unreadable(f"无法读取 Numbers 文件。{SAVE_AS_XLSX}")
    elif "word/document.xml" in names:
        raise Unreadable(f"这是 Word 文档，不是表格。{SAVE_AS_XLSX}")
    else:
        raise Unreadable(f"无法读取文件：不是 Excel 工作簿，或文件已损坏。{SAVE_AS_XLSX}")
    book = _calamine(data, kind)
    if kind == "xlsx":
        paths = _xlsx_sheet_paths(archive)
        for sheet in book.sheets:
            path = paths.get(sheet.name)
            if path:
                sheet._hidden_rows = _cached(lambda p=path: _xlsx_hidden_rows(archive, p))
    else:
        every = _cached(lambda: _ods_hidden_rows(archive))
        for sheet in book.sheets:
            sheet._hidden_rows = lambda n=sheet.name: every().get(n, frozenset())
    return book


def _open_ole(data: bytes) -> Book:
    # An encrypted .xlsx is an OLE container with an EncryptionInfo stream.
    if "EncryptionInfo".encode("utf-16-le") in data:  # a directory entry's name
        raise Unreadable(
            "文件设置了打开密码，无法读取。请在 Excel 或 WPS 中打开，"
            "“文件 → 信息 → 保护工作簿 → 用密码进行加密”删去密码，"
            "再“文件 → 另存为 → Excel 工作簿(*.xlsx)”后上传"
        )
    return _xls_in_child(data)


# calamine's reader of the old binary format can abort the whole process on a damaged
# file (an allocation of terabytes, which no exception reports), so an .xls is read in a
# child process with a memory limit; a child that dies means a damaged file.
_CHILD_MEMORY = 2 << 30
_CHILD_SECONDS = 120


def _xls_in_child(data: bytes) -> Book:
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from dangjian.core.tabular import _child; _child()"],
            input=data, capture_output=True, timeout=_CHILD_SECONDS, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise Unreadable(f"无法读取文件：文件已损坏。{SAVE_AS_XLSX}") from exc
    if done.returncode != 0:
        raise Unreadable(f"无法读取文件：文件已损坏或格式不受支持。{SAVE_AS_XLSX}")
    result = pickle.loads(done.stdout)  # our own child's output, never the upload's bytes
    if isinstance(result, str):
        raise Unreadable(result)
    return Book("xls", [
        Sheet(name, hidden, lambda r=rows: r, lambda h=flagged: h)
        for name, hidden, rows, flagged in result
    ])  # fmt: skip


def _child() -> None:
    """In the child: read stdin as a workbook, write every sheet (or the reason it
    cannot be read) to stdout as a pickle."""
    resource.setrlimit(resource.RLIMIT_AS, (_CHILD_MEMORY, _CHILD_MEMORY))
    try:
        data = sys.stdin.buffer.read()
        book = _calamine(data, "xls")
        try:
            flags = xls_rows.hidden_rows(data)
        except (struct.error, IndexError, ValueError, MemoryError):  # NotFollowed included
            flags = {}
        result = [
            (sheet.name, sheet.hidden, sheet._load(), frozenset(flags.get(sheet.name, ())))
            for sheet in book.sheets
        ]
    except Unreadable as exc:
        result = str(exc)
    sys.stdout.buffer.write(pickle.dumps(result))


def _calamine(data: bytes, kind: str) -> Book:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = workbook.sheets_metadata
    except python_calamine.PasswordError as exc:
        raise Unreadable(f"文件设置了密码，无法读取。请删去密码后另存。{SAVE_AS_XLSX}") from exc
    except (Exception, PanicException) as exc:  # calamine's errors share no base class
        raise Unreadable(f"无法读取文件：文件已损坏或格式不受支持。{SAVE_AS_XLSX}") from exc
    sheets = []
    for meta in metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # chart sheets hold no rows
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        load = _cached(lambda n=meta.name: _cells(workbook, n))
        sheets.append(Sheet(meta.name, hidden, load, _head=partial(_cells, workbook, meta.name)))
    return Book(kind, sheets)


def _cells(workbook, name: str, rows: int | None = None) -> list[list]:
    try:
        # skip_empty_area=False: rows and columns from A1, so row numbers are the sheet's.
        return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=rows)
    except (Exception, PanicException) as exc:
        raise Unreadable(f"无法读取工作表“{name}”：文件已损坏。{SAVE_AS_XLSX}") from exc


def _cached(load):
    box = []

    def once():
        if not box:
            box.append(load())
        return box[0]

    return once


_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the part holding it (xl/worksheets/sheetN.xml)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except _BROKEN as exc:
        raise Unreadable(f"无法读取文件：文件已损坏。{SAVE_AS_XLSX}") from exc
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_REL_NS) in targets:
            target = targets[sheet.get(_REL_NS)]
            paths[sheet.get("name")] = (
                target.lstrip("/") if target.startswith("/") else (f"xl/{target}")
            )
    return paths


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _tags(archive: zipfile.ZipFile, path: str, pattern: re.Pattern) -> Iterator[re.Match]:
    """The matches of `pattern` (one tag) in a part of the archive, read in chunks: a city
    roster's sheet is tens of megabytes of cells, which a full XML parse would spend
    seconds on, and only a few tags matter."""
    tail = b""
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(1 << 20):
                text = tail + chunk
                cut = max(text.rfind(b"<"), 0)
                yield from pattern.finditer(text[:cut])
                tail = text[cut:]
            yield from pattern.finditer(tail)
    except _BROKEN as exc:
        raise Unreadable(f"无法读取文件：文件已损坏。{SAVE_AS_XLSX}") from exc


def _xlsx_hidden_rows(archive: zipfile.ZipFile, path: str) -> frozenset[int]:
    """The numbers of rows marked hidden (by hand or by an autofilter)."""
    hidden, number = set(), 0
    for match in _tags(archive, path, _ROW_TAG):
        found = _ROW_NUMBER.search(match.group(1))
        number = int(found.group(1)) if found else number + 1
        if _HIDDEN.search(match.group(1)):
            hidden.add(number)
    return frozenset(hidden)


_ODS_TAG = re.compile(rb"<table:table(-row)?\s([^>]*)>")
_ODS_NAME = re.compile(rb'table:name\s*=\s*"([^"]*)"')
_ODS_REPEATED = re.compile(rb'table:number-rows-repeated\s*=\s*"(\d+)"')
_ODS_HIDDEN = re.compile(rb'table:visibility\s*=\s*"(?:collapsed|filter)"')
_ODS_MAX_REPEAT = 100_000  # the empty rows to the sheet's end, often hidden: not data


def _ods_hidden_rows(archive: zipfile.ZipFile) -> dict[str, frozenset[int]]:
    """Sheet name → the numbers of its rows hidden by hand (collapsed) or by a filter."""
    hidden: dict[str, set[int]] = {}
    sheet, number = None, 0
    for match in _tags(archive, "content.xml", _ODS_TAG):
        if not match.group(1):  # a new sheet
            found = _ODS_NAME.search(match.group(2))
            sheet = html.unescape(found.group(1).decode()) if found else None
            hidden.setdefault(sheet, set())
            number = 0
            continue
        repeated = _ODS_REPEATED.search(match.group(2))
        count = int(repeated.group(1)) if repeated else 1
        if _ODS_HIDDEN.search(match.group(2)) and count <= _ODS_MAX_REPEAT:
            hidden[sheet].update(range(number + 1, number + count + 1))
        number += count
    return {name: frozenset(rows) for name, rows in hidden.items()}


def _open_csv(data: bytes) -> Book:
    text = _decode(data)
    sample = text[:4096].split("\n", 1)[0]
    delimiter = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Book("csv", [Sheet("", False, lambda: rows)])


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), else GB18030 (a
    superset of GBK, what Excel and WPS write on a Chinese Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable(f"无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）。{SAVE_AS_XLSX}")


# ---- names and headers ---------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def sheet_key(name: str) -> str:
    """A sheet name as compared: spaces (full-width included) removed."""
    return _SPACES.sub("", name or "")


def header_key(value) -> str:
    """A header cell as compared: full-width letters and digits made plain, every space
    and line break removed (`姓  名`, `手机\\n号码`), a required-marker `*` dropped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub("", text).strip("*")


def find_sheet(book: Book, wanted: str) -> tuple[Sheet | None, list[Sheet]]:
    """The sheets whose name is `wanted` once spaces are removed: (the one, []) or
    (None, every candidate) when there is none or more than one."""
    found = [s for s in book.sheets if sheet_key(s.name) == sheet_key(wanted)]
    if len(found) == 1:
        return found[0], []
    return None, found


@dataclass
class Header:
    number: int  # the header's row number (1 when the sheet is empty)
    cells: list
    rows: Iterator[tuple[int, list]]  # the rows below it
    above: list[int] = field(default_factory=list)  # filled rows above it (titles)


def find_header(rows: Iterator[tuple[int, list]], score: Callable[[list], int]) -> Header:
    """The row among the first ten that `score`s highest (first of equals): a title row,
    merged or not, may sit above the header. With no row scoring, row 1."""
    first = []
    for item in rows:
        first.append(item)
        if len(first) == _HEADER_SCAN_ROWS:
            break
    best, best_score = 0, 0
    for index, (_, cells) in enumerate(first):
        points = score(cells)
        if points > best_score:
            best, best_score = index, points
    if not first:
        return Header(1, [], iter(()))
    number, cells = first[best]
    above = [n for n, values in first[:best] if any(_filled(v) for v in values)]

    def below():
        yield from first[best + 1 :]
        yield from rows

    return Header(number, cells, below(), above)


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def row_ranges(numbers) -> str:
    """Row numbers as short ranges: 3–5、9."""
    parts, run = [], []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(_run_text(run))
        run = [n]
    if run:
        parts.append(_run_text(run))
    return "、".join(parts)


def _run_text(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"
