"""The people side of a roster import: match each row to a stored person by the keyed
digest of the ID number, check where the row puts them, and work out what would change
(fields, organisation, status history). Committee posts, the 党内职务 column included,
are worked out in `check_seats`.

Reads the database, never writes it (the writes are in `apply`)."""

import datetime as dt
from dataclasses import dataclass, field

from dangjian.core.batching import chunked
from dangjian.orgs.models import CommitteeSeat
from dangjian.people.models import STANDING_STATUSES, Membership, Person, StatusPeriod

from . import format as fmt
from .check_orgs import OrgPlan
from .read import Errors, PersonRow

SHEET = fmt.PERSON_SHEET

# Optional person columns → the Person field each one sets.
OPTIONAL_FIELDS = {
    "手机号": "phone",
    "行政职务": "admin_title",
    "是否科室负责人": "is_department_head",
    "职称": "professional_title",
    "人才类别": "talent_category",
    "人员类别": "employment",
}
ALWAYS_FIELDS = ("name", "gender", "birth_date")


@dataclass(slots=True)
class StoredPerson:
    pk: int
    name: str
    gender: str
    birth_date: dt.date | None
    phone: str
    organization_id: int
    department_id: int | None
    admin_title: str
    is_department_head: bool
    professional_title: str
    talent_category: str
    employment: str
    periods: list = field(default_factory=list)  # (pk, status, started_on, ended_on)
    membership: tuple | None = None  # open row: (pk, organization_id, started_on)
    seats: list = field(default_factory=list)  # open rows: (pk, organization_id, post, started_on)

    @property
    def status(self) -> str | None:
        """The open status (None without one)."""
        return next((status for _, status, _, ended_on in self.periods if ended_on is None), None)


@dataclass
class PeopleChanges:
    created: list[PersonRow] = field(default_factory=list)
    updates: list[tuple[int, dict]] = field(default_factory=list)  # (pk, {field: value})
    moves: list[tuple[int, str, tuple | None]] = field(default_factory=list)  # pk, code, open row
    periods: list[tuple[int, list]] = field(default_factory=list)  # pk, new periods
    closed_periods: list[int] = field(default_factory=list)  # open rows of people now 群众
    updated: int = 0
    unchanged: int = 0


