"""Who may record volunteer service and problems: the one copy of these rules."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization


def may_record(user, org: Organization) -> bool:
    """The organisation's writers: the Party office for its hospital, a secretary for the
    branch."""
    return scope_for(user).can_write(org)


def may_lead_alliance(user, org: Organization) -> bool:
    """An alliance is led by a hospital's committee (its office) or by the guidance
    committee itself, which otherwise only reads."""
    from dangjian.accounts.models import Role
    from dangjian.orgs.models import OrgKind

    scope = scope_for(user)
    if org.kind == OrgKind.GUIDANCE_COMMITTEE:
        return Role.GUIDANCE in scope.roles and scope.can_read_org(org)
    return scope.can_write(org)


def may_manage_partnership(user, partnership) -> bool:
    """Edit, end and record activities: our side's writers, never the partner's."""
    return may_record(user, partnership.organization)


def may_manage_alliance(user, alliance) -> bool:
    return may_lead_alliance(user, alliance.lead)
