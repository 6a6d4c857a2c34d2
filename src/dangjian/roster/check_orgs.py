"""The organisation side of a roster import: where each workbook organisation ends up in
the tree, whether the importer may put it there, and what would change.

Reads the database, never writes it (the writes are in `apply`)."""

import datetime as dt
from dataclasses import dataclass, field

from dangjian.core.batching import chunked
from dangjian.orgs.models import CommitteeTerm, Department, Organization, OrgKind

from . import format as fmt
from .read import Errors, OrgRow

SHEET = fmt.ORG_SHEET
NEW_DEPARTMENT = object()  # equals no stored primary key


def under(path: str, prefix: str) -> bool:
    return path.startswith(prefix)


@dataclass(slots=True)
class StoredOrg:
    pk: int
    code: str
    path: str
    kind: str
    name: str
    is_temporary: bool
    department_id: int | None
    founded_on: dt.date | None
    term_years: int
    parent_code: str | None = None


@dataclass
class OrgChanges:
    """What the workbook changes on the organisation side."""

    created: list[str] = field(default_factory=list)  # in creation order
    moved: list[str] = field(default_factory=list)
    fields: dict[str, dict] = field(default_factory=dict)  # code → {field: value}
    departments: dict[str, tuple | None] = field(default_factory=dict)  # code → dept key
    categories: dict[tuple, str] = field(default_factory=dict)  # dept key → new category
    terms: list[tuple[str, dt.date]] = field(default_factory=list)
    updated: set[str] = field(default_factory=set)