class PeoplePlan:
    def __init__(
        self, rows: list[PersonRow], columns, orgs: OrgPlan, errors: Errors, today, *, also=()
    ):
        self.rows = rows
        self.columns = columns
        self.orgs = orgs
        self.errors = errors
        self.today = today
        # People named elsewhere in the workbook (the 委员 sheet) but not in this sheet.
        self.also = set(also)
        self.stored: dict[str, StoredPerson] = {}  # digest → person
        self.rejected: set[str] = set()  # digests of rows refused here
        self.code_by_pk = {o.pk: o.code for o in orgs.stored.values()}

    def _error(self, row: PersonRow, column: str, reason: str) -> None:
        self.errors.add(SHEET, row.row, column, reason)
        self.rejected.add(row.id_digest)

    # -- checks --------------------------------------------------------------------------
    def resolve(self) -> None:
        self._load_stored()
        orgs = self.orgs
        for row in self.rows:
            code = row.org_code
            if code in orgs.unresolved:
                pass  # the organisation's own row is in error
            elif orgs.discreet and not orgs.may_name(code):
                self._error(row, "所在组织编码", f"组织 {code} 不存在或不在您的导入范围内")
            elif not orgs.exists(code):
                self._error(row, "所在组织编码", f"组织 {code} 不存在（工作簿和系统中均没有）")
            elif code not in orgs.rows and not orgs.in_target(code):
                self._error(row, "所在组织编码", self._outside(code))
            elif row.department and self.hospital(code) is None:
                self._error(row, "科室", "所在组织及其上级中没有医院党委，无法关联科室")
            stored = self.stored.get(row.id_digest)
            if stored is not None:
                current = self.code_by_pk[stored.organization_id]
                if current not in orgs.rows and not orgs.in_target(current):
                    reason = (
                        "该身份证号不能在此导入（如为调入人员，请办理组织关系转接）"
                        if orgs.discreet
                        else "该人员已登记在导入范围以外的组织，不能在此导入（调入请办理组织关系转接）"
                    )
                    self._error(row, "身份证号", reason)

    def _outside(self, code: str) -> str:
        if self.orgs.target is not None:
            return f"组织 {code} 不在导入范围（{self.orgs.target.code}）之内"
        return f"无权向组织 {code} 导入人员"

    def hospital(self, code: str) -> str | None:
        try:
            return self.orgs.hospital(code)
        except ValueError:  # a cycle, reported on the organisation sheet
            return None

    def _load_stored(self) -> None:
        """All digests in one query; the matched people's rows in chunks."""
        wanted = {row.id_digest for row in self.rows} | self.also
        pk_by_digest = {
            d: pk
            for d, pk in Person.objects.values_list("id_digest", "pk").iterator()
            if d in wanted
        }
        by_pk: dict[int, StoredPerson] = {}
        for chunk in chunked(pk_by_digest.values()):
            for values in (
                Person.objects.filter(pk__in=chunk)
                .order_by()
                .values_list(
                    "pk",
                    "name",
                    "gender",
                    "birth_date",
                    "phone",
                    "organization_id",
                    "department_id",
                    "admin_title",
                    "is_department_head",
                    "professional_title",
                    "talent_category",
                    "employment",
                )
            ):
                by_pk[values[0]] = StoredPerson(*values)
            periods = StatusPeriod.objects.filter(person_id__in=chunk).order_by(
                "person_id", "started_on", "id"
            )
            for person_id, *period in periods.values_list(
                "person_id", "pk", "status", "started_on", "ended_on"
            ):
                by_pk[person_id].periods.append(tuple(period))
            for person_id, *row in (
                Membership.objects.filter(person_id__in=chunk, ended_on__isnull=True)
                .order_by()
                .values_list("person_id", "pk", "organization_id", "started_on")
            ):
                by_pk[person_id].membership = tuple(row)
            for person_id, *row in (
                CommitteeSeat.objects.filter(person_id__in=chunk, ended_on__isnull=True)
                .order_by()
                .values_list("person_id", "pk", "organization_id", "post", "started_on")
            ):
                by_pk[person_id].seats.append(tuple(row))
        self.stored = {d: by_pk[pk] for d, pk in pk_by_digest.items()}

    def hospitals(self) -> set[str]:
        return {h for row in self.rows if row.department and (h := self.hospital(row.org_code))}

    def org_codes(self) -> set[str]:
        return {row.org_code for row in self.rows}

    # -- what would change ---------------------------------------------------------------
    def diff(self, seat_changes: set[str] = frozenset()) -> PeopleChanges:
        """`seat_changes`: digests of people whose posts change (`check_seats`), who count
        as updated too."""
        changes = PeopleChanges()
        for row in self.rows:
            stored = self.stored.get(row.id_digest)
            if stored is None:
                changes.created.append(row)
                continue
            changed = self._person_diff(row, stored, changes)
            changed |= self._status_diff(row, stored, changes)
            if changed or row.id_digest in seat_changes:
                changes.updated += 1
            else:
                changes.unchanged += 1
        return changes

    def department_key(self, row: PersonRow) -> tuple | None:
        return (self.hospital(row.org_code), row.department) if row.department else None

    def _person_diff(self, row: PersonRow, stored: StoredPerson, changes: PeopleChanges) -> bool:
        wanted = {name: getattr(row, name) for name in ALWAYS_FIELDS}
        for column, name in OPTIONAL_FIELDS.items():
            if column in self.columns:
                wanted[name] = getattr(row, name)
        fields = {k: v for k, v in wanted.items() if getattr(stored, k) != v}
        if "科室" in self.columns:
            key = self.department_key(row)
            if self.orgs.department_pk(key) != stored.department_id:
                fields["department"] = key
        if self.moved(row):
            fields["organization"] = row.org_code
            changes.moves.append((stored.pk, row.org_code, stored.membership))
        if fields:
            changes.updates.append((stored.pk, fields))
        return bool(fields)

    def _status_diff(self, row: PersonRow, stored: StoredPerson, changes: PeopleChanges) -> bool:
        open_rows = [p for p in stored.periods if p[3] is None]
        if not row.periods:
            # 群众: whoever is not (or no longer) on the pipeline; a stored open row ends today,
            # but not a 党籍 standing (left, suspended, dead), which the export writes as 群众.
            current = [p for p in open_rows if p[1] not in STANDING_STATUSES]
            changes.closed_periods += [p[0] for p in current]
            return bool(current)
        stored_sequence = [(status, started_on) for _, status, started_on, _ in stored.periods]
        last_open = bool(stored.periods) and stored.periods[-1][3] is None
        if stored_sequence == list(row.periods) and last_open and len(open_rows) == 1:
            return False
        changes.periods.append((stored.pk, row.periods))
        return True

    def moved(self, row: PersonRow) -> bool:
        """Whether a stored person's row puts them in another organisation."""
        stored = self.stored.get(row.id_digest)
        return stored is not None and self.code_by_pk[stored.organization_id] != row.org_code

    def by_status(self) -> dict[str, int]:
        """People in the workbook by 政治面貌 label, in pipeline order (for the preview)."""
        counts = dict.fromkeys(fmt.STATUSES, 0)
        label = {code: name for name, code in fmt.STATUSES.items()}
        for row in self.rows:
            counts[label[row.status]] += 1
        return {k: v for k, v in counts.items() if v}
