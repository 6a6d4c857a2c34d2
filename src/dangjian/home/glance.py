"""What each role's home page shows, read from the apps' queries: a member's next meeting,
notices, dues, study hours and tasks; a branch's month (required activities, meetings
planned, development steps due, dues to collect, tasks); what waits for the Party office.
A fixed number of queries each, whatever the size of the branch or the length of a
member's history."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dangjian.compliance.findings.organisation import reelection_findings
from dangjian.development.queries import due_within
from dangjian.development.steps import label as step_label
from dangjian.dues.models import DuesReduction, ReductionStatus
from dangjian.dues.queries import arrears, member_glance, unit_month_glance
from dangjian.meetings.calendar import year_activities
from dangjian.meetings.queries import expected_at, planned_between, study_hours
from dangjian.meetings.rules import STUDY_HOURS_PER_YEAR
from dangjian.notices.queries import addressed_to, delivery_counts
from dangjian.notices.rules import DispatchState
from dangjian.notices.services import NOTICE_KIND
from dangjian.orgs.models import Organization
from dangjian.people.models import Person, TransferState
from dangjian.people.queries import transfers_for
from dangjian.points.models import AdjustmentState, PointAdjustment
from dangjian.points.queries import totals as point_totals
from dangjian.points.services import rules_for
from dangjian.surveys.queries import to_answer
from dangjian.tasks.models import TaskState, WorkTask
from dangjian.tasks.queries import tasks_in

AHEAD_DAYS = 30  # how far ahead a home page looks (meetings, development steps)
LIST_LENGTH = 5  # rows per panel; each panel links to its full page


@dataclass
class MemberGlance:
    meetings: list  # Attendance rows, today's first
    announcements: list  # pinned first, each with `is_unread`
    surveys: list  # open and not answered yet, closing soonest first
    notices: list
    unread: int
    dues: dict
    study_hours: float
    study_target: int
    open_tasks: int
    points: object  # Decimal: this year's points

    @property
    def study_percent(self) -> int:
        return min(100, round(self.study_hours * 100 / self.study_target))


def member_glance_for(user, person: Person, today: dt.date) -> MemberGlance:
    # Announcements have their own panel; this one is reminders and other messages.
    notices = user.notices.exclude(kind=NOTICE_KIND)
    listed = list(notices[:LIST_LENGTH])
    for notice in listed:  # only same-site paths become links
        notice.safe_link = (
            notice.link if notice.link.startswith("/") and not notice.link.startswith("//") else ""
        )
    return MemberGlance(
        meetings=expected_at(person.pk, today),
        announcements=list(
            addressed_to(user).order_by("-pinned", "-published_at", "-pk")[:LIST_LENGTH]
        ),
        surveys=list(to_answer(person, timezone.now())[:LIST_LENGTH]),
        notices=listed,
        unread=notices.filter(read_at__isnull=True).count(),
        dues=member_glance(person, today),
        study_hours=study_hours([person.pk], today.year).get(person.pk, 0.0),
        study_target=STUDY_HOURS_PER_YEAR,
        open_tasks=WorkTask.objects.filter(owners=person).exclude(state=TaskState.CLOSED).count(),
        points=_points(person, today.year),
    )


def _points(person: Person, year: int):
    return point_totals([person.pk], year, rules_for(person.organization, year))[person.pk]


def _arranged(activity, meetings):
    """The meeting planned for `activity`: of its kind, inside its period."""
    return next(
        (m for m in meetings if m.kind == activity.kind and m.planned_on in activity.period), None
    )


@dataclass
class BranchGlance:
    activities: list  # the required activities of the periods running now, each with the
    # meeting planned for it (if any)
    missed: int  # activities of earlier periods this year that were not held
    meetings: list
    development: list
    development_total: int
    dues: dict
    tasks: list
    tasks_overdue: int


def branch_glance_for(user, org: Organization, people, today: dt.date) -> BranchGlance:
    year = year_activities(org, today.year, today)
    # The activities of the periods running now (this month's, this quarter's, this
    # year's); earlier periods missed are only counted here, later ones not yet shown.
    current = [a for a in year if today in a.period]
    missed = sum(1 for a in year if a.overdue(today) and today not in a.period)
    due = due_within(people, today, AHEAD_DAYS)
    meetings = planned_between(org, today, today + dt.timedelta(days=AHEAD_DAYS))
    open_tasks = tasks_in(user, org).exclude(state=TaskState.CLOSED)
    return BranchGlance(
        activities=[
            {"activity": a, "planned": None if a.done else _arranged(a, meetings)}
            for a in sorted(current, key=lambda a: (a.done, a.due_on))
        ],
        missed=missed,
        meetings=meetings,
        development=[
            {
                "person": e.person,
                "label": step_label(e.due.code),
                "due_on": e.due.due_on,
                "overdue": e.due.overdue(today),
            }
            for e in due[: LIST_LENGTH * 2]
        ],  # fmt: skip
        development_total=len(due),
        dues=unit_month_glance(org, today),
        tasks=list(open_tasks.order_by("due_on", "pk")[:LIST_LENGTH]),
        tasks_overdue=open_tasks.filter(due_on__lt=today).count(),
    )


# Members this many months in arrears are to be reminded (RULES.md §1; 党章 第三十八条).
REMIND_ARREARS_MONTHS = 3


@dataclass
class OfficeGlance:
    """What waits for the Party office today, each with the records it is about."""

    transfers_in: list
    letters_out: list  # 介绍信 past their validity without a 回执
    reductions: list
    closures: list
    reelections: list
    development_overdue: int
    development_due: int
    arrears: list
    arrears_total: int
    dues: dict
    adjustments: int  # manual points waiting for a second person
    failed_deliveries: int  # e-mails and group posts given up after their retries

    @property
    def waiting(self) -> int:
        return (
            len(self.transfers_in) + len(self.reductions) + len(self.closures)
            + len(self.reelections) + len(self.letters_out) + self.adjustments
            + self.failed_deliveries
        )  # fmt: skip


def office_glance_for(user, org: Organization, people, today: dt.date) -> OfficeGlance:
    transfers = transfers_for(user)
    due = due_within(people, today, AHEAD_DAYS)
    overdue = sum(1 for entry in due if entry.due.overdue(today))
    in_arrears = arrears(org.path, today, REMIND_ARREARS_MONTHS)
    return OfficeGlance(
        transfers_in=list(
            transfers.filter(
                state=TransferState.PENDING, to_organization__path__startswith=org.path
            ).order_by("transferred_on", "pk")[: LIST_LENGTH * 2]
        ),
        letters_out=list(
            transfers.filter(
                state=TransferState.ISSUED,
                organization__path__startswith=org.path,
                valid_until__lt=today,
            ).order_by("valid_until", "pk")[: LIST_LENGTH * 2]
        ),  # fmt: skip
        reductions=list(
            DuesReduction.objects.filter(
                person__organization__path__startswith=org.path,
                status__in=(ReductionStatus.APPLIED, ReductionStatus.BRANCH_AGREED),
            )
            .select_related("person")
            .order_by("applied_on", "pk")[: LIST_LENGTH * 2]
        ),
        closures=list(
            tasks_in(user, org)
            .filter(state=TaskState.APPLIED)
            .select_related("responsible_org")
            .order_by("due_on", "pk")[: LIST_LENGTH * 2]
        ),
        reelections=reelection_findings(org, today),
        development_overdue=overdue,
        development_due=len(due) - overdue,
        arrears=list(in_arrears.select_related("organization")[:LIST_LENGTH]),
        arrears_total=in_arrears.count(),
        dues=unit_month_glance(org, today),
        adjustments=PointAdjustment.objects.filter(
            state=AdjustmentState.PENDING, person__in=people
        ).count(),
        failed_deliveries=delivery_counts(org)[DispatchState.FAILED],
    )
