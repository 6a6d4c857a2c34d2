"""Who enters the judgements and who finalises a period (issue 20)."""

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import OrgKind


def may_appraise(user, branch) -> bool:
    """民主评议党员: the branch secretary (and committee) or the Party office."""
    return scope_for(user).can_write(branch)


def may_review(user, branch) -> bool:
    """述职评议: the hospital's Party committee and office, not the branch itself."""
    return scope_for(user).keeps_registry(branch)


def may_finalise(user, org) -> bool:
    """评定: the Party office for its hospital; the guidance committee for the city."""
    scope = scope_for(user)
    if org.kind == OrgKind.GUIDANCE_COMMITTEE:
        return Role.GUIDANCE in scope.roles and scope.can_read_people(org)
    return scope.keeps_registry(org)
