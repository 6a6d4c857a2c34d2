"""The one definition of what a user may see and change.

Scope is a queryset filter, not an `if`: every page, API call, export and job asks
`Model.objects.visible_to(user)` (which lands here), so a record outside the user's
subtrees simply does not exist for them and answers 404.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import ADMIN_ROLES, WRITE_ROLES, Role

NOTHING = Q(pk__in=[])


def prefix_q(lookup: str, paths: list[str]) -> Q:
    if not paths:
        return NOTHING
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths))


def accounts_within(qs, paths: list[str]):
    """The accounts of `qs` that belong to, or hold a role in, the subtrees at `paths`."""
    q = prefix_q("organization__path", paths) | prefix_q("grants__organization__path", paths)
    return qs.filter(pk__in=qs.model.objects.filter(q).values("pk"))


def _minimal(paths: set[str]) -> list[str]:
    """Drop paths that lie inside another path of the set (fewer OR terms)."""
    ordered = sorted(paths)
    kept: list[str] = []
    for p in ordered:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


@dataclass(frozen=True)
class Scope:
    org_paths: list[str] = field(default_factory=list)  # organisations they may open
    people_paths: list[str] = field(default_factory=list)  # whose people they may read
    write_paths: list[str] = field(default_factory=list)  # where they may change records
    reveal_paths: list[str] = field(default_factory=list)  # where they may unmask numbers
    # Where they keep the registry (add and edit people, record 党籍 changes): the Party
    # office's work, not a branch secretary's.
    registry_paths: list[str] = field(default_factory=list)
    audit_paths: list[str] = field(default_factory=list)  # whose audit log they may read
    # 三权分立: accounts (system administrator), role grants and security policy (security
    # administrator); an audit administrator granted on a root also reads the events that
    # belong to no organisation (failed logins under unknown user names).
    sysadmin_paths: list[str] = field(default_factory=list)
    secadmin_paths: list[str] = field(default_factory=list)
    reads_unplaced_events: bool = False
    self_person_id: int | None = None
    roles: frozenset = frozenset()

    def filter_orgs(self, qs, lookup: str = "path"):
        return qs.filter(prefix_q(lookup, self.org_paths))

    def filter_people(self, qs, lookup: str = "organization__path"):
        q = prefix_q(lookup, self.people_paths)
        if self.self_person_id is not None:
            q |= Q(pk=self.self_person_id)
        return qs.filter(q)

    def filter_by_org(self, qs, lookup: str):
        """Filter any model that hangs off an organisation by that organisation's path."""
        return qs.filter(prefix_q(lookup, self.people_paths))

    def filter_audit(self, qs):
        q = prefix_q("org_path", self.audit_paths)
        if self.reads_unplaced_events:
            q |= Q(org_path="")
        return qs.filter(q)

    @property
    def account_paths(self) -> list[str]:
        """Where the user administers accounts (system or security administrator)."""
        return _minimal(set(self.sysadmin_paths) | set(self.secadmin_paths))

    def administers(self, path: str) -> bool:
        """Whether a role on the organisation at `path` is the security administrator's."""
        return self._covers(self.secadmin_paths, path)

    def filter_accounts(self, qs):
        """Accounts that belong to, or hold a role in, the administered subtrees."""
        return accounts_within(qs, self.account_paths)

    @staticmethod
    def _covers(paths: list[str], path: str) -> bool:
        return any(path.startswith(p) for p in paths)

    def can_read_org(self, org) -> bool:
        return self._covers(self.org_paths, org.path)

    def can_read_people(self, org) -> bool:
        """Whether the user may read the people (and their records) of `org`."""
        return self._covers(self.people_paths, org.path)

    def can_write(self, org) -> bool:
        return self._covers(self.write_paths, org.path)

    def can_reveal(self, org) -> bool:
        return self._covers(self.reveal_paths, org.path)

    def keeps_registry(self, org) -> bool:
        return self._covers(self.registry_paths, org.path)

    @property
    def is_empty(self) -> bool:
        return not self.org_paths and self.self_person_id is None


def build_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    grants = list(
        user.grants.select_related("organization").only(
            "role", "user", "organization__path", "organization__depth"
        )
    )
    org, people, write, reveal, registry, audit = set(), set(), set(), set(), set(), set()
    admin = {role: set() for role in ADMIN_ROLES}
    self_person_id = None
    for grant in grants:
        path = grant.organization.path
        org.add(path)
        if grant.role in ADMIN_ROLES:  # administrators never read the people
            admin[grant.role].add(path)
            continue
        if grant.role == Role.MEMBER:
            person = getattr(user, "person", None)
            self_person_id = person.pk if person else None
            continue
        people.add(path)
        if grant.role in WRITE_ROLES:
            write.add(path)
        if grant.role == Role.OFFICE:
            reveal.add(path)
            registry.add(path)
        if grant.role == Role.AUDITOR:
            audit.add(path)
    audit |= admin[Role.AUDIT_ADMIN]
    return Scope(
        sysadmin_paths=_minimal(admin[Role.SYSTEM_ADMIN]),
        secadmin_paths=_minimal(admin[Role.SECURITY_ADMIN]),
        reads_unplaced_events=any(
            g.role == Role.AUDIT_ADMIN and g.organization.depth == 1 for g in grants
        ),
        org_paths=_minimal(org),
        people_paths=_minimal(people),
        write_paths=_minimal(write),
        reveal_paths=_minimal(reveal),
        registry_paths=_minimal(registry),
        audit_paths=_minimal(audit),
        self_person_id=self_person_id,
        roles=frozenset(g.role for g in grants),
    )


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, "_dangjian_scope", None)
    if cached is None:
        cached = build_scope(user)
        try:
            user._dangjian_scope = cached
        except AttributeError:  # AnonymousUser is fine to recompute
            pass
    return cached


def reading_path(user) -> str:
    """Where a read with no organisation named happens, for the audit log: the widest
    subtree whose people the user may read (so that subtree's auditors see the entry)."""
    paths = sorted(scope_for(user).people_paths, key=len)
    return paths[0] if paths else ""
