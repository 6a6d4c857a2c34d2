"""Who may do what with the care register: the one copy of these rules. The register is
sensitive personal data: the hospital office and the branch secretary (write scope)
only; guidance committees, auditors and members see none of it."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_keep(user, org: Organization) -> bool:
    """Read and keep the register of `org`'s subtree."""
    return scope_for(user).can_write(org)


def keeps_any(user) -> bool:
    """Whether the user keeps the register anywhere (the menu entry)."""
    return bool(scope_for(user).write_paths)
