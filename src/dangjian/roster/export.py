"""Roster export: an organisation's subtree in the import format (SPEC.md §4), so that an
export re-imports unchanged: sheets 党组织, 人员 and 委员 (every committee post held in the
subtree, the hospital's 党委班子 included). ID-card and phone numbers are written whole
(it is the file the Party office keeps and re-imports), so every export is audited with its
reason.

Every sheet is in the shared layout (core.sheets). Above the hospitals (a guidance
committee's export) sheets 党组织 and 人员 end with an informational column 所属医院, the
hospital of each row, which the import reads past."""

import datetime as dt
import os
import tempfile

from django.utils import timezone
from openpyxl import Workbook

from dangjian.core import audit
from dangjian.core.sheets import DATE, Column, Heading, Table, saved
from dangjian.orgs.models import COMMITTEE_POSTS, CommitteeSeat, CommitteeTerm, Organization
from dangjian.orgs.queries import hospital_names, hospital_of
from dangjian.people.models import Person, StatusPeriod

from . import format as fmt

HOSPITAL = "所属医院"  # informational, city level only; the import reads past it
_DATE_HEADERS = {"出生日期", "成立日期", "本届开始日期", "任职日期", *fmt.STAGE_COLUMNS}
_TITLES = {
    fmt.ORG_SHEET: "党组织名册",
    fmt.PERSON_SHEET: "党员名册",
    fmt.COMMITTEE_SHEET: "委员名册",
}
_STAGE_INDEX = {status: i for i, (status, _) in enumerate(fmt.STAGES)}


def export_roster(org, destination, *, user=None, reason="") -> int:
    """Write `org`'s subtree to `destination` (a path or a binary file object); returns the
    number of people written. A path is written whole or not at all."""
    org = Organization.objects.get(pk=org.pk)
    if isinstance(destination, str | os.PathLike):
        count = _export_to_path(org, os.fspath(destination))
    else:
        count = _write_workbook(org, destination)
    audit.record(
        "roster.export",
        actor=user,
        obj=org,
        org_path=org.path,
        summary={"org": org.code, "people": count, "reason": reason},
    )
    return count


def _write_workbook(org: Organization, destination) -> int:
    workbook = Workbook(write_only=True)
    names = hospital_names(org)
    today = timezone.localdate()

    def table(title: str, headers: list[str], city: bool = False) -> Table:
        headers = headers + ([HOSPITAL] if city and names is not None else [])
        columns = [Column(h, DATE if h in _DATE_HEADERS else "text") for h in headers]
        sheet = workbook.create_sheet(title)
        return Table(sheet, columns, Heading(_TITLES[title], org.name, today))

    _write_orgs(table(fmt.ORG_SHEET, fmt.ORG_HEADERS, city=True), org, names)
    count = _write_people(table(fmt.PERSON_SHEET, fmt.PERSON_HEADERS, city=True), org, names)
    _write_seats(table(fmt.COMMITTEE_SHEET, fmt.COMMITTEE_HEADERS), org)
    workbook.save(destination)
    return count


def blank_roster():
    """The empty workbook the upload page offers (a BytesIO): every sheet with its
    headers, no rows, so nothing in it is imported by mistake."""
    book = Workbook()
    book.remove(book.active)
    today = timezone.localdate()
    for title, headers in (
        (fmt.ORG_SHEET, fmt.ORG_HEADERS),
        (fmt.PERSON_SHEET, fmt.PERSON_HEADERS),
        (fmt.COMMITTEE_SHEET, fmt.COMMITTEE_HEADERS),
    ):
        columns = [Column(h, DATE if h in _DATE_HEADERS else "text", width=12) for h in headers]
        Table(book.create_sheet(title), columns, Heading(_TITLES[title], "", today)).finish()
    return saved(book)


