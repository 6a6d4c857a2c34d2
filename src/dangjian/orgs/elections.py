"""Elections (换届选举) and term extensions (延期换届), RULES.md §3 after
《中国共产党基层组织选举工作条例》(2020).

`plan_election` checks an election and says what it would do, without writing: the
confirmation page shows it and `hold_election` refuses on any of its problems, so both
apply one set of rules. An election closes the old committee's seats on the day it is
held, opens the new term and seats the elected; nothing is deleted."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_years
from dangjian.people.models import Person

from . import rules
from .committees import appoint, eligible_people, end_seat
from .models import (
    COMMITTEE_POSTS,
    CommitteePost,
    CommitteeSeat,
    CommitteeTerm,
    Election,
    ElectionCandidate,
    Organization,
    OrgKind,
)
from .services import OrgError


@dataclass(frozen=True)
class Check:
    """One rule the election meets or misses, as the confirmation page lists it."""

    label: str
    ok: bool


@dataclass(frozen=True)
class Result:
    person: Person
    post: str
    votes: int
    elected: bool

    @property
    def post_label(self) -> str:
        return CommitteePost(self.post).label if self.post in CommitteePost.values else ""


@dataclass
class ElectionPlan:
    """What an election would do, and why it may not."""

    org: Organization
    held_on: dt.date
    term_years: int
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    leaving: list[CommitteeSeat] = field(default_factory=list)
    votes_needed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def elected(self) -> list[Result]:
        return [r for r in self.results if r.elected]

    @property
    def term_ends_on(self) -> dt.date | None:
        if not rules.term_years_allowed(self.term_years):
            return None
        return rules.term_ends_on(self.held_on, self.term_years)


def _meeting_checks(plan, entitled, present, issued, returned) -> None:
    """The figures of the meeting: electors present and ballots."""
    if entitled < 1:
        plan.problems.append("应到会有选举权的党员人数须大于 0")
        return
    if present > entitled:
        plan.problems.append(f"实到会人数 {present} 多于应到会人数 {entitled}")
    needed = rules.election_quorum_needed(entitled)
    quorum = rules.election_quorum_met(entitled, present)
    label = (
        f"应到会有选举权的党员 {entitled} 人，实到 {present} 人，须超过五分之四（至少 {needed} 人）"
    )
    plan.checks.append(Check(label, quorum and present <= entitled))
    if not quorum:
        plan.problems.append(
            f"实到会有选举权的党员 {present} 人，未超过应到会 {entitled} 人的五分之四"
            f"（至少须 {needed} 人），不能进行选举"
        )
    if issued > present:
        plan.problems.append(f"发出选票 {issued} 张，多于实到会有选举权的党员 {present} 人")
    ballots = rules.ballots_valid(issued, returned)
    plan.checks.append(
        Check(f"发出选票 {issued} 张，收回 {returned} 张，收回不得多于发出", ballots)
    )
    if not ballots:
        plan.problems.append(f"收回选票 {returned} 张，多于发出选票 {issued} 张，选举无效")


def _term_checks(plan, current: CommitteeTerm | None) -> None:
    org, held_on = plan.org, plan.held_on
    if org.dissolved_on is not None:
        plan.problems.append(f"{org.name}已撤销，不能换届")
    if org.kind == OrgKind.GROUP:
        plan.problems.append("党小组不设委员会，不进行换届选举")
    if held_on > timezone.localdate():
        plan.problems.append("选举日期不能晚于今天")
    if current is not None and held_on <= current.started_on:
        plan.problems.append(f"选举日期须晚于本届任期开始日期 {current.started_on.isoformat()}")
    if plan.term_ends_on is None:
        plan.problems.append(f"任期须为 3 至 5 年，填写的是 {plan.term_years} 年")
    for seat in plan.leaving:
        if seat.started_on > held_on:
            plan.problems.append(
                f"现任{seat.get_post_display()} {seat.person.name} 的任职日期 "
                f"{seat.started_on.isoformat()} 晚于选举日期，请先核对"
            )


def _candidate_checks(plan, candidates, entitled: int, returned: int) -> None:
    if not candidates:
        plan.problems.append("请至少填写一名候选人")
        return
    ids = [person.pk for person, _post, _votes in candidates]
    eligible = set(eligible_people(plan.org).filter(pk__in=ids).values_list("pk", flat=True))
    seen = set()
    for person, post, votes in candidates:
        if person.pk in seen:
            plan.problems.append(f"{person.name} 重复列为候选人")
        seen.add(person.pk)
        if person.pk not in eligible:
            plan.problems.append(
                f"{person.name} 不是{plan.org.name}（含下级组织）的正式党员，不能作为候选人"
            )
        if post not in COMMITTEE_POSTS:
            plan.problems.append(f"请为 {person.name} 选择党内职务")
        if votes < 0 or votes > returned:
            plan.problems.append(
                f"{person.name} 得票 {votes} 票，应在 0 至收回选票 {returned} 张之间"
            )
        plan.results.append(Result(person, post, votes, rules.is_elected(votes, entitled)))
    secretaries = [r.person.name for r in plan.elected if r.post == CommitteePost.SECRETARY]
    if len(secretaries) > 1:
        plan.problems.append(
            f"当选书记的有 {len(secretaries)} 人（{'、'.join(secretaries)}），书记只能一名"
        )
    if entitled > 0 and not plan.elected:
        plan.problems.append(
            f"没有候选人得票超过应到会有选举权党员的半数（至少 {plan.votes_needed} 票），无人当选"
        )


def current_term(org: Organization) -> CommitteeTerm | None:
    """The organisation's latest term: the one an election ends or an extension moves."""
    return org.terms.first()


