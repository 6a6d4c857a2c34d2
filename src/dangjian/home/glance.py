"""What each role's home page shows, read from the apps' queries: a member's next meeting,
notices, dues, study hours and tasks; a branch's month (required activities, meetings
planned, development steps due, dues to collect, tasks). A fixed number of queries each,
whatever the size of the branch or the length of a member's history."""

import datetime as dt
from dataclasses import dataclass

from dangjian.development.queries import due_within
from dangjian.development.steps import label as step_label
from dangjian.dues.queries import member_glance, unit_month_glance
from dangjian.meetings.calendar import year_activities
from dangjian.meetings.queries import expected_at, planned_between, study_hours
from dangjian.meetings.rules import STUDY_HOURS_PER_YEAR
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.tasks.models import TaskState, WorkTask
from dangjian.tasks.queries import tasks_in

AHEAD_DAYS = 30  # how far ahead a home page looks (meetings, development steps)
LIST_LENGTH = 5  # rows per panel; each panel links to its full page


@dataclass
class MemberGlance:
    meetings: list  # Attendance rows, today's first
    notices: list
    unread: int
    dues: dict
    study_hours: float
    study_target: int
    open_tasks: int

    @property
    def study_percent(self) -> int:
        return min(100, round(self.study_hours * 100 / self.study_target))


def member_glance_for(user, person: Person, today: dt.date) -> MemberGlance:
    notices = user.notices.all()
    return MemberGlance(
        meetings=expected_at(person.pk, today),
        notices=list(notices[:LIST_LENGTH]),
        unread=notices.filter(read_at__isnull=True).count(),
        dues=member_glance(person, today),
        study_hours=study_hours([person.pk], today.year).get(person.pk, 0.0),
        study_target=STUDY_HOURS_PER_YEAR,
        open_tasks=WorkTask.objects.filter(owners=person).exclude(state=TaskState.CLOSED).count(),
    )


@dataclass
class BranchGlance:
    activities: list  # this month's required activities and the year's overdue ones, each
    # with the meeting planned for it (if any)
    meetings: list
    development: list
    development_total: int
    dues: dict
    tasks: list
    tasks_overdue: int


def branch_glance_for(user, org: Organization, people, today: dt.date) -> BranchGlance:
    activities = [
        a
        for a in year_activities(org, today.year, today)
        if (a.due_on.year, a.due_on.month) == (today.year, today.month) or a.overdue(today)
    ]
    due = due_within(people, today, AHEAD_DAYS)
    meetings = planned_between(org, today, today + dt.timedelta(days=AHEAD_DAYS))
    planned = {}  # kind → the first meeting planned for it: the activity is arranged
    for meeting in meetings:
        planned.setdefault(meeting.kind, meeting)
    open_tasks = tasks_in(user, org).exclude(state=TaskState.CLOSED)
    return BranchGlance(
        activities=[
            {"activity": a, "planned": None if a.done else planned.get(a.kind)}
            for a in sorted(activities, key=lambda a: (a.done, a.due_on))
        ],
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
