"""Finding the roster's sheets, their header rows and their columns in a workbook as
offices make it: names with stray spaces, a title row above the header, columns named a
little differently, hidden sheets, filtered rows, a .csv holding one sheet. Whatever is
read other than as asked is said in a note the preview shows before anything is written;
what cannot be read unambiguously is an error.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dangjian.core.tabular import (
    Book,
    Sheet,
    find_header,
    find_sheet,
    header_key,
    row_ranges,
    sheet_key,
)

from . import format as fmt

_NOTE = re.compile(r"\([^()]*\)$")  # header_key has made full-width brackets plain


@dataclass(frozen=True)
class SheetSpec:
    name: str
    headers: list[str]
    required: tuple[str, ...]
    aliases: dict[str, str]
    optional: bool = False

    def column(self, cell) -> str | None:
        """The column a header cell names, or None. A template's note in brackets after
        the name (身份证号（必填）, 出生日期(YYYY-MM-DD)) is not part of it."""
        key = header_key(cell)
        for name in (key, _NOTE.sub("", key)):
            if name in self.headers:
                return name
            if name in self.aliases:
                return self.aliases[name]
        return None

    def score(self, cells) -> int:
        return len({self.column(c) for c in cells} - {None})


ORG = SheetSpec(fmt.ORG_SHEET, fmt.ORG_HEADERS, fmt.ORG_REQUIRED, fmt.ORG_ALIASES)
PERSON = SheetSpec(fmt.PERSON_SHEET, fmt.PERSON_HEADERS, fmt.PERSON_REQUIRED, fmt.PERSON_ALIASES)
COMMITTEE = SheetSpec(
    fmt.COMMITTEE_SHEET, fmt.COMMITTEE_HEADERS, fmt.COMMITTEE_REQUIRED, fmt.COMMITTEE_ALIASES,
    optional=True,
)  # fmt: skip
SPECS = (ORG, PERSON, COMMITTEE)
_ORDER = {spec.name: i for i, spec in enumerate(SPECS)}
CSV_TO_XLSX = (
    "请在 Excel 或 WPS 表格中新建工作簿，把两张表分别放进名为“党组织”和“人员”的工作表"
    "（可从本页下载名册模板），点“文件 → 另存为”，保存类型选“Excel 工作簿(*.xlsx)”，再上传"
)


class Notes:
    """What the preview says about how the file was read, sheet by sheet."""

    def __init__(self):
        self.items: list[tuple[int, str]] = []

    def add(self, sheet: str, line: str) -> None:
        self.items.append((_ORDER.get(sheet, -1), line))

    def lines(self) -> list[str]:
        return [line for _, line in sorted(self.items, key=lambda item: item[0])]


@dataclass
class Located:
    columns: dict[str, int]  # column name → position
    rows: Iterator[tuple[int, list]]  # (row number, values) of every non-empty row
    hidden_read: list[int] = field(default_factory=list)  # hidden rows read, as read


def locate(book: Book, errors, notes: Notes, workbook_label: str) -> dict[str, Located | None]:
    """Each spec's sheet, columns and rows (None: absent or unusable, with the errors
    and notes said). Errors name the sheet by its roster name."""
    if book.kind == "csv":
        sheets = _csv_sheets(book, errors, notes, workbook_label)
    else:
        sheets = _workbook_sheets(book, errors, notes, workbook_label)
    found = {spec.name: _columns(spec, sheets[spec.name], errors, notes) for spec in SPECS}
    if book.kind != "csv":
        used = {id(sheet) for sheet in sheets.values() if sheet is not None}
        _unused_sheets(book, used, {name for name, sheet in sheets.items() if sheet}, notes)
    return found


def _workbook_sheets(book: Book, errors, notes: Notes, label: str) -> dict[str, Sheet | None]:
    sheets = {}
    for spec in SPECS:
        sheet, candidates = find_sheet(book, spec.name)
        sheets[spec.name] = sheet
        if len(candidates) > 1:
            names = "、".join(f"“{s.name}”" for s in candidates)
            errors.add(
                label, 0, "",
                f"有 {len(candidates)} 张工作表都是“{spec.name}”（{names}，名称只差空格），"
                "无法确定导入哪一张：请删去或改名其余几张",
            )  # fmt: skip
            continue
        if sheet is None:
            if not spec.optional:
                present = "、".join(f"“{s.name}”" for s in book.sheets) or "无"
                errors.add(label, 0, "", f"缺少工作表“{spec.name}”（工作簿中的工作表：{present}）")
            continue
        if sheet.name != spec.name:
            notes.add(spec.name, f"工作表“{sheet.name}”按“{spec.name}”读取（名称中多了空格）")
        if sheet.hidden:
            notes.add(
                spec.name,
                f"工作表“{sheet.name}”是隐藏的工作表，已按它导入：请确认要导入的正是这一张",
            )
    return sheets


def _csv_sheets(book: Book, errors, notes: Notes, label: str) -> dict[str, Sheet | None]:
    """A .csv holds one sheet: the one whose columns its header names best."""
    sheet = book.sheets[0]
    header = find_header(sheet.rows(), lambda cells: max(s.score(cells) for s in SPECS))
    best = max(SPECS, key=lambda s: (s.score(header.cells), s is PERSON))
    matched = best if best.score(header.cells) else None
    if matched:
        notes.add(matched.name, f"CSV 文件只有一张表，按表头作为“{matched.name}”表读取")
    sheets = {spec.name: (sheet if spec is matched else None) for spec in SPECS}
    for spec in SPECS:
        if spec is matched or spec.optional:
            continue
        reason = f"已按“{matched.name}”表读取" if matched else "表头与名册的任何一张表都不符"
        errors.add(
            label, 0, "",
            f"缺少工作表“{spec.name}”：CSV 文件只能存一张表（{reason}），名册须含“党组织”和“人员”"
            f"两张工作表。{CSV_TO_XLSX}",
        )  # fmt: skip
    return sheets


def _columns(spec: SheetSpec, sheet: Sheet | None, errors, notes: Notes) -> Located | None:
    if sheet is None:
        return None
    header = find_header(sheet.rows(), spec.score)
    at = header.number
    if at != 1:
        above = f"（上方第{row_ranges(header.above)}行视为标题，未导入）" if header.above else ""
        notes.add(spec.name, f"{spec.name}：第{at}行为表头{above}")
    columns: dict[str, int] = {}
    unnamed: list[int] = []
    for index, cell in enumerate(header.cells):
        key = header_key(cell)
        if not key:
            unnamed.append(index)
            continue
        name = spec.column(cell)
        if name is None:
            if key not in fmt.IGNORED_HEADERS:
                notes.add(spec.name, f"{spec.name}：未识别的列“{key}”（不会导入）")
            continue
        if name in columns:
            first = header_key(header.cells[columns[name]])
            same = f"（与“{first}”是同一列）" if first != key else ""
            errors.add(spec.name, at, name, f"列名重复{same}")
            continue
        columns[name] = index
        if key != name:
            notes.add(spec.name, f"{spec.name}：列“{key}”按“{name}”读取")
    missing = [name for name in spec.required if name not in columns]
    for name in missing:
        errors.add(spec.name, at, name, "缺少必填列")
    if missing:
        return None
    located = Located(columns, iter(()))
    located.rows = _rows(spec, sheet, header.rows, unnamed, located, notes)
    return located


def _rows(spec, sheet: Sheet, rows, unnamed: list[int], located: Located, notes: Notes):
    """The non-empty rows; when exhausted, notes on hidden rows read and on data found
    under no header."""
    hidden = sheet.hidden_rows()
    orphans: dict[int, int] = {}  # column position → first row with data there
    for number, values in rows:
        if not any(_filled(v) for v in values):
            continue
        if number in hidden:
            located.hidden_read.append(number)
        for index in unnamed:
            if index < len(values) and fmt.text(values[index]) != "" and index not in orphans:
                orphans[index] = number
        yield number, values
    if located.hidden_read:
        notes.add(
            spec.name,
            f"{spec.name}：第{row_ranges(located.hidden_read)}行在表格中被隐藏或筛选掉了，"
            f"已一并导入（共 {len(located.hidden_read)} 行）：不应导入的行请从表中删除",
        )
    for index, number in sorted(orphans.items()):
        notes.add(
            spec.name,
            f"{spec.name}：第{_column_letter(index)}列没有列名（第{number}行起有内容），"
            "其中的内容不会导入",
        )


def _filled(value) -> bool:
    return value is not None and fmt.text(value) != ""


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _unused_sheets(book: Book, used: set[int], present: set[str], notes: Notes) -> None:
    """A sheet no roster name matches whose header holds a roster sheet's required
    columns: said, never guessed."""
    names = {sheet_key(spec.name) for spec in SPECS}
    for sheet in book.sheets:
        if id(sheet) in used or sheet_key(sheet.name) in names:
            continue  # a roster name that could not be used has its error
        header = find_header(sheet.head(), lambda cells: max(s.score(cells) for s in SPECS))
        named = [{s.column(c) for c in header.cells} for s in SPECS]
        like = [s for s, cols in zip(SPECS, named, strict=True) if set(s.required) <= cols]
        if not like:
            if any(_filled(v) for _, values in sheet.head() for v in values):
                notes.add("", f"工作表“{sheet.name}”不是名册的工作表，未读取")
            continue
        name = like[0].name
        hidden = "隐藏的" if sheet.hidden else ""
        rename = f"请把它改名为“{name}”"
        if name in present:
            rename += f"（原有的“{name}”表请删去或改名）"
        notes.add(
            name,
            f"{hidden}工作表“{sheet.name}”未导入：它的表头像“{name}”表，但名称不是“{name}”。"
            f"如要导入它，{rename}",
        )