def plan_election(
    org: Organization,
    held_on: dt.date,
    entitled: int,
    present: int,
    ballots_issued: int,
    ballots_returned: int,
    term_years: int,
    candidates: list[tuple[Person, str, int]],
) -> ElectionPlan:
    """Check an election against RULES.md §3 and say who it would elect; writes nothing."""
    plan = ElectionPlan(org, held_on, term_years, votes_needed=rules.votes_needed(entitled))
    plan.leaving = list(
        CommitteeSeat.objects.filter(
            organization=org, ended_on__isnull=True, post__in=COMMITTEE_POSTS
        ).select_related("person")
    )
    _meeting_checks(plan, entitled, present, ballots_issued, ballots_returned)
    _term_checks(plan, current_term(org))
    _candidate_checks(plan, candidates, entitled, ballots_returned)
    if entitled > 0:
        label = (
            f"当选须得票超过应到会有选举权党员的半数，即至少 {plan.votes_needed} 票；"
            f"当选 {len(plan.elected)} 人"
        )
        plan.checks.append(Check(label, bool(plan.elected)))
    return plan


@transaction.atomic
def hold_election(
    org: Organization,
    held_on: dt.date,
    entitled: int,
    present: int,
    ballots_issued: int,
    ballots_returned: int,
    term_years: int,
    candidates: list[tuple[Person, str, int]],
    *,
    note: str = "",
    by=None,
) -> Election:
    """Record an election (换届选举): the old committee leaves on `held_on`, a term of
    `term_years` starts that day and the elected take their posts; the unelected are
    kept with their votes. Refused, with nothing written, when the rules are not met."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    plan = plan_election(
        org, held_on, entitled, present, ballots_issued, ballots_returned, term_years, candidates
    )
    if not plan.ok:
        raise OrgError("；".join(plan.problems))
    for seat in plan.leaving:
        end_seat(seat, held_on, by=by)
    term = CommitteeTerm.objects.create(
        organization=org, started_on=held_on, ends_on=plan.term_ends_on
    )
    election = Election.objects.create(
        organization=org, term=term, held_on=held_on, entitled=entitled, present=present,
        ballots_issued=ballots_issued, ballots_returned=ballots_returned,
        term_years=term_years, note=note.strip(), recorded_by=by if getattr(by, "pk", None) else None,
    )  # fmt: skip
    ElectionCandidate.objects.bulk_create(
        ElectionCandidate(election=election, person=r.person, post=r.post, votes_for=r.votes,
                          elected=r.elected)
        for r in plan.results
    )  # fmt: skip
    for result in plan.elected:
        appoint(org, result.person, result.post, held_on, by=by)
    audit.record(
        "org.election",
        actor=by,
        obj=election,
        org_path=org.path,
        summary={
            "org": org.code, "on": held_on, "entitled": entitled, "present": present,
            "issued": ballots_issued, "returned": ballots_returned, "term_years": term_years,
            "elected": [[r.person.pk, r.post, r.votes] for r in plan.elected],
            "not_elected": [[r.person.pk, r.post, r.votes] for r in plan.results if not r.elected],
        },
    )  # fmt: skip
    return election


@transaction.atomic
def extend_term(term: CommitteeTerm, until: dt.date, approval: str, *, by=None) -> CommitteeTerm:
    """Extend a term (延期换届) with its approval: the re-election moves to `until`, at most
    one year past the term's end (基层组织选举工作条例 2020)."""
    term = CommitteeTerm.objects.select_for_update().select_related("organization").get(pk=term.pk)
    approval = (approval or "").strip()
    if not approval:
        raise OrgError("请填写延期的批准文件（批准机关及文号）")
    latest = current_term(term.organization)
    if latest is None or latest.pk != term.pk:
        raise OrgError("只能延期本届任期")
    if not rules.extension_allowed(term.ends_on, until):
        latest_day = add_years(term.ends_on, rules.TERM_EXTENSION_MAX_YEARS)
        raise OrgError(
            f"延期须晚于届满日期 {term.ends_on.isoformat()}，且一般不超过一年"
            f"（最晚 {latest_day.isoformat()}）"
        )
    before = term.extended_to
    term.extended_to, term.extension_approval = until, approval
    term.save(update_fields=["extended_to", "extension_approval"])
    org = term.organization
    audit.record(
        "org.term_extend",
        actor=by,
        obj=org,
        org_path=org.path,
        summary={"term": term.pk, "ends_on": term.ends_on, "from": before, "to": until,
                 "approval": approval},
    )  # fmt: skip
    return term


