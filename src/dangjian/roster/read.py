"""Reading a roster workbook: every cell of every sheet is checked on its own (format,
labels, the ID number, the development dates), without looking at the database.

The workbook is streamed (openpyxl read-only mode), so a city-sized roster does not sit in
memory as a spreadsheet; only the parsed rows are kept.
"""

import datetime as dt
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from dangjian.core.crypto import digest
from dangjian.people.models import Employment, Status
from dangjian.people.rules import (
    PHONE,
    PHONE_MESSAGE,
    InvalidIdNumber,
    birth_date_from_id,
    gender_from_id,
    id_number_from_cell,
)
from dangjian.people.stages import stage_periods  # noqa: F401 (tests import it from here)

from . import format as fmt

WORKBOOK = "工作簿"
_SHEET_ORDER = {WORKBOOK: 0, fmt.ORG_SHEET: 1, fmt.PERSON_SHEET: 2, fmt.COMMITTEE_SHEET: 3}
_COLUMN_ORDER = {
    fmt.ORG_SHEET: {c: i for i, c in enumerate(fmt.ORG_HEADERS)},
    fmt.PERSON_SHEET: {c: i for i, c in enumerate(fmt.PERSON_HEADERS)},
    fmt.COMMITTEE_SHEET: {c: i for i, c in enumerate(fmt.COMMITTEE_HEADERS)},
}


