"""Reading a roster workbook: every cell of every sheet is checked on its own (format,
labels, the ID number, the development dates), without looking at the database.

The file is read by `core.tabular` (python-calamine: .xlsx, .xls, .ods; or a .csv), its
sheets, header rows and columns found by `locate`; a city-sized roster is read sheet by
sheet and only the parsed rows are kept. Dates are taken in every unambiguous form offices
type them in (`core.cell_dates`); each form other than 2019-05-01 is counted and
said in the preview.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dangjian.core.cell_dates import ISO, MONTH_FORMS, SERIAL, DateProblem, cell_date
from dangjian.core.crypto import digest
from dangjian.core.halfwidth import halfwidth
from dangjian.core.tabular import Unreadable, open_book
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
from .locate import Notes, locate

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
    notes: Notes = field(default_factory=Notes)  # how the file was read, for the preview
    # (sheet, column, form) → cells whose date was read in a form other than 2019-05-01
    date_forms: Counter = field(default_factory=Counter)

    def note_lines(self) -> list[str]:
        return self.notes.lines() + [
            _form_note(sheet, column, form, n)
            for (sheet, column, form), n in sorted(
                self.date_forms.items(), key=lambda item: _SHEET_ORDER.get(item[0][0], 9)
            )
        ]


def _form_note(sheet: str, column: str, form: str, count: int) -> str:
    if form == SERIAL:
        return f"{sheet} · {column}：{count} 格是常规格式单元格中的日期序列号，已按日期读取"
    if form in MONTH_FORMS:
        return f"{sheet} · {column}：{count} 格只写了年月（“{form}”），按当月1日读取"
    return f"{sheet} · {column}：按“{form}”格式读取 {count} 格"


class _Cells:
    """One sheet row: converts cells by column name and records what is wrong."""

    def __init__(self, sheet, number, values, columns, errors, forms=None):
        self.sheet, self.number, self.errors, self.forms = sheet, number, errors, forms
        self.values = {name: values[i] if i < len(values) else None for name, i in columns.items()}
        self.ok = True

    def get(self, column: str, convert, *args, **kwargs):
        try:
            return convert(self.values.get(column), *args, **kwargs)
        except fmt.CellError as exc:
            self.error(column, str(exc))
            return None

    def date(self, column: str, today: dt.date) -> dt.date | None:
        """A date not after today, in any unambiguous form (a month alone where the
        column allows it); the form is counted for the preview."""
        month_only = column in fmt.MONTH_ONLY_COLUMNS
        try:
            day, form = cell_date(self.values.get(column), month_only=month_only)
        except DateProblem as exc:
            self.error(column, str(exc))
            return None
        if day is not None and day > today:
            self.error(column, f"不能晚于今天（{today.isoformat()}）")
            return None
        if form and form != ISO and self.forms is not None:
            self.forms[self.sheet, column, form] += 1
        return day

    def error(self, column: str, reason: str) -> None:
        self.errors.add(self.sheet, self.number, column, reason)
        self.ok = False


def read_roster(source, today: dt.date, name: str = "") -> ParsedRoster:
    """Parse and check every sheet. Cross-row checks that need no database (duplicate
    codes and ID numbers) are made here too. `name`: the uploaded file's name."""
    parsed = ParsedRoster()
    try:
        book = open_book(source, name)
        found = locate(book, parsed.errors, parsed.notes, WORKBOOK)
        forms = parsed.date_forms
        if org_sheet := found[fmt.ORG_SHEET]:
            parsed.org_columns = frozenset(org_sheet.columns)
            parsed.orgs = _read_orgs(org_sheet, parsed.errors, today, parsed.bad_org_codes, forms)
        if person_sheet := found[fmt.PERSON_SHEET]:
            parsed.person_columns = frozenset(person_sheet.columns)
            parsed.people = _read_people(
                person_sheet, parsed.errors, today, parsed.bad_id_digests, forms
            )
        seat_sheet = found[fmt.COMMITTEE_SHEET]
        parsed.has_committee_sheet = seat_sheet is not None
        if seat_sheet:
            parsed.seats = _read_seats(seat_sheet, parsed.errors, today, forms)
    except Unreadable as exc:
        parsed.errors.add(WORKBOOK, 0, "", str(exc))
    parsed.seat_sheet_errors = any(item[0] == fmt.COMMITTEE_SHEET for item in parsed.errors.items)
    return parsed


def _read_orgs(sheet, errors: Errors, today: dt.date, bad: set, forms) -> list[OrgRow]:
    result: list[OrgRow] = []
    first_row: dict[str, int] = {}
    for number, values in sheet.rows:
        c = _Cells(fmt.ORG_SHEET, number, values, sheet.columns, errors, forms)
        code = c.get("组织编码", fmt.to_code, 50, required=True)
        row = OrgRow(
            row=number,
            code=code,
            name=c.get("组织名称", fmt.to_text, 200, required=True),
            parent=c.get("上级组织编码", fmt.to_code, 50),
            kind=c.get("类型", fmt.to_choice, fmt.ORG_KINDS),
            is_temporary=c.get("是否临时", fmt.to_choice, fmt.YES_NO, False),
            department=c.get("对应科室", fmt.to_text, 100),
            category=c.get("科室类别", fmt.to_choice, fmt.DEPARTMENT_CATEGORIES, ""),
            founded_on=c.date("成立日期", today),
            term_start=c.date("本届开始日期", today),
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


def _read_people(sheet, errors: Errors, today: dt.date, bad: set, forms) -> list[PersonRow]:
    result: list[PersonRow] = []
    first_row: dict[str, int] = {}
    for number, values in sheet.rows:
        c = _Cells(fmt.PERSON_SHEET, number, values, sheet.columns, errors, forms)
        id_number = c.get("身份证号", _id_number)
        gender = c.get("性别", fmt.to_choice, fmt.GENDERS, "")
        birth_date = c.date("出生日期", today)
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
        dates = [c.date(column, today) for column in fmt.STAGE_COLUMNS]
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
            org_code=c.get("所在组织编码", fmt.to_code, 50, required=True),
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


def _read_seats(sheet, errors: Errors, today: dt.date, forms) -> list[SeatRow]:
    """The 委员 sheet's rows, each cell on its own; who may hold which seat is checked
    against the tree and the people (`check_seats`)."""
    result: list[SeatRow] = []
    for number, values in sheet.rows:
        c = _Cells(fmt.COMMITTEE_SHEET, number, values, sheet.columns, errors, forms)
        id_number = c.get("身份证号", _id_number)
        row = SeatRow(
            row=number,
            org_code=c.get("组织编码", fmt.to_code, 50, required=True),
            id_digest=digest(id_number) if id_number else "",
            name=c.get("姓名", fmt.to_text, 50),
            post=c.get("党内职务", _committee_post),
            started_on=c.date("任职日期", today),
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
    """A mobile number; full-width digits and the spaces or hyphens people group it with
    (138 0000 0000, 138-0000-0000) are taken out."""
    raw = halfwidth(fmt.text(value)).replace(" ", "").replace("-", "")
    if raw and not PHONE.match(raw):
        raise fmt.CellError(PHONE_MESSAGE)
    return raw
