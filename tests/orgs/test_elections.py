"""Elections (换届选举) and term extensions (orgs.elections, issue 16): the old committee
leaves, a new term starts and the elected take their seats; every refusal leaves
everything as it was; the re-election reminder follows the term and its extension."""

import datetime as dt

import pytest

from dangjian.compliance.findings import findings
from dangjian.core.models import AuditEntry
from dangjian.orgs.elections import (
    extend_term,
    hold_election,
    plan_election,
    revocable_election,
    revoke_election,
)
from dangjian.orgs.models import (
    CommitteePost,
    CommitteeSeat,
    CommitteeTerm,
    Election,
    ElectionCandidate,
)
from dangjian.orgs.services import OrgError
from dangjian.people.models import Status
from tests.factories import add_seat, add_term, make_member, make_user

pytestmark = pytest.mark.django_db
D = dt.date
P = CommitteePost
HELD = D(2025, 6, 1)


@pytest.fixture
def hospital(world):
    """HA with a term about to be replaced, its secretary and a member sitting, and four
    full members of its branches standing."""
    add_term(world.ha, D(2022, 1, 10))
    old_secretary = make_member(world.ha_b1, name="旧书记")
    kept = make_member(world.ha_b2, name="连任委员")
    add_seat(world.ha, old_secretary, P.SECRETARY, D(2022, 1, 10))
    add_seat(world.ha, kept, P.MEMBER, D(2022, 1, 10))
    people = {
        "secretary": make_member(world.ha_b1, name="新书记"),
        "deputy": make_member(world.ha_b2, name="新副书记"),
        "kept": kept,
        "loser": make_member(world.ha_b1, name="落选者"),
        "old": old_secretary,
    }
    return world.ha, people


def candidates(people, loser_votes=5):
    return [
        (people["secretary"], P.SECRETARY, 9),
        (people["deputy"], P.DEPUTY_SECRETARY, 8),
        (people["kept"], P.MEMBER, 6),
        (people["loser"], P.MEMBER, loser_votes),  # exactly half of 10: not elected
    ]


def hold(org, people, **change):
    figures = {
        "held_on": HELD, "entitled": 10, "present": 9, "ballots_issued": 9,
        "ballots_returned": 9, "term_years": 3, "candidates": candidates(people),
    }  # fmt: skip
    figures.update(change)
    return hold_election(org, **figures, by=None)


def test_an_election_replaces_the_committee_and_opens_a_new_term(hospital):
    org, people = hospital
    office = make_user("office-e", "office", org)
    election = hold_election(
        org, HELD, 10, 9, 9, 9, 3, candidates(people), note="党员大会", by=office
    )

    term = CommitteeTerm.objects.get(organization=org, started_on=HELD)
    assert term.ends_on == D(2028, 6, 1) and election.term == term
    assert CommitteeTerm.objects.get(organization=org, started_on=D(2022, 1, 10)).ends_on == D(
        2025, 1, 10
    )  # the old term is kept as it was
    open_seats = {
        (s.person.name, s.post, s.started_on)
        for s in CommitteeSeat.objects.filter(organization=org, ended_on__isnull=True)
    }
    assert open_seats == {
        ("新书记", P.SECRETARY, HELD),
        ("新副书记", P.DEPUTY_SECRETARY, HELD),
        ("连任委员", P.MEMBER, HELD),
    }
    ended = CommitteeSeat.objects.filter(organization=org, ended_on=HELD)
    assert {s.person.name for s in ended} == {"旧书记", "连任委员"}
    assert not CommitteeSeat.objects.filter(person=people["loser"]).exists()

    rows = ElectionCandidate.objects.filter(election=election).order_by("-votes_for")
    assert [(r.person.name, r.votes_for, r.elected) for r in rows] == [
        ("新书记", 9, True),
        ("新副书记", 8, True),
        ("连任委员", 6, True),
        ("落选者", 5, False),
    ]
    assert (election.entitled, election.present, election.ballots_returned) == (10, 9, 9)
    assert election.recorded_by == office and election.note == "党员大会"
    entry = AuditEntry.objects.get(action="org.election")
    assert entry.actor == office and entry.org_path == org.path
    assert entry.summary["not_elected"] == [[people["loser"].pk, P.MEMBER, 5]]


def test_the_term_length_is_the_elections(hospital):
    org, people = hospital
    election = hold(org, people, term_years=5)
    assert election.term.ends_on == D(2030, 6, 1)


def test_a_first_election_needs_no_previous_term(world):
    branch = world.ha_b1
    people = [make_member(branch) for _ in range(3)]
    posts = [P.SECRETARY, P.ORGANIZATION, P.PUBLICITY]
    rows = [(p, post, 7) for p, post in zip(people, posts, strict=True)]
    hold_election(branch, HELD, 7, 7, 7, 7, 3, rows)
    assert CommitteeSeat.objects.filter(organization=branch, ended_on__isnull=True).count() == 3
    assert CommitteeTerm.objects.get(organization=branch).started_on == HELD