class OrgPlan:
    """The final tree: the stored organisations with the workbook's laid over them."""

    def __init__(self, rows: list[OrgRow], bad_codes, columns, target, write_paths, errors: Errors):
        self.rows = {row.code: row for row in rows}
        # Codes of organisation rows that have a bad cell: they exist, but are not checked.
        self.unresolved: set[str] = set(bad_codes)
        self.columns = columns
        self.target = target  # Organization or None
        self.write_paths = write_paths  # None: no user, no limit
        # A user's import must not tell them what lies outside their scope: a code used
        # elsewhere reads like one that does not exist (the command line says more).
        self.discreet = write_paths is not None
        self.errors = errors
        self.stored = _load_stored()
        self.parent: dict[str, str | None] = {}
        self.departments: dict[tuple, tuple[int, str]] = {}  # (hospital code, name) → pk, cat
        self.term_starts: dict[int, list[dt.date]] = {}

    # -- the final tree ------------------------------------------------------------------
    def exists(self, code: str) -> bool:
        return code in self.rows or code in self.stored or code in self.unresolved

    def final_parent(self, code: str) -> str | None:
        if code in self.parent:
            return self.parent[code]
        stored = self.stored.get(code)
        return stored.parent_code if stored else None

    def ancestors(self, code: str) -> list[str]:
        """Final ancestors, nearest first. Raises ValueError (with the loop) on a cycle."""
        seen = [code]
        current = self.final_parent(code)
        while current is not None:
            if current in seen:
                raise ValueError(seen[seen.index(current) :])
            seen.append(current)
            current = self.final_parent(current)
        return seen[1:]

    def kind(self, code: str) -> str:
        return self.rows[code].kind if code in self.rows else self.stored[code].kind

    def hospital(self, code: str) -> str | None:
        """The nearest hospital committee at or above `code` in the final tree."""
        for candidate in [code, *self.ancestors(code)]:
            if self.kind(candidate) == OrgKind.COMMITTEE:
                return candidate
        return None

    def may_name(self, code: str) -> bool:
        """Whether the importer may name this organisation at all: a workbook row, or a
        stored one in their write scope (anyone, without a user)."""
        if not self.discreet or code in self.rows:
            return True
        stored = self.stored.get(code)
        return stored is not None and self.writable(stored.path)

    def missing_parent(self, code: str) -> str:
        if self.discreet:
            return f"上级组织 {code} 不存在或不在您的导入范围内"
        return f"上级组织 {code} 不存在（工作簿和系统中均没有）"

    @staticmethod
    def unusable_code(code: str) -> str:
        return f"组织编码 {code} 不能在此使用（请核对编码，或换用其他编码）"

    def _is_scope_root(self, path: str) -> bool:
        """The organisation at the top of one of the importer's write scopes."""
        return self.write_paths is not None and path in self.write_paths

    def writable(self, path: str) -> bool:
        if self.write_paths is None:
            return True
        return any(under(path, p) for p in self.write_paths)

    def in_target(self, code: str) -> bool:
        """Whether a stored organisation not in the workbook may be used by the import."""
        stored = self.stored[code]
        if self.target is not None and not under(stored.path, self.target.path):
            return False
        return self.writable(stored.path)

    # -- checks --------------------------------------------------------------------------
    def resolve(self) -> None:
        for row in self.rows.values():
            self._resolve_parent(row)
        # Rows at or under a row in error are not checked further: that error is enough.
        self.unresolved |= {code for code in self.rows if code not in self.parent}
        for code in self.parent:
            try:
                chain = self.ancestors(code)
            except ValueError as exc:
                loop = exc.args[0]
                self.unresolved.add(code)
                if code == loop[0]:
                    path = " → ".join([*loop, code])
                    self._error(self.rows[code], "上级组织编码", f"上级关系形成循环：{path}")
                continue
            if any(a in self.unresolved for a in chain):
                self.unresolved.add(code)
        for code in self.parent:
            if code not in self.unresolved:
                self._check_place(self.rows[code])
        self._check_departments()

    def _error(self, row: OrgRow, column: str, reason: str) -> None:
        self.errors.add(SHEET, row.row, column, reason)

    def _resolve_parent(self, row: OrgRow) -> None:
        stored = self.stored.get(row.code)
        target = self.target
        if stored and self.discreet and not self.writable(stored.path):
            self._error(row, "组织编码", self.unusable_code(row.code))
            return
        if stored and target and not under(stored.path, target.path):
            self._error(
                row, "组织编码", f"组织 {row.code} 已存在，且不在导入范围（{target.code}）之内"
            )
            return
        if stored and not self.writable(stored.path):
            self._error(row, "组织编码", f"无权修改组织 {row.code}")
            return
        if stored and row.kind and row.kind != stored.kind and self._is_scope_root(stored.path):
            # A branch secretary must not turn their own branch into a Party committee.
            self._error(row, "类型", f"无权修改本组织（{row.code}）的类型，请由上级党组织调整")
            return
        is_target = target is not None and row.code == target.code
        if row.parent:
            if not self.exists(row.parent) or not self.may_name(row.parent):
                self._error(row, "上级组织编码", self.missing_parent(row.parent))
                return
            if is_target and row.parent != stored.parent_code:
                self._error(row, "上级组织编码", f"导入范围的根组织 {row.code} 不能调整上级")
                return
            self.parent[row.code] = row.parent
        elif is_target:
            self.parent[row.code] = stored.parent_code
        elif target is not None:
            self.parent[row.code] = target.code
        else:
            # Without a target, an empty cell keeps a stored organisation where it is (so an
            # exported subtree re-imports in place) and makes a new one a root.
            self.parent[row.code] = stored.parent_code if stored else None

    def _check_place(self, row: OrgRow) -> None:
        """The organisation must end up under the target (and where the user may write).
        One that stays where it is was checked with its stored place."""
        if self._stays(row.code):
            return
        # The nearest ancestor already in its final place: a stored one the workbook leaves
        # where it is.
        anchor = next((a for a in self.ancestors(row.code) if self._stays(a)), None)
        if self.target is not None:
            if anchor is None or (
                anchor != self.target.code and not under(self.stored[anchor].path, self.target.path)
            ):
                parent = self.parent[row.code]
                self._error(
                    row, "上级组织编码", f"上级组织 {parent} 不在导入范围（{self.target.code}）之内"
                )
                return
        if anchor is None and self.write_paths is not None:
            self._error(row, "上级组织编码", "无权新建顶级组织")
        elif anchor is not None and not self.writable(self.stored[anchor].path):
            self._error(row, "上级组织编码", f"无权在组织 {anchor} 之下导入")

    def _stays(self, code: str) -> bool:
        stored = self.stored.get(code)
        return stored is not None and self.final_parent(code) == stored.parent_code

    def _check_departments(self) -> None:
        seen: dict[tuple, OrgRow] = {}
        for row in self.rows.values():
            if not row.department or row.code in self.unresolved:
                continue
            hospital = self.hospital(row.code)
            if hospital is None:
                self._error(row, "对应科室", "本组织及其上级中没有医院党委，无法关联科室")
                continue
            key = (hospital, row.department)
            first = seen.setdefault(key, row)
            if row.category and first.category and row.category != first.category:
                self._error(row, "科室类别", f"与第{first.row}行对同一科室填写的类别不同")
            elif row.category and not first.category:
                seen[key] = row

    # -- what would change ---------------------------------------------------------------
    def load_related(self, hospital_codes: set[str], org_codes: set[str]) -> None:
        """Departments of the hospitals involved and the terms of the organisations."""
        stored_hospitals = {c: self.stored[c].pk for c in hospital_codes if c in self.stored}
        code_of = {pk: code for code, pk in stored_hospitals.items()}
        for chunk in chunked(stored_hospitals.values()):
            for pk, hospital_id, name, category in Department.objects.filter(
                hospital_id__in=chunk
            ).values_list("pk", "hospital_id", "name", "category"):
                self.departments[(code_of[hospital_id], name)] = (pk, category)
        org_pks = [self.stored[c].pk for c in org_codes if c in self.stored]
        for chunk in chunked(org_pks):
            for org_id, started_on in CommitteeTerm.objects.filter(
                organization_id__in=chunk
            ).values_list("organization_id", "started_on"):
                self.term_starts.setdefault(org_id, []).append(started_on)

    def department_pk(self, key: tuple | None):
        """The stored department a (hospital, name) key names; NEW_DEPARTMENT if none yet."""
        if key is None:
            return None
        return self.departments[key][0] if key in self.departments else NEW_DEPARTMENT

    def term_start(self, code: str, today: dt.date) -> dt.date | None:
        """The start of the organisation's current term after the import."""
        starts = []
        if code in self.stored:
            starts = [d for d in self.term_starts.get(self.stored[code].pk, []) if d <= today]
        row = self.rows.get(code)
        if row and row.term_start:
            starts.append(row.term_start)
        return max(starts) if starts else None

    def creation_order(self) -> list[OrgRow]:
        """Parents before children: by depth in the final tree, then by code."""
        return sorted(self.rows.values(), key=lambda r: (len(self.ancestors(r.code)), r.code))

    def diff(self) -> OrgChanges:
        changes = OrgChanges()
        for row in self.creation_order():
            stored = self.stored.get(row.code)
            dept_key = (self.hospital(row.code), row.department) if row.department else None
            if stored is None:
                changes.created.append(row.code)
                if dept_key:
                    changes.departments[row.code] = dept_key
                if row.term_start:
                    changes.terms.append((row.code, row.term_start))
                self._category_change(row, dept_key, changes)
                continue
            changed = self._field_changes(row, stored)
            if changed:
                changes.fields[row.code] = changed
            if self.parent[row.code] != stored.parent_code:
                changes.moved.append(row.code)
            if "对应科室" in self.columns and self.department_pk(dept_key) != stored.department_id:
                changes.departments[row.code] = dept_key
            new_term = bool(row.term_start) and row.term_start not in self.term_starts.get(
                stored.pk, []
            )
            if new_term:
                changes.terms.append((row.code, row.term_start))
            category_changed = self._category_change(row, dept_key, changes)
            if (
                changed
                or new_term
                or category_changed
                or row.code in changes.moved
                or row.code in changes.departments
            ):
                changes.updated.add(row.code)
        return changes

    def _field_changes(self, row: OrgRow, stored: StoredOrg) -> dict:
        wanted = {"name": row.name, "kind": row.kind}
        if "是否临时" in self.columns:
            wanted["is_temporary"] = row.is_temporary
        if "成立日期" in self.columns:
            wanted["founded_on"] = row.founded_on
        return {k: v for k, v in wanted.items() if getattr(stored, k) != v}

    def _category_change(self, row: OrgRow, dept_key, changes: OrgChanges) -> bool:
        if not dept_key or not row.category:
            return False
        existing = self.departments.get(dept_key)
        if existing is None or existing[1] != row.category:
            changes.categories[dept_key] = row.category
            return existing is not None
        return False


def _load_stored() -> dict[str, StoredOrg]:
    """Every stored organisation (a city has a few thousand): one query."""
    stored: dict[str, StoredOrg] = {}
    code_by_path: dict[str, str] = {}
    rows = Organization.objects.order_by("path").values_list(
        "pk",
        "code",
        "path",
        "kind",
        "name",
        "is_temporary",
        "department_id",
        "founded_on",
        "term_years",
    )
    for values in rows:
        org = StoredOrg(*values)
        org.parent_code = code_by_path.get(org.path[: -Organization.steplen])
        code_by_path[org.path] = org.code
        stored[org.code] = org
    return stored
