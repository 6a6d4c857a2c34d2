"""Who may record volunteer service and problems: the one copy of these rules."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_record(user, org: Organization) -> bool:
    """The organisation's writers: the Party office for its hospital, a secretary for the
    branch."""
    return scope_for(user).can_write(org)
