"""Who may do what with announcements and the channels: the one copy of these rules."""

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_publish(user, org: Organization) -> bool:
    """A hospital's Party office for its hospital, a secretary for the branch, and the
    guidance committee (which otherwise only reads) for the hospitals it guides."""
    scope = scope_for(user)
    return scope.can_write(org) or (Role.GUIDANCE in scope.roles and scope.can_read_org(org))


def may_manage(user, announcement) -> bool:
    """Pin or withdraw: whoever may publish to the announcement's organisation."""
    return may_publish(user, announcement.organization)


def may_keep_channels(user, org: Organization) -> bool:
    """Group robots and the delivery log of an organisation: its writers (the Party
    office for the hospital, a secretary for the branch's own group)."""
    return scope_for(user).can_write(org)
