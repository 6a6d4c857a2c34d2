"""The payroll office's workbook of dues bases (SPEC.md §4b): sheet `党费基数` with the
columns 身份证号, 姓名 and either 基数 or the pay items of RULES.md §1 (岗位工资, 薪级工资,
基础性绩效, 津贴补贴 counted; 奖励性绩效, tax, insurance, housing fund… read and ignored).

Every cell is checked first, each bad one giving a line (sheet, row, column, reason); only
a clean workbook is written, in one transaction: each member's base fixed from January of
the year. `dangjian import-dues-bases` and the upload on the dues pages call this.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from dangjian.core import audit
from dangjian.core.batching import chunked
from dangjian.core.crypto import digest
from dangjian.core.halfwidth import halfwidth
from dangjian.core.tabular import (
    Unreadable,
    find_header,
    find_sheet,
    header_key,
    open_book,
    row_ranges,
)
from dangjian.people.models import MEMBER_STATUSES, Employment, Person
from dangjian.people.queries import current_status
from dangjian.people.rules import InvalidIdNumber, id_number_from_cell

from . import rules
from .rules import DuesCategory, DuesError
from .services import fix_base

SHEET = "党费基数"
ID, NAME, BASE = "身份证号", "姓名", "基数"
MEMBERS = MEMBER_STATUSES


@dataclass
class BaseLine:
    row: int
    person: Person
    base: Decimal
    components: dict[str, str]


@dataclass
class BasesReport:
    year: int
    lines: list[BaseLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # How the file was read (header row, columns passed over, hidden sheets and rows),
    # shown before anything is written.
    notices: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_bases(source, *, year: int, people=None, dry_run=False, user=None) -> BasesReport:
    """Check the workbook and, when clean and not a dry run, fix every listed member's
    base from January of `year`. `people` limits whom the rows may name (the uploader's
    scope); a row naming anyone else is an error, as if the number were unknown."""
    report = BasesReport(year=year)
    if not 2000 <= year <= 2100:
        report.errors.append(f"工作簿：年度 {year} 不在 2000–2100 之间")
        return report
    rows = _read(source, report)
    if report.errors:
        return report
    report.lines = _match(rows, people if people is not None else Person.objects.all(), report)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for line in report.lines:
            fix_base(
                line.person, category=_category(line.person), effective_from=dt.date(year, 1, 1),
                base=line.base, components=line.components or None,
                reason=f"{year}年度核定基数（工资表导入）", by=user,
            )  # fmt: skip
        audit.record(
            "dues.bases_import", actor=user,
            summary={"year": year, "members": len(report.lines)},
        )  # fmt: skip
    report.written = True
    return report


def _category(person: Person) -> str:
    if person.employment == Employment.RETIRED:
        return DuesCategory.RETIRED
    return DuesCategory.IN_SERVICE


# ---- reading ---------------------------------------------------------------------------
# Other names payroll workbooks give the columns; a unit suffix (岗位工资（元）) is dropped.
ALIASES = {
    "身份证号码": ID, "公民身份号码": ID, "身份证": ID, "证件号码": ID, "名字": NAME,
    "缴费基数": BASE, "交纳基数": BASE, "缴纳基数": BASE, "党费基数": BASE, "党费计算基数": BASE,
}  # fmt: skip
# Columns a payroll sheet carries that are not pay items: passed over (with a notice,
# except a row number and the city-level 所属医院), never mistaken for an unknown item.
DESCRIPTIVE = ("科室", "部门", "工号", "人员编号", "职务", "岗位", "性别", "人员类别", "备注")
IGNORED = ("序号", "所属医院")
_UNIT = re.compile(r"\(元\)$")


def _column(cell) -> str:
    """A header cell's column name: aliases and the unit suffix resolved."""
    key = _UNIT.sub("", header_key(cell))
    return ALIASES.get(key, key)


def _known(name: str) -> bool:
    return name in (ID, NAME, BASE) or name in rules.PAY_COMPONENTS


def _score(cells) -> int:
    return len({name for name in map(_column, cells) if _known(name)})


def _read(source, report: BasesReport) -> list[tuple[int, str, str, dict]]:
    """(row, ID number, name, {column: value}) of each non-empty row; bad cells reported."""
    try:
        book = open_book(source)
        sheet = _sheet(book, report)
        if sheet is None:
            return []
        header = find_header(sheet.rows(), _score)
        if header.number != 1:
            above = (
                f"（上方第{row_ranges(header.above)}行视为标题，未导入）" if header.above else ""
            )
            report.notices.append(f"{SHEET}：第{header.number}行为表头{above}")
        columns = _columns([_column(c) for c in header.cells], header.number, report)
        if report.errors:
            return []
        hidden, found = sheet.hidden_rows(), []
        hidden_read = []
        for number, values in header.rows:
            cells = {name: _plain(values[i]) for i, name in columns.items() if i < len(values)}
            if all(_blank(v) for v in cells.values()):
                continue
            if number in hidden:
                hidden_read.append(number)
            found.append(_row(number, cells, report))
    except Unreadable as exc:
        report.errors.append(f"工作簿：{exc}")
        return []
    if hidden_read:
        report.notices.append(
            f"{SHEET}：第{row_ranges(hidden_read)}行在表格中被隐藏或筛选掉了，已一并读取"
            f"（共 {len(hidden_read)} 行）：不应导入的行请从表中删除"
        )
    if not found and not report.errors:
        report.errors.append(f"{SHEET}：没有数据行")
    return [row for row in found if row is not None]


