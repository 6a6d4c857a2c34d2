"""Who may do what with points: the one copy of these rules."""

from dangjian.accounts.scope import scope_for


def may_adjust(user, org) -> bool:
    """Propose, approve and reverse manual points, and set the year's rules (for the
    hospital): the organisation's writers. Approval also needs a second person
    (services.decide)."""
    return scope_for(user).can_write(org)
