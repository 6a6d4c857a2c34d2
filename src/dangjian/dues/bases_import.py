"""The payroll office's workbook of dues bases (SPEC.md §4b): sheet `党费基数` with the
columns 身份证号, 姓名 and either 基数 or the pay items of RULES.md §1 (岗位工资, 薪级工资,
基础性绩效, 津贴补贴 counted; 奖励性绩效, tax, insurance, housing fund… read and ignored).

Every cell is checked first, each bad one giving a line (sheet, row, column, reason); only
a clean workbook is written, in one transaction: each member's base fixed from January of
the year. `dangjian import-dues-bases` and the upload on the dues pages call this.
"""

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.core import audit
from dangjian.core.batching import chunked
from dangjian.core.crypto import digest
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
def _read(source, report: BasesReport) -> list[tuple[int, str, str, dict]]:
    """(row, ID number, name, {column: value}) of each non-empty row; bad cells reported."""
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        report.errors.append("工作簿：无法读取，请上传 Excel 工作簿（.xlsx）")
        return []
    try:
        if SHEET not in book.sheetnames:
            report.errors.append(f"工作簿：缺少工作表“{SHEET}”")
            return []
        rows = book[SHEET].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        columns = _columns(header, report)
        if report.errors:
            return []
        found = []
        for number, values in enumerate(rows, start=2):
            cells = {name: values[i] for i, name in columns.items() if i < len(values)}
            if all(_blank(v) for v in cells.values()):
                continue
            found.append(_row(number, cells, report))
        if not found and not report.errors:
            report.errors.append(f"{SHEET}：没有数据行")
        return [row for row in found if row is not None]
    finally:
        book.close()


def _columns(header: list[str], report: BasesReport) -> dict[int, str]:
    columns = {i: name for i, name in enumerate(header) if name}
    names = list(columns.values())
    for name in (ID, NAME):
        if name not in names:
            report.errors.append(f"{SHEET} 第1行：缺少“{name}”列")
    items = [n for n in names if n not in (ID, NAME, BASE)]
    unknown = [n for n in items if n not in rules.PAY_COMPONENTS]
    for name in unknown:
        report.errors.append(
            f"{SHEET} 第1行 {name}：未知的工资项目（可用：基数，或 {'、'.join(rules.PAY_COMPONENTS)}）"
        )
    duplicated = sorted({n for n in names if names.count(n) > 1})
    for name in duplicated:
        report.errors.append(f"{SHEET} 第1行 {name}：列名重复")
    if BASE in names and items:
        report.errors.append(f"{SHEET} 第1行：“基数”与工资项目只能选其一")
    if BASE not in names and not items:
        report.errors.append(f"{SHEET} 第1行：须有“基数”列或工资项目列")
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
