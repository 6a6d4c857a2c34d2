"""Who may do what in 学习教育: the one copy of these rules, used by the pages alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from .models import Course


def may_publish(user, org: Organization) -> bool:
    """Publish a course to the subtree of `org`, add its materials and set its exam:
    whoever may write for it (the hospital office; a branch secretary for the branch)."""
    return scope_for(user).can_write(org)


def may_manage(user, course: Course) -> bool:
    return may_publish(user, course.organization)


def may_keep_bank(user, hospital: Organization) -> bool:
    """Write the hospital's question bank: its Party office (write scope on the hospital)."""
    return scope_for(user).can_write(hospital)


def may_read_results(user, course: Course) -> bool:
    """Who took an exam and their scores name members: roles that read people there."""
    return scope_for(user).can_read_people(course.organization)


def learner_id(user) -> int | None:
    """The person a member account studies as (None for accounts without one)."""
    person = getattr(user, "person", None)
    return person.pk if person is not None else None
