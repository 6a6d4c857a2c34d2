"""Roster import and export (SPEC.md §4): the two public entry points.

    report = import_roster("roster.xlsx", org=hospital, dry_run=True, user=request.user)
    n = export_roster(hospital, "roster.xlsx", user=request.user, reason="年度核对")

A bad workbook is refused as a whole: every cell of every sheet (党组织, 人员 and the
optional 委员) is checked first and each bad one gives a line (sheet, row, column,
reason); only a clean workbook is written, in one transaction, with one audit entry. The command line, the upload page and the demo loader
all call these functions.
"""

import contextlib
import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.batching import chunked
from dangjian.development.rules import history_irregularities
from dangjian.orgs.models import Organization, OrgKind

from .apply import apply_import
from .check_orgs import OrgPlan
from .check_people import PeoplePlan
from .check_seats import SeatPlan
from .export import blank_roster, export_roster
from .format import PERSON_SHEET
from .read import WORKBOOK, Errors, read_roster

__all__ = ["ImportReport", "blank_roster", "export_roster", "import_roster"]


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)  # "人员 第12行 身份证号：身份证号校验位不正确"
    # Stage dates that break a time rule: imported as they stand, listed to be checked.
    warnings: list[str] = field(default_factory=list)
    # How the file was read, shown before anything is written: the header row, columns
    # read under another name or not read, dates in other forms, hidden sheets and rows.
    notices: list[str] = field(default_factory=list)
    organizations_created: int = 0
    organizations_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    # Committee posts (the 委员 sheet and the 人员 sheet's 党内职务): opened, ended, and
    # 任职日期 corrected; a changed post ends one seat and opens another.
    seats_opened: int = 0
    seats_ended: int = 0
    seats_redated: int = 0
    dry_run: bool = False
    # For the preview: what the workbook holds.
    organizations: int = 0
    branches: int = 0
    people_by_status: dict[str, int] = field(default_factory=dict)  # 政治面貌 → count
    committee_sheet: bool = False
    committee_rows: int = 0  # seats the 委员 sheet lists

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def people(self) -> int:
        return sum(self.people_by_status.values())

    def summary(self) -> str:
        """One Chinese line, as the command prints it."""
        if not self.ok:
            return f"名册有 {len(self.errors)} 处错误，未导入任何数据"
        head = "试导入（未写入）" if self.dry_run else "导入完成"
        line = (
            f"{head}：党组织 新增 {self.organizations_created}、更新 {self.organizations_updated}；"
            f"人员 新增 {self.people_created}、更新 {self.people_updated}、"
            f"未变 {self.people_unchanged}"
        )
        if self.committee_sheet or self.seats_opened or self.seats_ended or self.seats_redated:
            line += f"；委员 任职 {self.seats_opened}、离任 {self.seats_ended}"
            if self.seats_redated:
                line += f"、更正任职日期 {self.seats_redated}"
        return line


def _file_name(source) -> str:
    name = source if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
    return os.path.basename(str(name or ""))


def import_roster(source, *, org=None, dry_run=False, user=None) -> ImportReport:
    """Import a roster workbook (a path or a binary file object) under `org` (None: the
    whole tree). With `user`, every organisation and person touched must lie in the
    user's write scope. With `dry_run`, count what would change and write nothing.
    A user's preview or refused import is audited too: it read personal data."""
    report = _import(source, org=org, dry_run=dry_run, user=user)
    if user is not None and (dry_run or not report.ok):
        audit.record(
            "roster.preview" if dry_run else "roster.refused",
            actor=user, obj=org, org_path=org.path if org else "",
            summary={"file": _file_name(source), "people": report.people,
                     "errors": len(report.errors), "warnings": len(report.warnings),
                     "notices": len(report.notices)},
        )  # fmt: skip
    return report


