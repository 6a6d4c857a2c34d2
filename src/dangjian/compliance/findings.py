"""Compliance findings for `dangjian check`, the compliance page and the nightly
reminders (SPEC.md §4): branch size, committee, re-election, missed meetings, members
absent for six months, overdue development steps, dues arrears of three months or more and
overdue tasks.

`findings(org, today)` returns the contract's dicts; `collect` returns `Finding`s that
also carry `ref`, what makes a finding the same one from night to night (the reminder
job sends each once). A fixed number of queries, whatever the number of branches.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from dangjian.core.dates import add_months
from dangjian.development.queries import due_within
from dangjian.dues import rules as dues_rules
from dangjian.dues.queries import arrears
from dangjian.meetings import rules
from dangjian.meetings.models import Attendance, AttendanceState, MeetingStatus
from dangjian.meetings.queries import compliance
from dangjian.orgs import rules as org_rules
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrgKind,
)
from dangjian.orgs.queries import alive_on
from dangjian.people.models import MEMBER_STATUSES, Membership, Person, Status
from dangjian.people.queries import open_on, status_on
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

RED, YELLOW = "red", "yellow"
ABSENCE_WINDOW_MONTHS = 12  # look for a six-month run within the last year


@dataclass(frozen=True)
class Finding:
    org: str
    kind: str
    severity: str
    message: str
    ref: str = ""  # identity beyond org and kind (a term's end, a person, a period)
    path: str = ""  # the organisation's path, to route reminders

    def as_dict(self) -> dict:
        data = asdict(self)
        return {key: data[key] for key in ("org", "kind", "severity", "message")}


def findings(org: Organization, today: dt.date) -> list[dict]:
    return [f.as_dict() for f in collect(org, today)]


def collect(org: Organization, today: dt.date) -> list[Finding]:
    branches = list(
        Organization.objects.filter(alive_on(today), kind=OrgKind.BRANCH, path__startswith=org.path)
    )
    found = [
        *_size_findings(org, branches, today),
        *_reelection_findings(org, today),
        *_meeting_findings(org, today),
        *_absence_findings(org, today),
        *_development_findings(org, today),
        *_dues_findings(org, today),
        *_task_findings(org, today),
    ]
    return sorted(found, key=lambda f: (f.path, f.kind, f.ref))


# ---- branch size and committee ---------------------------------------------------------
def member_counts(path: str, today: dt.date) -> dict[str, tuple[int, int]]:
    """{organisation path: (full members, all members)} as of today, counted in the
    database per organisation (a branch's groups are added to it by the caller)."""
    rows = (
        Membership.objects.filter(open_on(today), organization__path__startswith=path)
        .annotate(status=status_on(today, "person"))
        .values("organization__path")
        .annotate(
            full=Count("pk", filter=Q(status=Status.FULL)),
            members=Count("pk", filter=Q(status__in=MEMBER_STATUSES)),
        )
    )
    return {row["organization__path"]: (row["full"], row["members"]) for row in rows}


def committee_posts(path: str, today: dt.date) -> dict[int, int]:
    rows = (
        CommitteeSeat.objects.filter(
            open_on(today), organization__path__startswith=path, post__in=COMMITTEE_POSTS
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {row["organization_id"]: row["n"] for row in rows}


def _roll_up(counts: dict, branch_paths: set, steplen: int) -> dict[str, tuple[int, int]]:
    """Add each organisation's counts to the branch it lies in (a branch's members
    include those of its Party groups, whose paths extend the branch's)."""
    totals: dict = {}
    for path, (full, members) in counts.items():
        for end in range(steplen, len(path) + 1, steplen):
            if path[:end] in branch_paths:
                old_full, old_members = totals.get(path[:end], (0, 0))
                totals[path[:end]] = (old_full + full, old_members + members)
    return totals


def _size_findings(org, branches, today) -> list[Finding]:
    if not branches:
        return []
    counts = member_counts(org.path, today)
    posts = committee_posts(org.path, today)
    found = []
    totals = _roll_up(counts, {b.path for b in branches}, org.steplen)
    for branch in branches:
        full, members = totals.get(branch.path, (0, 0))
        here = {"org": branch.code, "path": branch.path}
        if full < org_rules.BRANCH_MIN_FULL_MEMBERS:
            message = f"{branch.name}：正式党员仅 {full} 名，不足 3 名，应与邻近支部联合组建或调整"
            found.append(Finding(kind="branch_too_small", severity=RED, message=message, **here))
        if members > org_rules.BRANCH_MAX_MEMBERS:
            message = f"{branch.name}：党员 {members} 名，超过 50 名，宜分设党支部"
            found.append(Finding(kind="branch_too_large", severity=YELLOW, message=message, **here))
        held = posts.get(branch.pk, 0)
        if org_rules.needs_committee(full) and held < 3:
            message = f"{branch.name}：正式党员 {full} 名，应设立支部委员会，现仅有 {held} 名支委"
            found.append(Finding(kind="committee_missing", severity=RED, message=message, **here))
    return found


# ---- re-election -------------------------------------------------------------------
def _reelection_findings(org, today) -> list[Finding]:
    """The latest term of each living organisation in the subtree. One query."""
    terms = (
        CommitteeTerm.objects.filter(
            alive_on(today, "organization__"), organization__path__startswith=org.path
        )
        .select_related("organization")
        .order_by("organization__path", "-started_on")
    )
    latest: dict = {}
    for term in terms:
        latest.setdefault(term.organization_id, term)
    found = []
    for term in latest.values():
        state = org_rules.reelection_state(term.ends_on, today)
        if state == "ok":
            continue
        unit, ends = term.organization, term.ends_on.isoformat()
        if state == "overdue":
            kind, severity = "reelection_overdue", RED
            message = f"{unit.name}：本届任期已于 {ends} 届满，应尽快换届"
        else:
            kind, severity = "reelection_due", YELLOW
            message = f"{unit.name}：本届任期将于 {ends} 届满，请在 3 个月内做好换届准备"
        found.append(Finding(unit.code, kind, severity, message, ref=ends, path=unit.path))
    return found


# ---- missed meetings ---------------------------------------------------------------
def _meeting_findings(org, today) -> list[Finding]:
    """Kinds whose periods ended by `today` lack a meeting that counts: this year's and
    last year's, so December, the fourth quarter and the yearly kinds (组织生活会, 民主评议)
    are found in January too. A period that ends today is still running, so the check
    stops at yesterday."""
    start, end = dt.date(today.year - 1, 1, 1), today - dt.timedelta(days=1)
    found = []
    for row in compliance(org.path, start, end):
        if not row.missed:
            continue
        unit = row.organization
        label = rules.MeetingKind(row.kind).label
        periods = "、".join(p.label for p in row.missed)
        message = f"{unit.name}：{label}未按规定召开（{periods}）"
        ref = f"{row.kind}-{row.missed[-1].start.isoformat()}"
        found.append(Finding(unit.code, "meetings_missing", RED, message, ref=ref, path=unit.path))
    return found


# ---- six months absent -------------------------------------------------------------
def month_states(path: str, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, str]]:
    """{person: {month: ATTENDED | MISSED}} for current members expected at meetings held
    in the subtree between start and end. One aggregate query (per person and month)."""
    held = (MeetingStatus.HELD, MeetingStatus.FILED)
    rows = (
        Attendance.objects.filter(
            meeting__organization__path__startswith=path,
            meeting__status__in=held,
            meeting__held_on__range=(start, end),
            # one open status period per person, so this join adds no rows
            person__statuses__ended_on__isnull=True,
            person__statuses__status__in=MEMBER_STATUSES,
        )
        .annotate(month=TruncMonth("meeting__held_on"))
        .values("person_id", "month")
        .annotate(
            attended=Count(
                "pk", filter=Q(state__in=(AttendanceState.PRESENT, AttendanceState.LEAVE))
            )
        )
    )
    states: dict = defaultdict(dict)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        states[row["person_id"]][month] = rules.ATTENDED if row["attended"] else rules.MISSED
    return states


def _months(start: dt.date, count: int) -> list[dt.date]:
    return [add_months(start, i) for i in range(count)]


def first_absent_run(by_month: dict, months: list[dt.date]) -> dt.date | None:
    """The first month of the earliest six-month run of MISSED, if any."""
    sequence = [by_month.get(m, rules.NOTHING) for m in months]
    if not rules.absent_six_months(sequence):
        return None
    run = 0
    for i, state in enumerate(sequence):
        run = run + 1 if state == rules.MISSED else 0
        if run == rules.ABSENCE_MONTHS:
            return months[i - run + 1]
    return None


def _absence_findings(org, today) -> list[Finding]:
    first_month = add_months(today.replace(day=1), 1 - ABSENCE_WINDOW_MONTHS)
    months = _months(first_month, ABSENCE_WINDOW_MONTHS)
    runs = {}
    for person_id, by_month in month_states(org.path, first_month, today).items():
        start = first_absent_run(by_month, months)
        if start:
            runs[person_id] = start
    if not runs:
        return []
    people = Person.objects.filter(pk__in=runs).select_related("organization")
    found = []
    for person in people:
        unit, since = person.organization, runs[person.pk]
        message = (
            f"{unit.name} {person.name}：自 {since.year}年{since.month}月起连续 6 个月"
            f"无正当理由不参加党的组织生活"
        )
        ref = f"person-{person.pk}-{since.isoformat()}"
        found.append(
            Finding(unit.code, "member_absent_6_months", RED, message, ref=ref, path=unit.path)
        )
    return found


# ---- development ----------------------------------------------------------------
def _development_findings(org, today) -> list[Finding]:
    people = Person.objects.filter(organization__path__startswith=org.path)
    found = []
    for entry in due_within(people, today, 0):
        due = entry.due
        if not due.overdue(today):
            continue
        person, unit = entry.person, entry.person.organization
        message = (
            f"{unit.name} {person.name}：{due.what}应于 {due.due_on.isoformat()} 前完成，已逾期"
        )
        ref = f"person-{person.pk}-{due.code}-{due.due_on.isoformat()}"
        found.append(
            Finding(unit.code, "development_overdue", RED, message, ref=ref, path=unit.path)
        )
    return found


# ---- dues and tasks -------------------------------------------------------------------
def _dues_findings(org, today) -> list[Finding]:
    """Members three months or more in arrears (RULES.md §1): red at six, when the branch
    must handle the case; yellow from three."""
    found = []
    people = arrears(org.path, today, dues_rules.ARREARS_REMIND_MONTHS).select_related(
        "organization"
    )
    for person in people:
        months, unit = person.arrears_months, person.organization
        severity = RED if months >= dues_rules.ARREARS_HANDLE_MONTHS else YELLOW
        message = f"{unit.name} {person.name}：有 {months} 个月未交纳党费"
        ref = f"person-{person.pk}"
        found.append(Finding(unit.code, "dues_arrears", severity, message, ref=ref, path=unit.path))
    return found


def _task_findings(org, today) -> list[Finding]:
    """Tasks past their deadline and not closed (销号), under the responsible organisation."""
    tasks = overdue_tasks(
        WorkTask.objects.filter(responsible_org__path__startswith=org.path), today
    )
    found = []
    for task in tasks:
        unit = task.responsible_org
        message = f"{unit.name}：任务“{task.title}”应于 {task.due_on.isoformat()} 前完成，尚未销号"
        ref = f"task-{task.pk}-{task.due_on.isoformat()}"
        found.append(Finding(unit.code, "task_overdue", RED, message, ref=ref, path=unit.path))
    return found
