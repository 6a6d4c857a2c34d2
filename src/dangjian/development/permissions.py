"""Who may do what in member development: the one copy of these rules, used by the pages
and the API alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person


def may_record_step(user, person: Person) -> bool:
    """Record a step, attach documents: whoever may write for the person's organisation."""
    return scope_for(user).can_write(person.organization)


def may_hold_assembly(user, org: Organization) -> bool:
    """The branch assembly's vote on several candidates: a branch's writers."""
    return org.kind == OrgKind.BRANCH and scope_for(user).can_write(org)
