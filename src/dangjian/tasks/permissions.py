"""Who may do what with target lists and tasks: the one copy of these rules, used by the
pages, the API and the jobs alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from .models import TargetList, WorkTask


def may_plan(user, org: Organization) -> bool:
    """Make a target list for `org`: whoever may write for it."""
    return scope_for(user).can_write(org)


def may_open_list(user, target_list: TargetList) -> bool:
    """Open the whole list: a branch carrying one task of the hospital's list may not."""
    return scope_for(user).can_read_people(target_list.organization)


def may_manage(user, target_list: TargetList) -> bool:
    """Add areas and tasks, change a task, review a close-out, reopen: the list's
    organisation."""
    return scope_for(user).can_write(target_list.organization)


def may_report(user, task: WorkTask) -> bool:
    """Record progress and apply for close-out: the owners and whoever may write for the
    responsible organisation."""
    if scope_for(user).can_write(task.responsible_org):
        return True
    person = getattr(user, "person", None)
    return person is not None and task.owners.filter(pk=person.pk).exists()