class Errors:
    """Bad cells, each as (sheet, row, column, reason); printed one line per cell."""

    def __init__(self):
        self.items: list[tuple[str, int, str, str]] = []

    def add(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.items.append((sheet, row, column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self) -> list[str]:
        def key(item):
            sheet, row, column, _ = item
            return (_SHEET_ORDER.get(sheet, 9), row, _COLUMN_ORDER.get(sheet, {}).get(column, 99))

        lines = []
        for sheet, row, column, reason in sorted(self.items, key=key):
            if sheet == WORKBOOK:
                lines.append(f"{WORKBOOK}：{reason}")
            else:
                lines.append(f"{sheet} 第{row}行 {column}：{reason}")
        return lines


@dataclass(slots=True)
class OrgRow:
    row: int
    code: str
    name: str
    parent: str
    kind: str
    is_temporary: bool
    department: str
    category: str
    founded_on: dt.date | None
    term_start: dt.date | None


@dataclass(slots=True)
class PersonRow:
    row: int
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    id_digest: str
    phone: str
    org_code: str
    department: str
    admin_title: str
    is_department_head: bool
    professional_title: str
    talent_category: str
    employment: str
    status: str  # "" for 群众
    post: str  # "" for 无 (or an empty cell)
    post_stated: bool  # the 党内职务 cell is filled (无 included): checked against 委员
    periods: list[tuple[str, dt.date]]  # (status, started_on) in pipeline order

    @property
    def earliest_date(self) -> dt.date | None:
        return self.periods[0][1] if self.periods else None


@dataclass(slots=True)
class SeatRow:
    """A row of the 委员 sheet: `id_digest` holds `post` in organisation `org_code`."""

    row: int
    org_code: str
    id_digest: str
    name: str  # "" when the optional 姓名 cell is empty
    post: str
    started_on: dt.date | None  # None: the organisation's term start (a new seat)


@dataclass
class ParsedRoster:
    errors: Errors = field(default_factory=Errors)
    orgs: list[OrgRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)
    # The optional columns the workbook has: an absent column leaves stored values alone.
    org_columns: frozenset = frozenset()
    bad_org_codes: set = field(default_factory=set)  # codes of organisation rows in error
    person_columns: frozenset = frozenset()
    bad_id_digests: set = field(default_factory=set)  # people whose 人员 row is in error
    has_committee_sheet: bool = False  # an absent 委员 sheet leaves every seat it would set
    seat_sheet_errors: bool = False  # a bad cell (or header) in the 委员 sheet


class _Cells:
    """One sheet row: converts cells by column name and records what is wrong."""

    def __init__(self, sheet, number, values, columns, errors):
        self.sheet, self.number, self.errors = sheet, number, errors
        self.values = {name: values[i] if i < len(values) else None for name, i in columns.items()}
        self.ok = True

    def get(self, column: str, convert, *args, **kwargs):
        try:
            return convert(self.values.get(column), *args, **kwargs)
        except fmt.CellError as exc:
            self.error(column, str(exc))
            return None

    def error(self, column: str, reason: str) -> None:
        self.errors.add(self.sheet, self.number, column, reason)
        self.ok = False


def _past_date(value, today: dt.date) -> dt.date | None:
    day = fmt.to_date(value)
    if day is not None and day > today:
        raise fmt.CellError(f"不能晚于今天（{today.isoformat()}）")
    return day


def _sheet_rows(workbook, sheet: str, headers, required, errors: Errors, optional=False):
    """(columns present, an iterator of (row number, values)), or None when unusable
    (or, for an optional sheet, absent)."""
    if sheet not in workbook.sheetnames:
        if not optional:
            errors.add(WORKBOOK, 0, "", f"缺少工作表“{sheet}”")
        return None
    rows = workbook[sheet].iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns: dict[str, int] = {}
    for index, value in enumerate(header):
        name = fmt.text(value)
        if name in columns:
            errors.add(sheet, 1, name, "列名重复")
        elif name in headers:
            columns[name] = index
    missing = [name for name in required if name not in columns]
    for name in missing:
        errors.add(sheet, 1, name, "缺少必填列")
    if missing:
        return None

    def numbered():
        for number, values in enumerate(rows, start=2):
            if values and any(v is not None and fmt.text(v) != "" for v in values):
                yield number, values

    return columns, numbered()


def read_roster(source, today: dt.date) -> ParsedRoster:
    """Parse and check every sheet. Cross-row checks that need no database (duplicate
    codes and ID numbers) are made here too."""
    parsed = ParsedRoster()
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        parsed.errors.add(WORKBOOK, 0, "", "无法读取文件，请上传 Excel 工作簿（.xlsx）")
        return parsed
    try:
        org_sheet = _sheet_rows(
            workbook, fmt.ORG_SHEET, fmt.ORG_HEADERS, fmt.ORG_REQUIRED, parsed.errors
        )
        person_sheet = _sheet_rows(
            workbook, fmt.PERSON_SHEET, fmt.PERSON_HEADERS, fmt.PERSON_REQUIRED, parsed.errors
        )
        if org_sheet:
            parsed.org_columns = frozenset(org_sheet[0])
            parsed.orgs = _read_orgs(*org_sheet, parsed.errors, today, parsed.bad_org_codes)
        if person_sheet:
            parsed.person_columns = frozenset(person_sheet[0])
            parsed.people = _read_people(*person_sheet, parsed.errors, today, parsed.bad_id_digests)
        seat_sheet = _sheet_rows(
            workbook, fmt.COMMITTEE_SHEET, fmt.COMMITTEE_HEADERS, fmt.COMMITTEE_REQUIRED,
            parsed.errors, optional=True,
        )  # fmt: skip
        parsed.has_committee_sheet = fmt.COMMITTEE_SHEET in workbook.sheetnames
        if seat_sheet:
            parsed.seats = _read_seats(*seat_sheet, parsed.errors, today)
        parsed.seat_sheet_errors = any(
            item[0] == fmt.COMMITTEE_SHEET for item in parsed.errors.items
        )
    finally:
        workbook.close()
    return parsed


def _read_orgs(columns, rows, errors: Errors, today: dt.date, bad: set) -> list[OrgRow]:
    result: list[OrgRow] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        c = _Cells(fmt.ORG_SHEET, number, values, columns, errors)
        code = c.get("组织编码", fmt.to_text, 50, required=True)
        row = OrgRow(
            row=number,
            code=code,
            name=c.get("组织名称", fmt.to_text, 200, required=True),
            parent=c.get("上级组织编码", fmt.to_text, 50),
            kind=c.get("类型", fmt.to_choice, fmt.ORG_KINDS),
            is_temporary=c.get("是否临时", fmt.to_choice, fmt.YES_NO, False),
            department=c.get("对应科室", fmt.to_text, 100),
            category=c.get("科室类别", fmt.to_choice, fmt.DEPARTMENT_CATEGORIES, ""),
            founded_on=c.get("成立日期", _past_date, today),
            term_start=c.get("本届开始日期", _past_date, today),
        )
        if row.category and not row.department:
            c.error("科室类别", "填写科室类别时须同时填写对应科室")
        if code and code in first_row:
            c.error("组织编码", f"与第{first_row[code]}行重复")
        elif code:
            first_row[code] = number
        if row.parent and row.parent == code:
            c.error("上级组织编码", "上级组织不能是本组织")
        if c.ok:
            result.append(row)
        elif code:
            bad.add(code)
    bad -= {row.code for row in result}
    return result


def _read_people(columns, rows, errors: Errors, today: dt.date, bad: set) -> list[PersonRow]:
    result: list[PersonRow] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        c = _Cells(fmt.PERSON_SHEET, number, values, columns, errors)
        id_number = c.get("身份证号", _id_number)
        gender = c.get("性别", fmt.to_choice, fmt.GENDERS, "")
        birth_date = c.get("出生日期", _past_date, today)
        if id_number:
            if id_number in first_row:
                c.error("身份证号", f"与第{first_row[id_number]}行重复")
            else:
                first_row[id_number] = number
            id_gender, id_birth = gender_from_id(id_number), birth_date_from_id(id_number)
            if id_birth > today:
                c.error("身份证号", "身份证号中的出生日期晚于今天")
            if gender and gender != id_gender:
                c.error(
                    "性别", f"与身份证号不符（身份证号为{fmt.label_of(fmt.GENDERS, id_gender)}）"
                )
            if birth_date and birth_date != id_birth:
                c.error("出生日期", f"与身份证号不符（身份证号为 {id_birth.isoformat()}）")
            gender, birth_date = id_gender, id_birth
        status = c.get("政治面貌", fmt.to_choice, fmt.STATUSES)
        post = c.get("党内职务", fmt.to_choice, fmt.POSTS, "")
        if post and status is not None and status != Status.FULL:
            c.error("党内职务", "党内职务须由正式党员担任")
        dates = [c.get(column, _past_date, today) for column in fmt.STAGE_COLUMNS]
        periods = None
        if status is not None and c.ok:
            periods, problems = stage_periods(status, dates, today)
            for column, reason in problems:
                c.error(column, reason)
        row = PersonRow(
            row=number,
            name=c.get("姓名", fmt.to_text, 50, required=True),
            gender=gender,
            birth_date=birth_date,
            id_number=id_number,
            id_digest=digest(id_number) if id_number else "",
            phone=c.get("手机号", _phone),
            org_code=c.get("所在组织编码", fmt.to_text, 50, required=True),
            department=c.get("科室", fmt.to_text, 100),
            admin_title=c.get("行政职务", fmt.to_text, 100),
            is_department_head=c.get("是否科室负责人", fmt.to_choice, fmt.YES_NO, False),
            professional_title=c.get("职称", fmt.to_text, 100),
            talent_category=c.get("人才类别", fmt.to_choice, fmt.TALENT_CATEGORIES, ""),
            employment=c.get("人员类别", fmt.to_choice, fmt.EMPLOYMENTS, Employment.IN_SERVICE),
            status=status,
            post=post,
            post_stated=bool(fmt.text(c.values.get("党内职务"))),
            periods=periods,
        )
        if c.ok:
            result.append(row)
        elif row.id_digest:
            bad.add(row.id_digest)
    bad -= {row.id_digest for row in result}
    return result


def _read_seats(columns, rows, errors: Errors, today: dt.date) -> list[SeatRow]:
    """The 委员 sheet's rows, each cell on its own; who may hold which seat is checked
    against the tree and the people (`check_seats`)."""
    result: list[SeatRow] = []
    for number, values in rows:
        c = _Cells(fmt.COMMITTEE_SHEET, number, values, columns, errors)
        id_number = c.get("身份证号", _id_number)
        row = SeatRow(
            row=number,
            org_code=c.get("组织编码", fmt.to_text, 50, required=True),
            id_digest=digest(id_number) if id_number else "",
            name=c.get("姓名", fmt.to_text, 50),
            post=c.get("党内职务", _committee_post),
            started_on=c.get("任职日期", _past_date, today),
        )
        if c.ok:
            result.append(row)
    return result


def _committee_post(value) -> str:
    if fmt.text(value) == "党小组长":
        raise fmt.CellError("党小组长不是委员职务，请在“人员”表的党内职务中填写")
    return fmt.to_choice(value, fmt.COMMITTEE_POST_LABELS)


def _id_number(value) -> str:
    if not fmt.text(value):
        raise fmt.CellError("不能为空")
    try:
        return id_number_from_cell(value)
    except InvalidIdNumber as exc:
        raise fmt.CellError(str(exc)) from exc


def _phone(value) -> str:
    raw = fmt.text(value)
    if raw and not PHONE.match(raw):
        raise fmt.CellError(PHONE_MESSAGE)
    return raw