def test_a_plan_says_who_would_be_elected_and_writes_nothing(hospital):
    org, people = hospital
    plan = plan_election(org, HELD, 10, 9, 9, 9, 3, candidates(people))
    assert plan.ok and plan.votes_needed == 6
    assert [r.person.name for r in plan.elected] == ["新书记", "新副书记", "连任委员"]
    assert {s.person.name for s in plan.leaving} == {"旧书记", "连任委员"}
    assert all(check.ok for check in plan.checks) and len(plan.checks) == 3
    assert plan.term_ends_on == D(2028, 6, 1)
    assert not Election.objects.exists()


REFUSALS = [
    ("quorum_exactly_four_fifths", {"present": 8, "ballots_issued": 8, "ballots_returned": 8},
     "未超过应到会 10 人的五分之四"),
    ("more_present_than_entitled", {"present": 11}, "多于应到会人数"),
    ("returned_over_issued", {"ballots_returned": 10, "ballots_issued": 9}, "选举无效"),
    ("issued_over_present", {"ballots_issued": 10}, "多于实到会"),
    ("term_too_short", {"term_years": 2}, "任期须为 3 至 5 年"),
    ("term_too_long", {"term_years": 6}, "任期须为 3 至 5 年"),
    ("future", {"held_on": D(2099, 1, 1)}, "不能晚于今天"),
    ("before_the_term", {"held_on": D(2022, 1, 10)}, "须晚于本届任期开始日期"),
    ("nobody_entitled", {"entitled": 0, "present": 0}, "须大于 0"),
    ("no_candidates", {"candidates": []}, "至少填写一名候选人"),
    ("probationary", None, "不是HA医院党委（含下级组织）的正式党员"),
    ("other_hospital", None, "不是HA医院党委（含下级组织）的正式党员"),
    ("two_secretaries", None, "书记只能一名"),
    ("nobody_elected", None, "无人当选"),
    ("twice", None, "重复列为候选人"),
    ("votes_over_returned", None, "应在 0 至收回选票 9 张之间"),
    ("no_post", None, "选择党内职务"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_election_changes_nothing(world, hospital, case, change, message):
    org, people = hospital
    change = dict(change or {})
    rows = candidates(people)
    if case == "probationary":
        rows.append((make_member(world.ha_b1, status=Status.PROBATIONARY), P.MEMBER, 7))
    elif case == "other_hospital":
        rows.append((make_member(world.hb_b1), P.MEMBER, 7))
    elif case == "two_secretaries":
        rows[1] = (people["deputy"], P.SECRETARY, 8)
    elif case == "nobody_elected":
        rows = [(person, post, 5) for person, post, _votes in rows]
    elif case == "twice":
        rows.append((people["secretary"], P.MEMBER, 7))
    elif case == "votes_over_returned":
        rows[0] = (people["secretary"], P.SECRETARY, 10)
    elif case == "no_post":
        rows[2] = (people["kept"], "", 6)
    change.setdefault("candidates", rows)
    seats = list(CommitteeSeat.objects.values_list("pk", "ended_on"))
    audits = AuditEntry.objects.count()
    with pytest.raises(OrgError, match=message):
        hold(org, people, **change)
    assert list(CommitteeSeat.objects.values_list("pk", "ended_on")) == seats
    assert CommitteeTerm.objects.filter(organization=org).count() == 1
    assert not Election.objects.exists() and not ElectionCandidate.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_a_sitting_member_appointed_after_the_election_day_is_named(hospital):
    org, people = hospital
    late = make_member(org, name="后任委员")
    add_seat(org, late, P.MEMBER, D(2025, 7, 1))
    with pytest.raises(OrgError, match="后任委员 的任职日期 2025-07-01 晚于选举日期"):
        hold(org, people)
    assert not Election.objects.exists()


def test_an_election_at_exactly_the_quorum_plus_one(hospital):
    org, people = hospital
    # 81 present of 100 entitled: more than four fifths; 51 votes elect, 50 do not.
    rows = [(people["secretary"], P.SECRETARY, 51), (people["deputy"], P.DEPUTY_SECRETARY, 50)]
    election = hold(
        org, people, entitled=100, present=81, ballots_issued=81, ballots_returned=80,
        candidates=rows,
    )  # fmt: skip
    assert [c.elected for c in election.candidates.order_by("-votes_for")] == [True, False]


# ---- extension --------------------------------------------------------------------------
def test_a_term_is_extended_with_its_approval(hospital):
    org, _people = hospital
    term = org.terms.get()
    office = make_user("office-x", "office", org)
    extend_term(term, D(2025, 12, 31), " 市卫健委党委 〔2024〕12号 ", by=office)
    term.refresh_from_db()
    assert term.extended_to == D(2025, 12, 31) and term.due_on == D(2025, 12, 31)
    assert term.extension_approval == "市卫健委党委 〔2024〕12号"
    assert term.ends_on == D(2025, 1, 10)  # the statutory end is kept
    entry = AuditEntry.objects.get(action="org.term_extend")
    assert entry.actor == office and entry.summary["to"] == "2025-12-31"


@pytest.mark.parametrize(
    ("until", "approval", "message"),
    [
        (D(2026, 1, 11), "批复", "一般不超过一年（最晚 2026-01-10）"),
        (D(2025, 1, 10), "批复", "须晚于届满日期 2025-01-10"),
        (D(2025, 6, 30), "  ", "批准文件"),
    ],
)
def test_an_extension_beyond_a_year_or_without_approval_is_refused(
    hospital, until, approval, message
):
    org, _people = hospital
    term = org.terms.get()
    with pytest.raises(OrgError, match=message):
        extend_term(term, until, approval)
    term.refresh_from_db()
    assert term.extended_to is None and term.extension_approval == ""
    assert not AuditEntry.objects.filter(action="org.term_extend").exists()


def test_only_the_current_term_is_extended(hospital):
    org, people = hospital
    old = org.terms.get()
    hold(org, people)
    with pytest.raises(OrgError, match="只能延期本届任期"):
        extend_term(old, D(2025, 6, 30), "批复")


def test_exactly_one_year_is_allowed(hospital):
    org, _people = hospital
    term = extend_term(org.terms.get(), D(2026, 1, 10), "批复")
    assert term.due_on == D(2026, 1, 10)


# ---- the reminder follows the term --------------------------------------------------------
def reelection(org, today):
    return [
        (f["kind"], f["message"])
        for f in findings(org, today)
        if f["org"] == org.code and f["kind"].startswith("reelection")
    ]


def test_the_reelection_reminder_follows_an_extension(hospital):
    org, _people = hospital  # the term ended on 2025-01-10
    assert reelection(org, D(2025, 3, 1))[0][0] == "reelection_overdue"
    extend_term(org.terms.get(), D(2025, 12, 31), "批复")
    assert reelection(org, D(2025, 3, 1)) == []
    kind, message = reelection(org, D(2025, 10, 1))[0]
    assert kind == "reelection_due" and "经批准延期至 2025-12-31" in message
    kind, message = reelection(org, D(2026, 1, 1))[0]
    assert kind == "reelection_overdue" and "现已逾期" in message


def test_after_an_election_the_reminder_follows_the_new_term(hospital):
    org, people = hospital
    assert reelection(org, D(2025, 7, 1))[0][0] == "reelection_overdue"
    hold(org, people)
    assert reelection(org, D(2025, 7, 1)) == []
    assert reelection(org, D(2028, 4, 1))[0][0] == "reelection_due"


def _open_committee(org) -> set:
    return {
        (s.person.name, s.post, s.started_on)
        for s in CommitteeSeat.objects.filter(organization=org, ended_on__isnull=True)
    }


def test_an_election_recorded_in_error_is_revoked_by_a_reverse_change(hospital):
    org, people = hospital
    election = hold(org, people)
    with pytest.raises(OrgError, match="撤销原因"):
        revoke_election(election, reason=" ")
    revoke_election(election, reason="票数录错")
    # the old committee sits again from the election day; the elected seats never took effect
    assert _open_committee(org) == {("旧书记", P.SECRETARY, HELD), ("连任委员", P.MEMBER, HELD)}
    assert not CommitteeSeat.objects.filter(
        organization=org, person=people["secretary"], ended_on__isnull=True
    ).exists()
    election.refresh_from_db()
    assert election.revoked_on is not None and election.revoke_reason == "票数录错"
    assert CommitteeTerm.with_voided.get(pk=election.term_id).voided  # kept, voided
    assert org.terms.first().started_on == D(2022, 1, 10)  # the term before is current again
    assert revocable_election(org) is None
    assert AuditEntry.objects.filter(action="org.election_revoke").exists()
    corrected = hold(org, people, candidates=candidates(people, loser_votes=6))  # same day
    assert ElectionCandidate.objects.get(election=corrected, person=people["loser"]).elected


def test_only_the_latest_election_whose_term_is_current_is_revoked(hospital):
    org, people = hospital
    first = hold(org, people)
    second = hold(org, people, held_on=D(2026, 6, 1))
    with pytest.raises(OrgError, match="最近一次"):
        revoke_election(first, reason="误录")
    revoke_election(second, reason="误录")
    assert Election.objects.get(pk=first.pk).revoked_on is None
