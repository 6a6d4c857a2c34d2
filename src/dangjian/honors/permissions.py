"""Who may record honours: the one copy of this rule. A hospital's Party office for its
hospital, and the guidance committee (which otherwise only reads) for the hospitals it
guides; a branch secretary reads them only."""

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_read(user, org: Organization) -> bool:
    return scope_for(user).can_read_people(org)


def may_record(user, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.keeps_registry(org) or (Role.GUIDANCE in scope.roles and scope.can_read_org(org))


def may_manage_round(user, selection_round) -> bool:
    """Close, review, publish, record objections and approve: the organiser's people."""
    return may_record(user, selection_round.organization)


def recommending_unit(user, selection_round) -> Organization | None:
    """The unit the user recommends for: the organisation whose registry they keep
    (a hospital's Party office) inside the round's organiser; None if there is none."""
    inside = [
        p for p in scope_for(user).registry_paths
        if p.startswith(selection_round.organization.path)
    ]  # fmt: skip
    return Organization.objects.filter(path__in=inside).order_by("path").first() if inside else None