def _import(source, *, org, dry_run, user) -> ImportReport:
    today = timezone.localdate()
    report = ImportReport(dry_run=dry_run)
    if org is not None:
        org = Organization.objects.get(pk=org.pk)  # current path: the tree may have moved
    write_paths = None
    if user is not None:
        from dangjian.accounts.scope import scope_for

        write_paths = list(scope_for(user).write_paths)
        if org is not None and not any(org.path.startswith(p) for p in write_paths):
            report.errors = [f"{WORKBOOK}：无权向组织 {org.code} 导入名册"]
            return report
        if not write_paths:
            report.errors = [f"{WORKBOOK}：无权导入名册"]
            return report

    parsed = read_roster(source, today)
    report.warnings = history_warnings(parsed.people)
    report.notices = parsed.note_lines()
    report.organizations = len(parsed.orgs)
    report.branches = sum(1 for row in parsed.orgs if row.kind == OrgKind.BRANCH)
    report.committee_sheet = parsed.has_committee_sheet
    report.committee_rows = len(parsed.seats)
    writing = contextlib.nullcontext() if dry_run else transaction.atomic()
    with writing:
        orgs, people, seats = _check(parsed, org, write_paths, today)
        report.people_by_status = people.by_status()
        if parsed.errors:
            report.errors = parsed.errors.lines()
            return report
        orgs.load_related(
            _org_hospitals(orgs) | people.hospitals(),
            set(orgs.rows) | people.org_codes() | seats.org_codes(),
        )
        org_changes, seat_changes = orgs.diff(), seats.diff()
        people_changes = people.diff(seat_changes.people)
        report.organizations_created = len(org_changes.created)
        report.organizations_updated = len(org_changes.updated)
        report.people_created = len(people_changes.created)
        report.people_updated = people_changes.updated
        report.people_unchanged = people_changes.unchanged
        report.seats_opened = len(seat_changes.opened)
        report.seats_ended = len(seat_changes.ended)
        report.seats_redated = len(seat_changes.redated)
        if dry_run:
            return report
        org_pk = apply_import(orgs, org_changes, people, people_changes, seat_changes, today)
        audit.record(
            "roster.import",
            actor=user,
            object_type="orgs.organization",
            object_id=str(org.pk) if org else "",
            org_path=org.path if org else _common_path(orgs, people, seats, org_pk),
            summary={
                "file": _file_name(source),
                "org": org.code if org else "",
                "organizations_created": report.organizations_created,
                "organizations_updated": report.organizations_updated,
                "people_created": report.people_created,
                "people_updated": report.people_updated,
                "people_unchanged": report.people_unchanged,
                "seats_opened": report.seats_opened,
                "seats_ended": report.seats_ended,
                "seats_redated": report.seats_redated,
            },
        )
    return report


def history_warnings(people) -> list[str]:
    """Stage dates that break a time rule of RULES.md §4: a hospital's history on paper
    is imported as it stands, but each such row is listed to be checked (and `dangjian
    check` reports it as development_history_irregular)."""
    lines = []
    for row in people:
        for problem in history_irregularities(row.birth_date, dict(row.periods)):
            lines.append(
                f"{PERSON_SHEET} 第{row.row}行 {row.name}：{problem}（已按名册导入，请核实）"
            )
    return lines


def _check(parsed, org, write_paths, today) -> tuple[OrgPlan, PeoplePlan, SeatPlan]:
    """Every check that needs the stored tree and people; errors land in parsed.errors."""
    errors: Errors = parsed.errors
    orgs = OrgPlan(parsed.orgs, parsed.bad_org_codes, parsed.org_columns, org, write_paths, errors)
    orgs.resolve()
    also = {row.id_digest for row in parsed.seats}
    people = PeoplePlan(parsed.people, parsed.person_columns, orgs, errors, today, also=also)
    people.resolve()
    seats = SeatPlan(
        parsed.seats, orgs, people, errors, today,
        bad_digests=parsed.bad_id_digests, sheet_clean=not parsed.seat_sheet_errors,
    )  # fmt: skip
    seats.resolve()
    return orgs, people, seats


def _org_hospitals(orgs: OrgPlan) -> set[str]:
    return {orgs.hospital(row.code) for row in orgs.rows.values() if row.department} - {None}


def _common_path(orgs: OrgPlan, people: PeoplePlan, seats: SeatPlan, org_pk: dict) -> str:
    """Without a target: the deepest organisation above everything the import touched, so
    the entry shows in that subtree's audit log."""
    tops = {code for code in orgs.rows if orgs.parent[code] not in orgs.rows}
    tops |= {code for code in people.org_codes() | seats.org_codes() if code not in orgs.rows}
    paths = []
    for chunk in chunked(org_pk[code] for code in tops):
        paths += Organization.objects.filter(pk__in=chunk).values_list("path", flat=True)
    if not paths:
        return ""
    prefix = os.path.commonprefix(paths)
    return prefix[: len(prefix) - len(prefix) % Organization.steplen]
