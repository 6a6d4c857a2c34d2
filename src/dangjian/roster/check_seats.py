"""The committee side of a roster import: who holds which post (委员职务) after it, from
the two places a workbook gives posts, and what would change.

One source of truth per organisation:
- an organisation the 委员 sheet names has exactly the committee that sheet lists: a post
  held there and not listed ends on the import date. The 人员 sheet's 党内职务 of that
  organisation's own people, when filled, must say the same (a 党小组长 is not a committee
  post and stays with the 人员 sheet);
- any other organisation keeps its committee, except that the 人员 sheet's 党内职务 (when
  the column is there) gives each person's post in their own organisation, as it always
  has, and someone who moves loses the posts of the organisation they leave (as
  `people.services.move_person`).
An absent 委员 sheet, or an empty one, changes no committee. An organisation keeps one
书记. Who may hold a seat: a full member (正式党员) of the organisation's subtree after the
import (a hospital's 党委 draws on its branches), as `orgs.committees.appoint`.

Reads the database, never writes it (the writes are in `apply`)."""

import datetime as dt
from dataclasses import dataclass, field

from dangjian.core.batching import chunked
from dangjian.orgs.models import COMMITTEE_POSTS, CommitteePost, CommitteeSeat
from dangjian.people.models import Status

from . import format as fmt
from .check_orgs import OrgPlan
from .check_people import PeoplePlan
from .read import Errors, PersonRow, SeatRow

SHEET = fmt.COMMITTEE_SHEET
END = "end"  # no post at all in this organisation
END_COMMITTEE = "end_committee"  # no committee post (a 党小组长 stays)
_STRENGTH = {END_COMMITTEE: 1, END: 2}  # a post (3) beats both


@dataclass(frozen=True, slots=True)
class StoredSeat:
    pk: int
    person_id: int
    org: str  # organisation code
    post: str
    started_on: dt.date
    holder: str = ""  # the person's name, for a message


@dataclass(slots=True)
class Want:
    """What the workbook says of one person's post in one organisation."""

    post: str  # a CommitteePost, END or END_COMMITTEE
    started_on: dt.date | None = None  # from the 委员 sheet
    source: tuple | None = None  # (sheet, row, column) that asked for the post


@dataclass
class SeatChanges:
    ended: list[int] = field(default_factory=list)  # open seats that end on the import date
    opened: list[tuple] = field(default_factory=list)  # (person pk or digest, code, post, start)
    redated: list[tuple[int, dt.date]] = field(default_factory=list)  # (seat pk, 任职日期)
    people: set[str] = field(default_factory=set)  # digests of workbook people affected


