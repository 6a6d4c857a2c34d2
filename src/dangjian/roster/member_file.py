"""A member's file (党员档案): every record of one person across the apps, in one place —
standing and relations from the registry, the development steps, organisational life
and study, dues by year, tasks and 三重一大 meetings. It lives here, above the domain
apps, because it reads all of them (ARCHITECTURE.md). One query per kind of record, so
the page's query count does not grow with the person's history."""

from dataclasses import dataclass

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from dangjian.decisions.models import DecisionAttendance
from dangjian.development.models import DevelopmentStep
from dangjian.dues.models import DuesBill
from dangjian.meetings.models import Attendance, MeetingStatus, Study
from dangjian.orgs.models import CommitteeSeat
from dangjian.people.models import Person
from dangjian.tasks.models import WorkTask

ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


@dataclass
class MemberFile:
    person: Person
    statuses: list
    memberships: list
    seats: list
    transfers: list
    mobile_periods: list
    steps: list
    attendance: list
    study_years: list
    dues_years: list
    tasks: list
    decision_meetings: list


def member_file(person: Person) -> MemberFile:
    return MemberFile(
        person=person,
        statuses=list(person.statuses.order_by("started_on", "id")),
        memberships=list(person.memberships.select_related("organization")),
        seats=list(
            CommitteeSeat.objects.filter(person=person)
            .select_related("organization")
            .order_by("-started_on")
        ),
        transfers=list(person.transfers.select_related("organization", "to_organization")),
        mobile_periods=list(person.mobile_periods.all()),
        steps=list(
            DevelopmentStep.objects.filter(person=person)
            .select_related("organization")
            .order_by("done_on", "id")
        ),
        attendance=list(
            Attendance.objects.filter(person=person)
            .exclude(meeting__status=MeetingStatus.PLANNED)  # held meetings only
            .select_related("meeting__organization")
            .order_by("-meeting__planned_on", "-id")[:200]
        ),
        study_years=list(
            Study.objects.filter(person=person)
            .annotate(year=ExtractYear("studied_on"))
            .values("year")
            .annotate(hours=Sum("hours"), records=Count("pk"))
            .order_by("-year")
        ),
        dues_years=list(
            DuesBill.objects.filter(person=person)
            .annotate(year=ExtractYear("month"))
            .values("year")
            .annotate(
                months=Count("pk"),
                due=Coalesce(Sum("amount"), ZERO),
                paid=Coalesce(Sum("amount", filter=Q(paid_by__isnull=False)), ZERO),
                unpaid_months=Count("pk", filter=Q(paid_by__isnull=True, amount__gt=0)),
            )
            .order_by("-year")
        ),
        tasks=list(
            WorkTask.objects.filter(owners=person)
            .select_related("responsible_org")
            .order_by("-due_on")[:100]
        ),
        decision_meetings=list(
            DecisionAttendance.objects.filter(person=person)
            .select_related("meeting")
            .order_by("-meeting__held_on")[:100]
        ),
    )