def _export_to_path(org: Organization, path: str) -> int:
    """Write next to the destination, then rename: a failed export leaves no half file."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(suffix=".xlsx", dir=directory)
    os.close(fd)
    try:
        count = _write_workbook(org, temp)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return count


def _write_orgs(table: Table, root: Organization, names: dict | None) -> None:
    orgs = list(
        Organization.objects.within(root.path).select_related("department").order_by("path")
    )
    code_by_path = {o.path: o.code for o in orgs}
    terms: dict[int, dt.date] = {}
    # The latest term of each organisation (ordering is -started_on).
    for org_id, started_on in (
        CommitteeTerm.objects.filter(organization__path__startswith=root.path)
        .order_by("organization_id", "-started_on")
        .values_list("organization_id", "started_on")
    ):
        terms.setdefault(org_id, started_on)
    for org in orgs:
        parent = "" if org.pk == root.pk else code_by_path.get(org.path[: -org.steplen], "")
        department = org.department
        values = [
            org.code,
            org.name,
            parent,
            fmt.label_of(fmt.ORG_KINDS, org.kind),
            "是" if org.is_temporary else "否",
            department.name if department else "",
            fmt.label_of(fmt.DEPARTMENT_CATEGORIES, department.category) if department else "",
            org.founded_on,
            terms.get(org.pk),
        ]
        if names is not None:
            values.append(hospital_of(names, org.path))
        table.row(values)
    table.finish()


def _stage_dates(periods: list[tuple[str, dt.date, dt.date | None]]) -> tuple[str, list]:
    """The 政治面貌 label and the five stage dates a person's status history gives.

    The current status is the open period's; someone without one (or who has left the
    Party) is 群众 with no dates, which the import reads as "no change"."""
    dates: list[dt.date | None] = [None] * len(fmt.STAGES)
    current = next((status for status, _, ended_on in periods if ended_on is None), None)
    if current not in _STAGE_INDEX:
        return fmt.MASSES, dates
    reached = _STAGE_INDEX[current]
    for status, started_on, _ in periods:
        index = _STAGE_INDEX.get(status)
        if index is not None and index <= reached:
            dates[index] = started_on
    return fmt.label_of(fmt.STATUSES, current), dates


def _write_people(table: Table, root: Organization, names: dict | None) -> int:
    in_subtree = {"person__organization__path__startswith": root.path}
    periods: dict[int, list] = {}
    for person_id, status, started_on, ended_on in (
        StatusPeriod.objects.filter(**in_subtree)
        .order_by("person_id", "started_on", "id")
        .values_list("person_id", "status", "started_on", "ended_on")
    ):
        periods.setdefault(person_id, []).append((status, started_on, ended_on))
    posts = {
        (person_id, org_id): post
        for person_id, org_id, post in CommitteeSeat.objects.filter(
            ended_on__isnull=True, **in_subtree
        ).values_list("person_id", "organization_id", "post")
    }
    people = (
        Person.objects.filter(organization__path__startswith=root.path)
        .select_related("organization", "department")
        .order_by("organization__path", "name", "id")
    )
    count = 0
    for person in people.iterator(chunk_size=2000):
        status, dates = _stage_dates(periods.pop(person.pk, []))
        post = posts.get((person.pk, person.organization_id), "")
        values = [
            person.name,
            fmt.label_of(fmt.GENDERS, person.gender),
            person.birth_date,
            person.id_number,
            person.phone,
            person.organization.code,
            person.department.name if person.department else "",
            person.admin_title,
            "是" if person.is_department_head else "否",
            person.professional_title,
            fmt.label_of(fmt.TALENT_CATEGORIES, person.talent_category, "无"),
            fmt.label_of(fmt.EMPLOYMENTS, person.employment),
            status,
            fmt.label_of(fmt.POSTS, post, "无"),
            *dates,
        ]
        if names is not None:
            values.append(hospital_of(names, person.organization.path))
        table.row(values)
        count += 1
    table.finish()
    return count


_POST_ORDER = {post: i for i, post in enumerate(COMMITTEE_POSTS)}


def _write_seats(table: Table, root: Organization) -> None:
    """Every open committee post in the subtree held by someone in it: by organisation in
    tree order, then 书记, 副书记, … (a 党小组长 is in the 人员 sheet)."""
    seats = (
        CommitteeSeat.objects.filter(
            ended_on__isnull=True,
            post__in=COMMITTEE_POSTS,
            organization__path__startswith=root.path,
            person__organization__path__startswith=root.path,
        )
        .select_related("organization", "person")
        .only("post", "started_on", "organization__path", "organization__code",
              "person__name", "person__id_number")
    )  # fmt: skip
    ordered = sorted(
        seats, key=lambda s: (s.organization.path, _POST_ORDER[s.post], s.person.name, s.pk)
    )
    for seat in ordered:
        values = [
            seat.organization.code,
            seat.person.id_number,
            seat.person.name,
            fmt.label_of(fmt.POSTS, seat.post),
            seat.started_on,
        ]
        table.row(values)
    table.finish()
