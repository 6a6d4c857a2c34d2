"""Who may do what with dues: the one copy of these rules, used by the pages, the API
and the jobs alike."""

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization, OrgKind

from .models import DuesReduction, ReductionStatus


def may_read(user) -> bool:
    """The collection lists (month, arrears, reductions, reconciliation): roles that read
    people; a member has "my dues" instead."""
    return bool(scope_for(user).people_paths)


def may_collect(user, org: Organization) -> bool:
    """Generate bills, record payments, fix bases, register reductions and voluntary
    payments: whoever may write for the organisation."""
    return scope_for(user).can_write(org)


def may_configure(user, org: Organization) -> bool:
    """A hospital's rounding and advance-payment choices: its Party office only."""
    scope = scope_for(user)
    return Role.OFFICE in scope.roles and scope.can_write(org)


def next_level_path(org: Organization) -> str:
    """The path of the organisation above the member's branch, which approves after the
    branch committee agrees (the branch itself when there is nothing above it)."""
    step = Organization.steplen
    branch = org.path[:-step] if org.kind == OrgKind.GROUP else org.path
    return branch[:-step] or branch


def may_approve_reduction(user, reduction: DuesReduction) -> bool:
    """Once the branch committee has agreed, only the next level approves (RULES.md §1:
    member → branch committee → next level); before that, whoever writes for the branch."""
    if reduction.status != ReductionStatus.BRANCH_AGREED:
        return may_collect(user, reduction.person.organization)
    path = next_level_path(reduction.person.organization)
    return any(path.startswith(p) for p in scope_for(user).write_paths)


def may_import_bases(user) -> bool:
    """Upload the payroll office's workbook of bases: whoever may write somewhere (each
    row must name a member the user may write for)."""
    return bool(scope_for(user).write_paths)
