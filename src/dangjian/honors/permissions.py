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
