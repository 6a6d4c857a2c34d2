"""Who may keep a brand: the organisation's writers (the Party office for its hospital,
a secretary for the branch). The guidance committee and members read."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_keep(user, org: Organization) -> bool:
    return scope_for(user).can_write(org)
