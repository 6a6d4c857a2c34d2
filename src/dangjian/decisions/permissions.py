"""Who may do what with the 三重一大 register: the one copy of these rules, used by the
pages and the API alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_register(user, org: Organization) -> bool:
    """Register matters, plan the committee's meetings, record outcomes and change the
    register's settings: whoever may write for the organisation (its Party office)."""
    return scope_for(user).can_write(org)
