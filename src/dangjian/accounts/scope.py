"""The one definition of what a user may see and change.

Scope is a queryset filter, not an `if`: every page, API call, export and job asks
`Model.objects.visible_to(user)` (which lands here), so a record outside the user's
subtrees simply does not exist for them and answers 404.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import WRITE_ROLES, Role

NOTHING = Q(pk__in=[])


def prefix_q(lookup: str, paths: list[str]) -> Q:
    if not paths:
        return NOTHING
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths))


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
    audit_paths: list[str] = field(default_factory=list)  # whose audit log they may read
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
        return qs.filter(prefix_q("org_path", self.audit_paths))

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

    @property
    def is_empty(self) -> bool:
        return not self.org_paths and self.self_person_id is None


def build_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    grants = list(
        user.grants.select_related("organization").only("role", "user", "organization__path")
    )
    org, people, write, reveal, audit = set(), set(), set(), set(), set()
    self_person_id = None
    for grant in grants:
        path = grant.organization.path
        org.add(path)
        if grant.role == Role.MEMBER:
            person = getattr(user, "person", None)
            self_person_id = person.pk if person else None
            continue
        people.add(path)
        if grant.role in WRITE_ROLES:
            write.add(path)
        if grant.role == Role.OFFICE:
            reveal.add(path)
        if grant.role == Role.AUDITOR:
            audit.add(path)
    return Scope(
        org_paths=_minimal(org),
        people_paths=_minimal(people),
        write_paths=_minimal(write),
        reveal_paths=_minimal(reveal),
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
