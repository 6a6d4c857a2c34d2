"""Who may do what with meetings and study records: the one copy of these rules, used by
the pages, the API and the jobs alike."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import Meeting


def may_plan(user, org: Organization) -> bool:
    """Plan a meeting of the organisation: whoever may write for it."""
    return scope_for(user).can_write(org)


def may_record(user, meeting: Meeting) -> bool:
    """Hold, file, correct attendance: whoever may write for the meeting's organisation."""
    return scope_for(user).can_write(meeting.organization)


def may_see_attendance(user, meeting: Meeting) -> bool:
    """Who attended names members: roles that read people, not members."""
    return scope_for(user).can_read_people(meeting.organization)


def may_record_study(user, person: Person) -> bool:
    """Class hours: whoever may write for the person's organisation, or the member."""
    scope = scope_for(user)
    return scope.can_write(person.organization) or scope.self_person_id == person.pk