def _sheet(book, report: BasesReport):
    """The 党费基数 sheet (a .csv's only sheet); hidden, renamed or look-alike sheets said."""
    if book.kind == "csv":
        return book.sheets[0]
    sheet, candidates = find_sheet(book, SHEET)
    if len(candidates) > 1:
        names = "、".join(f"“{s.name}”" for s in candidates)
        report.errors.append(
            f"工作簿：有 {len(candidates)} 张工作表都是“{SHEET}”（{names}），请只保留一张"
        )
        return None
    if sheet is None:
        _look_alikes(book, None, report)
        present = "、".join(f"“{s.name}”" for s in book.sheets) or "无"
        report.errors.append(f"工作簿：缺少工作表“{SHEET}”（工作簿中的工作表：{present}）")
        return None
    if sheet.name != SHEET:
        report.notices.append(f"工作表“{sheet.name}”按“{SHEET}”读取（名称中多了空格）")
    if sheet.hidden:
        report.notices.append(f"工作表“{sheet.name}”是隐藏的工作表，已按它读取：请确认正是这一张")
    _look_alikes(book, sheet, report)
    return sheet


def _look_alikes(book, used, report: BasesReport) -> None:
    for other in book.sheets:
        if other is not used and _looks_like_bases(other):
            report.notices.append(
                f"工作表“{other.name}”未读取：它的表头像党费基数表，但名称不是“{SHEET}”"
            )


def _looks_like_bases(sheet) -> bool:
    names = {_column(c) for c in find_header(sheet.head(), _score).cells}
    return {ID, NAME} <= names and bool(names & ({BASE} | set(rules.PAY_COMPONENTS)))


def _plain(value):
    """A whole number as int (calamine gives floats); text with full-width digits plain."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return halfwidth(value) if isinstance(value, str) else value


def _columns(header: list[str], at: int, report: BasesReport) -> dict[int, str]:
    columns = {i: name for i, name in enumerate(header) if name and name not in IGNORED}
    for i, name in list(columns.items()):
        if name in DESCRIPTIVE:
            report.notices.append(f"{SHEET}：列“{name}”不是工资项目，不会导入")
            del columns[i]
    names = list(columns.values())
    for name in (ID, NAME):
        if name not in names:
            report.errors.append(f"{SHEET} 第{at}行：缺少“{name}”列")
    items = [n for n in names if n not in (ID, NAME, BASE)]
    unknown = [n for n in items if n not in rules.PAY_COMPONENTS]
    if BASE in names:
        # The base is stated: other columns cannot change it; they are said, not refused.
        for i, name in list(columns.items()):
            if name in unknown:
                report.notices.append(f"{SHEET}：未识别的列“{name}”（不会导入）")
                del columns[i]
        items = [n for n in items if n not in unknown]
    else:
        for name in unknown:
            report.errors.append(
                f"{SHEET} 第{at}行 {name}：未知的工资项目（可用：基数，或 {'、'.join(rules.PAY_COMPONENTS)}）"
            )
    duplicated = sorted({n for n in names if names.count(n) > 1})
    for name in duplicated:
        report.errors.append(f"{SHEET} 第{at}行 {name}：列名重复")
    if BASE in names and items:
        report.errors.append(f"{SHEET} 第{at}行：“基数”与工资项目只能选其一")
    if BASE not in names and not items:
        report.errors.append(f"{SHEET} 第{at}行：须有“基数”列或工资项目列")
    return columns


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row(number: int, cells: dict, report: BasesReport):
    bad = len(report.errors)
    id_number = ""
    try:
        id_number = id_number_from_cell(cells.get(ID))
    except InvalidIdNumber as exc:
        report.errors.append(f"{SHEET} 第{number}行 {ID}：{exc}")
    name = "" if _blank(cells.get(NAME)) else str(cells[NAME]).strip()
    if not name:
        report.errors.append(f"{SHEET} 第{number}行 {NAME}：不能为空")
    amounts = {}
    for column, value in cells.items():
        if column in (ID, NAME):
            continue
        if _blank(value):
            if column == BASE:
                report.errors.append(f"{SHEET} 第{number}行 {BASE}：不能为空")
            continue
        try:
            amounts[column] = rules.to_amount(value, column)
        except DuesError as exc:
            report.errors.append(f"{SHEET} 第{number}行 {column}：{exc}")
    if len(report.errors) > bad:
        return None
    return number, id_number, name, amounts


# ---- matching the registry -------------------------------------------------------------
def _match(rows, people, report: BasesReport) -> list[BaseLine]:
    digests = [digest(row[1]) for row in rows]
    found = {
        p.id_digest: p
        for chunk in chunked(digests)
        for p in people.filter(id_digest__in=chunk)
        .annotate(status_now=current_status())
        .select_related("organization")
    }
    seen: dict[str, int] = {}
    lines = []
    for number, id_number, name, amounts in rows:
        where = f"{SHEET} 第{number}行"
        if id_number in seen:
            report.errors.append(f"{where} {ID}：与第{seen[id_number]}行重复")
            continue
        seen[id_number] = number
        person = found.get(digest(id_number))
        if person is None:
            report.errors.append(f"{where} {ID}：党员名册中没有此身份证号（或不在您的管理范围内）")
            continue
        if person.name != name:
            report.errors.append(f"{where} {NAME}：与名册不符（名册中为“{person.name}”）")
            continue
        if person.status_now not in MEMBERS:
            report.errors.append(f"{where} {NAME}：{person.name} 不是党员，无须核定党费基数")
            continue
        if BASE in amounts:
            base, components = amounts[BASE], {}
        else:
            components = {k: str(v) for k, v in amounts.items()}
            base = rules.base_from_components(amounts)
        lines.append(BaseLine(number, person, base, components))
    return lines