def revocable_election(org: Organization) -> Election | None:
    """The election that may be revoked as recorded in error: the organisation's latest,
    while the term it opened is still the current one."""
    latest = org.elections.filter(revoked_on__isnull=True).order_by("-held_on", "-pk").first()
    term = current_term(org) if latest is not None else None
    return latest if term is not None and term.pk == latest.term_id else None


@transaction.atomic
def revoke_election(election: Election, *, reason: str, by=None) -> Election:
    """Undo an election recorded in error (撤销误录) by a reverse change: the seats it
    opened close on the day they began (so they never took effect), the committee it
    replaced sits again from that day, and its term is voided, so the election can be
    recorded again, correctly, for the same day. The election stays on record, revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise OrgError("请填写撤销原因")
    org = Organization.objects.select_for_update().get(pk=election.organization_id)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if revocable_election(org) != election:
        raise OrgError("只能撤销本组织最近一次、其届次仍在任的换届选举")
    day = election.held_on
    elected = election.candidates.filter(elected=True).values("person")
    opened = CommitteeSeat.objects.filter(
        organization=org, started_on=day, ended_on__isnull=True, person__in=elected
    )
    replaced = list(
        CommitteeSeat.objects.filter(
            organization=org, ended_on=day, started_on__lt=day, post__in=COMMITTEE_POSTS
        )
    )
    opened.update(ended_on=day)
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(organization=org, person_id=seat.person_id, post=seat.post, started_on=day)
        for seat in replaced
    )
    CommitteeTerm.with_voided.filter(pk=election.term_id).update(voided=True)
    election.revoked_on, election.revoke_reason = timezone.localdate(), reason[:200]
    election.save(update_fields=["revoked_on", "revoke_reason"])
    audit.record(
        "org.election_revoke", actor=by, obj=election, org_path=org.path,
        summary={"org": org.code, "held_on": day, "reason": reason[:200],
                 "restored": [[s.person_id, s.post] for s in replaced]},
    )  # fmt: skip
    return election
