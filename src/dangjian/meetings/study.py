"""Study hours per member against the yearly target (RULES.md §2: 32 class hours), for
lists that page over many members: the page's people are read first, then their hours in
one query, so a page costs the same whatever the number of members or records."""

from dangjian.core.paging import IdPage
from dangjian.people.models import MEMBER_STATUSES, Person
from dangjian.people.queries import current_status

from .queries import study_hours
from .rules import STUDY_HOURS_PER_YEAR


def members_of(people):
    """Current Party members (full and probationary) among `people`, in roster order."""
    return (
        people.annotate(status_now=current_status())
        .filter(status_now__in=MEMBER_STATUSES)
        .order_by("organization__path", "name", "pk")
    )


def hours_row(person: Person, hours: float) -> dict:
    return {
        "person_id": person.pk,
        "name": person.name,
        "organization": person.organization.code,
        "organization_name": person.organization.name,
        "hours": hours,
        "target": STUDY_HOURS_PER_YEAR,
        "reached": hours >= STUDY_HOURS_PER_YEAR,
    }


def hours_page(members, year: int) -> IdPage:
    """Members with their class hours in `year`, a page at a time: the slice's people
    and then their hours, two queries per page."""

    def build(pks: list) -> list:
        people = Person.objects.select_related("organization").in_bulk(pks)
        hours = study_hours(pks, year)
        return [hours_row(people[pk], hours.get(pk, 0.0)) for pk in pks]

    return IdPage(members.values_list("pk", flat=True), build)
