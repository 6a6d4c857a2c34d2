"""Findings about the organisations themselves (RULES.md §3): branch size, the branch
committee, the form a size calls for, re-election."""

import datetime as dt

from django.db.models import Count, Q

from dangjian.decisions.rules import is_president
from dangjian.orgs import rules as org_rules
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    CommitteePost,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrgKind,
)
from dangjian.orgs.queries import alive_on
from dangjian.people.models import MEMBER_STATUSES, Membership, Status
from dangjian.people.queries import open_on, status_on

from .base import RED, YELLOW, Finding


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


LEADING_POSTS = (CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY)


def committee_posts(path: str, today: dt.date) -> dict[int, tuple[int, int]]:
    """{organisation id: (committee posts held, of which committee members other than the
    secretary and deputies)} as of today. One query."""
    rows = (
        CommitteeSeat.objects.filter(
            open_on(today), organization__path__startswith=path, post__in=COMMITTEE_POSTS
        )
        .values("organization_id")
        .annotate(n=Count("pk"), members=Count("pk", filter=~Q(post__in=LEADING_POSTS)))
    )
    return {row["organization_id"]: (row["n"], row["members"]) for row in rows}


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


def size_findings(org, branches, today) -> list[Finding]:
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
        held, members_only = posts.get(branch.pk, (0, 0))
        if org_rules.needs_committee(full) and held < 3:
            message = f"{branch.name}：正式党员 {full} 名，应设立支部委员会，现仅有 {held} 名支委"
            found.append(Finding(kind="committee_missing", severity=RED, message=message, **here))
        problem = org_rules.committee_size_problem(full, held, members_only)
        if problem == "too_large":
            message = (
                f"{branch.name}：支部委员会有 {held} 名委员，超过 7 名（一般 3–5 名，最多 7 名）"
            )
            found.append(Finding(kind="committee_too_large", severity=RED, message=message, **here))
        elif problem == "not_allowed":
            message = (
                f"{branch.name}：正式党员仅 {full} 名，不足 7 名，不设支部委员会"
                f"（设书记 1 名，必要时设副书记 1 名），现有 {members_only} 名支委委员"
            )
            found.append(
                Finding(kind="committee_not_allowed", severity=YELLOW, message=message, **here)
            )
    return found


FORM_LABELS = {"branch": "党支部", "general_branch": "党总支"}


def form_findings(org, today) -> list[Finding]:
    """党总支 and 党委 whose size calls for another form (RULES.md §3): members counted in
    each one's subtree. Two queries."""
    units = list(
        Organization.objects.filter(
            alive_on(today), path__startswith=org.path,
            kind__in=(OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE),
        )
    )  # fmt: skip
    if not units:
        return []
    counts = member_counts(org.path, today)
    found = []
    for unit in units:
        members = sum(n for path, (_, n) in counts.items() if path.startswith(unit.path))
        form = org_rules.form_for_size(unit.kind, members)
        if form is None:
            continue
        if unit.kind == OrgKind.GENERAL_BRANCH:
            message = f"{unit.name}：党员 {members} 名，未超过 50 名，一般设党支部而不设党总支"
        else:
            message = (
                f"{unit.name}：党员 {members} 名，不足 100 名，一般设{FORM_LABELS[form]}"
                "（设立基层党委须经上级党组织批准）"
            )
        found.append(
            Finding(unit.code, "org_form_mismatch", YELLOW, message, ref=form, path=unit.path)
        )
    return found


# ---- re-election -------------------------------------------------------------------
def reelection_findings(org, today) -> list[Finding]:
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
        # An approved extension (延期换届) moves the re-election: the reminder follows it.
        state = org_rules.reelection_state(term.due_on, today)
        if state == "ok":
            continue
        unit, ends = term.organization, term.due_on.isoformat()
        extended = f"经批准延期至 {ends}，" if term.extended_to else ""
        if state == "overdue":
            kind, severity = "reelection_overdue", RED
            ended = "现已逾期" if extended else f"已于 {ends} 届满"
            message = f"{unit.name}：本届任期{extended}{ended}，应尽快换届"
        else:
            kind, severity = "reelection_due", YELLOW
            ending = "" if extended else f"将于 {ends} 届满，"
            message = f"{unit.name}：本届任期{extended}{ending}请在 3 个月内做好换届准备"
        found.append(Finding(unit.code, kind, severity, message, ref=ends, path=unit.path))
    return found


# ---- the two leading posts ---------------------------------------------------------------
def leadership_findings(org, today) -> list[Finding]:
    """Hospital Party committees whose secretary is also the president (RULES.md §5: in
    second-level-and-above hospitals the two posts are held by different people). One
    query."""
    seats = CommitteeSeat.objects.filter(
        open_on(today), alive_on(today, "organization__"), post=CommitteePost.SECRETARY,
        organization__kind=OrgKind.COMMITTEE, organization__path__startswith=org.path,
    ).select_related("organization", "person")  # fmt: skip
    found = []
    for seat in seats:
        if not is_president(seat.person.admin_title):
            continue
        unit = seat.organization
        message = (
            f"{unit.name}：党委书记 {seat.person.name} 同时担任院长（行政职务：{seat.person.admin_title}），"
            "实行党委领导下的院长负责制的医院，党委书记和院长应分设"
        )
        found.append(
            Finding(unit.code, "secretary_is_president", RED, message,
                    ref=f"person-{seat.person_id}", path=unit.path)
        )  # fmt: skip
    return found
