"""Roster rows and the workbook in the SPEC.md §4 format (sheets 党组织, 人员 and 委员),
written with openpyxl so the demo goes through the same importer as a hospital's own
roster."""

import datetime as dt
import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from dangjian.roster.format import (
    COMMITTEE_HEADERS,
    COMMITTEE_SHEET,
    ORG_HEADERS,
    ORG_SHEET,
    PERSON_HEADERS,
    PERSON_SHEET,
)

MEMBER_STATUSES = ("正式党员", "预备党员")
TALENTS = ("医疗专家", "学科带头人", "优秀青年医务人员")  # 双培养 talent, not 业务骨干
CLINICAL = ("临床", "医技")


@dataclass
class OrgRow:
    code: str
    name: str
    parent: str  # 上级组织编码; empty: under the organisation given to the importer
    kind: str  # 指导委员会 / 党委 / 党总支 / 党支部 / 党小组
    department: str = ""
    category: str = ""
    founded_on: dt.date | None = None
    term_start: dt.date | None = None
    temporary: bool = False

    def cells(self) -> list:
        return [
            self.code,
            self.name,
            self.parent,
            self.kind,
            "是" if self.temporary else "否",
            self.department,
            self.category,
            self.founded_on,
            self.term_start,
        ]


@dataclass
class PersonRow:
    name: str
    gender: str  # 男 / 女
    birth_date: dt.date
    id_number: str
    org: str  # 所在组织编码
    department: str = ""
    admin_title: str = ""
    is_head: bool = False
    title: str = ""  # 职称
    talent: str = "无"
    employment: str = "在职"  # 在职 / 离退休
    status: str = "正式党员"  # 政治面貌
    post: str = "无"  # 党内职务
    applied_on: dt.date | None = None
    activist_on: dt.date | None = None
    candidate_on: dt.date | None = None
    admitted_on: dt.date | None = None
    full_on: dt.date | None = None
    phone: str = ""

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES

    def cells(self) -> list:
        return [
            self.name,
            self.gender,
            self.birth_date,
            self.id_number,
            self.phone,
            self.org,
            self.department,
            self.admin_title,
            "是" if self.is_head else "否",
            self.title,
            self.talent,
            self.employment,
            self.status,
            self.post,
            self.applied_on,
            self.activist_on,
            self.candidate_on,
            self.admitted_on,
            self.full_on,
        ]


@dataclass
class SeatRow:
    """A row of the 委员 sheet: a post on a committee other than the holder's own
    organisation's (a hospital's 党委班子 draws on its branches)."""

    org: str  # 组织编码
    person: PersonRow
    post: str  # 书记 / 副书记 / 组织委员 / … / 委员
    started_on: dt.date

    def cells(self) -> list:
        return [self.org, self.person.id_number, self.person.name, self.post, self.started_on]


@dataclass
class Roster:
    """One workbook's content: organisations (parents before children), people and the
    seats of the 委员 sheet."""

    title: str
    orgs: list[OrgRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)

    def org(self, code: str) -> OrgRow:
        return next(o for o in self.orgs if o.code == code)

    def subtree_codes(self, code: str) -> set[str]:
        codes = {code}
        for row in self.orgs:  # parents come first, so one pass suffices
            if row.parent in codes:
                codes.add(row.code)
        return codes

    def people_in(self, code: str, *, subtree: bool = True) -> list[PersonRow]:
        codes = self.subtree_codes(code) if subtree else {code}
        return [p for p in self.people if p.org in codes]


def _write_sheet(ws, headers, rows, date_columns):
    ws.append(list(headers))
    for row in rows:
        ws.append(row.cells())
    for index in date_columns:
        letter = ws.cell(row=1, column=index + 1).column_letter
        for (cell,) in ws.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        ws.column_dimensions[letter].width = 12


def build_workbook(roster: Roster) -> bytes:
    """The roster as an .xlsx file (bytes); dates are real Excel dates."""
    wb = Workbook()
    orgs = wb.active
    orgs.title = ORG_SHEET
    _write_sheet(orgs, ORG_HEADERS, roster.orgs, (7, 8))
    orgs.column_dimensions["B"].width = 30
    people = wb.create_sheet(PERSON_SHEET)
    _write_sheet(people, PERSON_HEADERS, roster.people, (2, 14, 15, 16, 17, 18))
    people.column_dimensions["D"].width = 21
    seats = wb.create_sheet(COMMITTEE_SHEET)
    _write_sheet(seats, COMMITTEE_HEADERS, roster.seats, (4,))
    seats.column_dimensions["B"].width = 21
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