class SeatPlan:
    def __init__(
        self, rows: list[SeatRow], orgs: OrgPlan, people: PeoplePlan, errors: Errors,
        today: dt.date, *, bad_digests=(), sheet_clean: bool = True,
    ):  # fmt: skip
        self.rows = rows
        # The two sheets are compared only when the 委员 sheet is clean itself: a bad cell
        # there gives its own line, not a second one in the 人员 sheet.
        self.sheet_clean = sheet_clean
        self.orgs, self.people = orgs, people
        self.errors = errors
        self.today = today
        self.bad_digests = set(bad_digests) | people.rejected
        self.person_rows = {row.id_digest: row for row in people.rows}
        self.named: set[str] = set()  # organisations whose committee the 委员 sheet gives
        self.listed: dict[tuple[str, str], SeatRow] = {}  # (code, digest) → row
        self.secretary_rows: dict[str, SeatRow] = {}  # code → the 委员 row naming its 书记
        self.wants: dict[tuple, Want] = {}  # (person key, code) → what the workbook says
        self.stored: dict[tuple, StoredSeat] = {}  # (person key, code) → open seat

    # -- who is who ----------------------------------------------------------------------
    def key(self, digest: str):
        """A stored person's primary key; the digest of someone the import creates."""
        stored = self.people.stored.get(digest)
        return stored.pk if stored is not None else digest

    def _final(self, digest: str) -> tuple[str, str, str] | None:
        """(name, status, organisation code) after the import, or None if unknown."""
        row = self.person_rows.get(digest)
        if row is not None:
            return row.name, row.status, row.org_code
        stored = self.people.stored.get(digest)
        if stored is None:
            return None
        return stored.name, stored.status, self.people.code_by_pk[stored.organization_id]

    def _within(self, code: str, org: str) -> bool:
        """Whether organisation `code` lies in `org`'s subtree after the import."""
        try:
            return code == org or org in self.orgs.ancestors(code)
        except ValueError:  # a cycle, reported on the organisation sheet
            return False

    def _error(self, row: SeatRow, column: str, reason: str) -> None:
        self.errors.add(SHEET, row.row, column, reason)
        self.sheet_clean = False

    # -- checks --------------------------------------------------------------------------
    def resolve(self) -> None:
        for row in self.rows:
            if self._org_usable(row):
                self.named.add(row.org_code)
                self._check_holder(row)
        self._person_posts()
        self._load_open_seats()
        for key, code in self.stored:
            if code in self.named:
                self._want(key, code, Want(END_COMMITTEE))
        self._moves()
        self._one_secretary()

    def _org_usable(self, row: SeatRow) -> bool:
        orgs, code = self.orgs, row.org_code
        if code in orgs.unresolved:
            return False  # the organisation's own row is in error
        if orgs.discreet and not orgs.may_name(code):
            self._error(row, "组织编码", f"组织 {code} 不存在或不在您的导入范围内")
        elif not orgs.exists(code):
            self._error(row, "组织编码", f"组织 {code} 不存在（工作簿和系统中均没有）")
        elif code not in orgs.rows and not orgs.in_target(code):
            outside = (
                f"组织 {code} 不在导入范围（{orgs.target.code}）之内"
                if orgs.target is not None
                else f"无权登记组织 {code} 的委员"
            )
            self._error(row, "组织编码", outside)
        else:
            return True
        return False

    def _check_holder(self, row: SeatRow) -> None:
        code, digest = row.org_code, row.id_digest
        if digest in self.bad_digests:
            return  # the person's own row is in error
        person = self._final(digest)
        if person is not None and person[2] in self.orgs.unresolved:
            return
        if person is None or not self._within(person[2], code):
            # The same words whether the number is unknown or registered elsewhere.
            self._error(
                row, "身份证号",
                f"该身份证号不是组织 {code} 或其下级组织的人员（请核对身份证号；"
                "新人员请同时在“人员”表中登记）",
            )  # fmt: skip
            return
        name, status, _ = person
        if row.name and row.name != name:
            self._error(row, "姓名", f"与身份证号不符（该身份证号登记的姓名为 {name}）")
        if status != Status.FULL:
            # 群众 for no status; a 党籍 standing (已出党, …) by its own name.
            label = fmt.label_of(fmt.STATUSES, status or "") or Status(status).label
            self._error(row, "身份证号", f"{name} 的政治面貌为{label}，须为正式党员才能任职")
        first = self.listed.get((code, digest))
        if first is not None:
            self._error(row, "身份证号", f"与第{first.row}行重复：同一人在同一组织只任一个职务")
            return
        if row.post == CommitteePost.SECRETARY:
            secretary = self.secretary_rows.setdefault(code, row)
            if secretary is not row:
                self._error(row, "党内职务", f"与第{secretary.row}行重复：一个组织只有一名书记")
                return
        self.listed[(code, digest)] = row
        source = (SHEET, row.row, "党内职务")
        self.wants[(self.key(digest), code)] = Want(row.post, row.started_on, source)

    def _person_posts(self) -> None:
        """The 人员 sheet's 党内职务: a person's post in their own organisation."""
        if "党内职务" not in self.people.columns:
            return
        secretaries: dict[str, PersonRow] = {}
        for row in self.people.rows:
            code = row.org_code
            if row.id_digest in self.people.rejected or code in self.orgs.unresolved:
                continue
            if code in self.named:
                self._agree(row)
                continue
            if row.post == CommitteePost.SECRETARY:
                first = secretaries.setdefault(code, row)
                if first is not row:
                    self.errors.add(
                        fmt.PERSON_SHEET, row.row, "党内职务",
                        f"与第{first.row}行重复：一个组织只有一名书记",
                    )  # fmt: skip
                    continue
            source = (fmt.PERSON_SHEET, row.row, "党内职务")
            self.wants[(self.key(row.id_digest), code)] = Want(row.post or END, None, source)

    def _agree(self, row: PersonRow) -> None:
        """A filled 党内职务 of someone whose organisation the 委员 sheet names must say
        what that sheet says; a 党小组长 is the 人员 sheet's own."""
        listed = self.listed.get((row.org_code, row.id_digest))
        if not row.post_stated or not self.sheet_clean:
            return
        said = fmt.label_of(fmt.POSTS, row.post, "无")
        if listed is not None and listed.post != row.post:
            posted = fmt.label_of(fmt.POSTS, listed.post)
            reason = f"为“{said}”，与“委员”表第{listed.row}行（{posted}）不一致"
        elif listed is None and row.post in COMMITTEE_POSTS:
            reason = (
                f"为“{said}”，但“委员”表列出了组织 {row.org_code} 的委员而没有此人"
                "（请在该表补上，或改为“无”）"
            )
        else:
            if listed is None:  # 无 or 党小组长
                source = (fmt.PERSON_SHEET, row.row, "党内职务")
                self.wants[(self.key(row.id_digest), row.org_code)] = Want(
                    row.post or END, None, source
                )
            return
        self.errors.add(fmt.PERSON_SHEET, row.row, "党内职务", reason)

    def _want(self, key, code: str, want: Want) -> None:
        """Record what the workbook says unless something stronger was said already: a
        post beats END, which beats END_COMMITTEE."""
        old = self.wants.get((key, code))
        if old is None or _STRENGTH.get(old.post, 3) < _STRENGTH.get(want.post, 3):
            self.wants[(key, code)] = want

    def _moves(self) -> None:
        """Someone who moves leaves the posts of the organisation they leave, unless the
        workbook gives them one there."""
        for row in self.people.rows:
            if row.id_digest in self.people.rejected or not self.people.moved(row):
                continue
            stored = self.people.stored[row.id_digest]
            old = self.people.code_by_pk[stored.organization_id]
            if (stored.pk, old) in self.stored:
                self._want(stored.pk, old, Want(END))

    def _load_open_seats(self) -> None:
        """The open seats of the workbook's people, and every open seat of the
        organisations the 委员 sheet names or that get a new 书记."""
        code_by_pk = self.people.code_by_pk
        for stored in self.people.stored.values():
            for pk, org_id, post, started_on in stored.seats:
                seat = StoredSeat(pk, stored.pk, code_by_pk[org_id], post, started_on, stored.name)
                self.stored[(stored.pk, seat.org)] = seat
        codes = self.named | {
            code for (_, code), want in self.wants.items() if want.post == CommitteePost.SECRETARY
        }
        org_pks = [self.orgs.stored[c].pk for c in codes if c in self.orgs.stored]
        for chunk in chunked(org_pks):
            rows = CommitteeSeat.objects.filter(
                organization_id__in=chunk, ended_on__isnull=True
            ).values_list(
                "pk", "person_id", "organization_id", "post", "started_on", "person__name"
            )
            for pk, person_id, org_id, post, started_on, name in rows:
                seat = StoredSeat(pk, person_id, code_by_pk[org_id], post, started_on, name)
                self.stored[(person_id, seat.org)] = seat

    def _one_secretary(self) -> None:
        """A new 书记 where a 书记 the workbook leaves in place already sits."""
        kept = {
            seat.org: seat
            for (key, code), seat in self.stored.items()
            if seat.post == CommitteePost.SECRETARY and (key, code) not in self.wants
        }
        for (_, code), want in self.wants.items():
            seat = kept.get(code)
            if want.post != CommitteePost.SECRETARY or seat is None:
                continue
            sheet, row, column = want.source
            self.errors.add(
                sheet, row, column,
                f"组织 {code} 已有书记 {seat.holder}，一个组织只有一名书记（请先登记其离任）",
            )  # fmt: skip

    # -- what would change ---------------------------------------------------------------
    def org_codes(self) -> set[str]:
        return {code for _, code in self.wants}

    def diff(self) -> SeatChanges:
        changes = SeatChanges()
        digest_of = {p.pk: d for d, p in self.people.stored.items() if d in self.person_rows}
        digest_of.update((d, d) for d in self.person_rows)
        for (key, code), want in self.wants.items():
            seat = self.stored.get((key, code))
            changed = self._seat_diff(key, code, want, seat, changes)
            if changed and key in digest_of:
                changes.people.add(digest_of[key])
        return changes

    def _seat_diff(self, key, code: str, want: Want, seat, changes: SeatChanges) -> bool:
        if want.post in (END, END_COMMITTEE):
            if seat is None or (want.post == END_COMMITTEE and seat.post not in COMMITTEE_POSTS):
                return False
            changes.ended.append(seat.pk)
            return True
        if seat is not None and seat.post == want.post:
            if want.started_on and want.started_on != seat.started_on:
                changes.redated.append((seat.pk, want.started_on))
                return True
            return False
        if seat is not None:
            changes.ended.append(seat.pk)
        start = want.started_on or self.orgs.term_start(code, self.today) or self.today
        changes.opened.append((key, code, want.post, start))
        return True
