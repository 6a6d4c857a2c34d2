"""Writing a checked roster import: the changes `check_orgs` and `check_people` worked
out, in bulk. Runs inside the caller's transaction; nothing here validates.

Organisations go through treebeard one by one (a tree insert moves paths); everything else
is written with bulk_create / bulk_update in batches, so a city-sized roster takes seconds.
"""

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from dangjian.core.batching import chunked
from dangjian.core.dates import add_years
from dangjian.development import history
from dangjian.development.models import DevelopmentStep
from dangjian.orgs.models import CommitteeSeat, CommitteeTerm, Department, Organization
from dangjian.people.models import Membership, MembershipReason, Person, StatusPeriod

from .check_orgs import OrgChanges, OrgPlan
from .check_people import PeopleChanges, PeoplePlan
from .check_seats import SeatChanges

BATCH = 500


class _Writer:
    def __init__(self, orgs: OrgPlan, people: PeoplePlan, today: dt.date):
        self.orgs, self.people, self.today = orgs, people, today
        self.org_pk = {code: stored.pk for code, stored in orgs.stored.items()}
        self.term_years = {code: stored.term_years for code, stored in orgs.stored.items()}
        self.dept_pk = {key: pk for key, (pk, _) in orgs.departments.items()}
        self.created_pk: dict[str, int] = {}  # ID digest → new person

    # -- organisations -------------------------------------------------------------------
    def write_orgs(self, changes: OrgChanges) -> None:
        created, moved = set(changes.created), set(changes.moved)
        for row in self.orgs.creation_order():
            parent = self.orgs.parent[row.code]
            if row.code in created:
                fields = {
                    "code": row.code,
                    "name": row.name,
                    "kind": row.kind,
                    "is_temporary": row.is_temporary,
                    "founded_on": row.founded_on,
                }
                if parent is None:
                    org = Organization.objects.add_root(fields)
                else:
                    org = Organization.objects.add_child(
                        Organization(pk=self.org_pk[parent]), fields
                    )
                self.org_pk[row.code] = org.pk
                self.term_years[row.code] = org.term_years
            elif row.code in moved:
                node = Organization.objects.get(pk=self.org_pk[row.code])
                target = Organization.objects.get(pk=self.org_pk[parent])
                Organization.objects.move(node, target, "sorted-child")
        self._update_org_fields(changes.fields)

    def _update_org_fields(self, fields_by_code: dict[str, dict]) -> None:
        groups: dict[tuple, list[Organization]] = defaultdict(list)
        for code, fields in fields_by_code.items():
            org = Organization(pk=self.org_pk[code], **fields)
            groups[tuple(sorted(fields))].append(org)
        for names, objs in groups.items():
            Organization.objects.bulk_update(objs, list(names), batch_size=BATCH)

    def write_departments(self, org_changes: OrgChanges, people_changes: PeopleChanges) -> None:
        wanted = {key for key in org_changes.departments.values() if key}
        wanted |= {f["department"] for _, f in people_changes.updates if f.get("department")}
        wanted |= {k for row in people_changes.created if (k := self.people.department_key(row))}
        pending = sorted(wanted - set(self.dept_pk))
        new = [
            Department(
                hospital_id=self.org_pk[hospital],
                name=name,
                category=org_changes.categories.get((hospital, name), ""),
            )
            for hospital, name in pending
        ]
        Department.objects.bulk_create(new, batch_size=BATCH)
        self.dept_pk.update((key, dept.pk) for key, dept in zip(pending, new, strict=True))
        by_category = defaultdict(list)
        for key, category in org_changes.categories.items():
            if key in self.orgs.departments:
                by_category[category].append(self.dept_pk[key])
        for category, pks in by_category.items():
            Department.objects.filter(pk__in=pks).update(category=category)
        links = [
            Organization(pk=self.org_pk[code], department_id=self.dept_pk[key] if key else None)
            for code, key in org_changes.departments.items()
        ]
        Organization.objects.bulk_update(links, ["department"], batch_size=BATCH)

    def write_terms(self, changes: OrgChanges) -> None:
        terms = [
            CommitteeTerm(
                organization_id=self.org_pk[code],
                started_on=start,
                ends_on=add_years(start, self.term_years[code]),
            )
            for code, start in changes.terms
        ]
        CommitteeTerm.objects.bulk_create(terms, batch_size=BATCH)

    # -- people --------------------------------------------------------------------------
    def create_people(self, rows) -> None:
        now = timezone.now()
        for batch in chunked(rows, BATCH):
            people = [
                Person(
                    name=row.name,
                    gender=row.gender,
                    birth_date=row.birth_date,
                    id_number=row.id_number,
                    id_digest=row.id_digest,
                    phone=row.phone,
                    organization_id=self.org_pk[row.org_code],
                    department_id=self.dept_pk.get(self.people.department_key(row)),
                    admin_title=row.admin_title,
                    is_department_head=row.is_department_head,
                    professional_title=row.professional_title,
                    talent_category=row.talent_category,
                    employment=row.employment,
                    created_at=now,
                    updated_at=now,
                )
                for row in batch
            ]
            Person.objects.bulk_create(people)
            Membership.objects.bulk_create(
                [
                    Membership(
                        person_id=person.pk,
                        organization_id=person.organization_id,
                        started_on=row.earliest_date or self.today,
                        start_reason=MembershipReason.IMPORT,
                    )
                    for person, row in zip(people, batch, strict=True)
                ]
            )
            StatusPeriod.objects.bulk_create(
                [
                    period
                    for person, row in zip(people, batch, strict=True)
                    for period in _periods(person.pk, row.periods)
                ],
                batch_size=BATCH,
            )
            DevelopmentStep.objects.bulk_create(
                [
                    step
                    for person, row in zip(people, batch, strict=True)
                    for step in history.milestones(person.pk, person.organization_id, row.periods)
                ],
                batch_size=BATCH,
            )
            self.created_pk.update(
                (row.id_digest, p.pk) for p, row in zip(people, batch, strict=True)
            )

    def update_people(self, updates: list[tuple[int, dict]]) -> None:
        now = timezone.now()
        groups: dict[tuple, list[Person]] = defaultdict(list)
        for pk, fields in updates:
            values = dict(fields)
            if "organization" in values:
                values["organization_id"] = self.org_pk[values.pop("organization")]
            if "department" in values:
                key = values.pop("department")
                values["department_id"] = self.dept_pk[key] if key else None
            person = Person(pk=pk, updated_at=now, **values)
            names = tuple(sorted(n.removesuffix("_id") for n in values)) + ("updated_at",)
            groups[names].append(person)
        for names, people in groups.items():
            Person.objects.bulk_update(people, list(names), batch_size=BATCH)

    def move_people(self, moves) -> None:
        """Close the open relationship today (a same-day one never took effect and goes)
        and open one with the new organisation."""
        closing, dropping = [], []
        for _, _, membership in moves:
            if membership is None:
                continue
            (dropping if membership[2] >= self.today else closing).append(membership[0])
        for chunk in chunked(closing):
            Membership.objects.filter(pk__in=chunk).update(
                ended_on=self.today, end_reason=MembershipReason.MOVE
            )
        for chunk in chunked(dropping):
            Membership.objects.filter(pk__in=chunk).delete()
        Membership.objects.bulk_create(
            [
                Membership(
                    person_id=pk,
                    organization_id=self.org_pk[code],
                    started_on=self.today,
                    start_reason=MembershipReason.MOVE,
                )
                for pk, code, _ in moves
            ],
            batch_size=BATCH,
        )

    def replace_periods(self, replacements, closed: list[int]) -> None:
        for chunk in chunked(closed):
            StatusPeriod.objects.filter(pk__in=chunk).update(ended_on=self.today)
        for chunk in chunked([pk for pk, _ in replacements]):
            StatusPeriod.objects.filter(person_id__in=chunk).delete()
        StatusPeriod.objects.bulk_create(
            [period for pk, periods in replacements for period in _periods(pk, periods)],
            batch_size=BATCH,
        )
        for chunk in chunked(replacements):
            org_of = dict(
                Person.objects.filter(pk__in=[pk for pk, _ in chunk]).values_list(
                    "pk", "organization_id"
                )
            )
            history.replace_imported([(pk, org_of[pk], periods) for pk, periods in chunk])

    def write_seats(self, changes: SeatChanges) -> None:
        for chunk in chunked(changes.ended):
            CommitteeSeat.objects.filter(pk__in=chunk).update(ended_on=self.today)
        redated = [CommitteeSeat(pk=pk, started_on=day) for pk, day in changes.redated]
        CommitteeSeat.objects.bulk_update(redated, ["started_on"], batch_size=BATCH)
        seats = []
        for person, code, post, start in changes.opened:
            person_pk = person if isinstance(person, int) else self.created_pk[person]
            seats.append(
                CommitteeSeat(
                    organization_id=self.org_pk[code],
                    person_id=person_pk,
                    post=post,
                    started_on=start,
                )
            )
        CommitteeSeat.objects.bulk_create(seats, batch_size=BATCH)


def _periods(person_pk: int, periods) -> list[StatusPeriod]:
    """Contiguous periods: each ends the day the next one starts; the last stays open."""
    rows = []
    for i, (status, started_on) in enumerate(periods):
        ended_on = periods[i + 1][1] if i + 1 < len(periods) else None
        rows.append(
            StatusPeriod(
                person_id=person_pk, status=status, started_on=started_on, ended_on=ended_on
            )
        )
    return rows


def apply_import(
    orgs: OrgPlan,
    org_changes: OrgChanges,
    people: PeoplePlan,
    people_changes: PeopleChanges,
    seat_changes: SeatChanges,
    today: dt.date,
) -> dict[str, int]:
    """Write everything; returns the primary keys of the organisations by code."""
    writer = _Writer(orgs, people, today)
    writer.write_orgs(org_changes)
    writer.write_departments(org_changes, people_changes)
    writer.write_terms(org_changes)
    writer.create_people(people_changes.created)
    writer.update_people(people_changes.updates)
    writer.move_people(people_changes.moves)
    writer.replace_periods(people_changes.periods, people_changes.closed_periods)
    writer.write_seats(seat_changes)
    return writer.org_pk
