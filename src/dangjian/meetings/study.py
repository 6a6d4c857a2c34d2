"""Study hours per member against the yearly target (RULES.md §2: 32 class hours), for
lists that page over many members: the page's people are read first, then their hours in
one query, so a page costs the same whatever the number of members or records."""

from collections.abc import Sequence

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


class StudyHoursPage(Sequence):
    """Members with their class hours in `year`, for ninja's paginator: counting and
    slicing run on the member ids, the hours of the slice are summed in one query."""

    def __init__(self, members, year: int):
        self.ids = members.values_list("pk", flat=True)
        self.year = year

    def __len__(self) -> int:
        return self.ids.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pks = list(self.ids[index])
        people = Person.objects.select_related("organization").in_bulk(pks)
        hours = study_hours(pks, self.year)
        return [hours_row(people[pk], hours.get(pk, 0.0)) for pk in pks]
