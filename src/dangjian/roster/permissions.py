"""Who may import and export the roster: the one copy of these rules, used by the pages
and any other caller alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_import(user) -> bool:
    """Upload a roster: whoever may write somewhere (where it lands is checked per row)."""
    return bool(scope_for(user).write_paths)


def may_export(user, org: Organization) -> bool:
    """Download a subtree with whole ID and phone numbers: whoever may reveal personal
    data there (the Party office)."""
    return scope_for(user).can_reveal(org)
