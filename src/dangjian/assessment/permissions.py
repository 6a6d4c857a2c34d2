"""Who may read and publish bulletins: one copy of these rules for pages, API and jobs."""

from dangjian.accounts.scope import scope_for
from dangjian.notices.permissions import may_publish


def may_read(user, org) -> bool:
    """The bulletin names members (arrears, absence, overdue steps): those who may read
    the organisation's people (the Party office, the guidance committee, a secretary)."""
    return scope_for(user).can_read_people(org)


def may_publish_bulletin(user, org) -> bool:
    """Publishing goes through the notices: whoever may publish there and read it."""
    return may_read(user, org) and may_publish(user, org)
