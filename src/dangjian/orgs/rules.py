"""Organisation rules of RULES.md §3 (支部工作条例 2018, 党章 2022)."""

import datetime as dt

from dangjian.core.dates import add_months, add_years

DEFAULT_TERM_YEARS = 3  # hospital branches generally serve 3 years (configurable per org)
TERM_YEARS_ALLOWED = range(3, 6)  # 党章 第三十一条: 3–5 years
REELECTION_WARNING_MONTHS = 3  # warn 3 months before the re-election is due
BRANCH_MIN_FULL_MEMBERS = 3  # a branch needs 3 or more full members
BRANCH_MAX_MEMBERS = 50  # a branch generally has at most 50 members
COMMITTEE_MIN_FULL_MEMBERS = 7  # 7 or more full members → a branch committee of 3–5
COMMITTEE_MAX_MEMBERS = 7  # a branch committee has 3–5 members, at most 7
GENERAL_BRANCH_MIN_MEMBERS = 51  # a general branch (党总支) may be set up above 50 members
PARTY_COMMITTEE_MIN_MEMBERS = 100  # a grassroots committee (基层党委) at 100 or more


def term_ends_on(started_on: dt.date, term_years: int = DEFAULT_TERM_YEARS) -> dt.date:
    return add_years(started_on, term_years)


def reelection_state(ends_on: dt.date, today: dt.date) -> str:
    """'overdue' after the term's end, 'due' within 3 months of it, else 'ok'."""
    if ends_on < today:
        return "overdue"
    if ends_on <= add_months(today, REELECTION_WARNING_MONTHS):
        return "due"
    return "ok"


def needs_committee(full_members: int) -> bool:
    """A branch with 7 or more full members elects a committee; below, a secretary."""
    return full_members >= COMMITTEE_MIN_FULL_MEMBERS


def committee_size_problem(full_members: int, posts: int, member_posts: int) -> str | None:
    """'too_large' above 7 committee posts held; 'not_allowed' when a branch under 7 full
    members has committee members (`member_posts`: posts other than secretary and
    deputy), for it has one secretary and, if needed, one deputy; else None."""
    if posts > COMMITTEE_MAX_MEMBERS:
        return "too_large"
    if member_posts and not needs_committee(full_members):
        return "not_allowed"
    return None


def form_for_size(kind: str, members: int) -> str | None:
    """The form a 党总支 or 党委 of this many members calls for, when it is not its own:
    a general branch at 50 members or fewer is generally a branch; a grassroots committee
    under 100 members a general branch (or a branch). None when the form fits."""
    if kind == "general_branch" and members < GENERAL_BRANCH_MIN_MEMBERS:
        return "branch"
    if kind == "committee" and members < PARTY_COMMITTEE_MIN_MEMBERS:
        return "general_branch" if members >= GENERAL_BRANCH_MIN_MEMBERS else "branch"
    return None


# ---- elections (《中国共产党基层组织选举工作条例》2020, RULES.md §3) ----------------------
# More than 4/5 of the members entitled to vote must be present; exactly 4/5 is not enough.
ELECTION_QUORUM = (4, 5)
TERM_EXTENSION_MAX_YEARS = 1  # an extension is generally limited to one year


def election_quorum_met(entitled: int, present: int) -> bool:
    """More than four fifths of those entitled to vote are present."""
    num, den = ELECTION_QUORUM
    return entitled > 0 and present * den > entitled * num


def election_quorum_needed(entitled: int) -> int:
    """The fewest present that make a quorum: the least whole number above 4/5."""
    num, den = ELECTION_QUORUM
    return entitled * num // den + 1


def ballots_valid(issued: int, returned: int) -> bool:
    """Ballots returned may not exceed ballots issued; otherwise the vote is void."""
    return 0 <= returned <= issued


def is_elected(votes_for: int, entitled: int) -> bool:
    """A candidate is elected with votes from more than half of those entitled to vote
    (应到会有选举权的党员), not of those present; an exact half does not win."""
    return entitled > 0 and votes_for * 2 > entitled


def votes_needed(entitled: int) -> int:
    """The fewest votes that elect: the least whole number above half."""
    return entitled // 2 + 1


def term_years_allowed(years: int) -> bool:
    """党章 第三十一条: a committee serves 3 to 5 years."""
    return years in TERM_YEARS_ALLOWED


def extension_allowed(ends_on: dt.date, until: dt.date) -> bool:
    """An extension moves the re-election past the term's end by at most one year."""
    return ends_on < until <= add_years(ends_on, TERM_EXTENSION_MAX_YEARS)


JOINT_BRANCH_MIN_UNITS = 2  # a joint branch (联合党支部) spans two units or more
JOINT_BRANCH_MAX_UNITS = 5  # and covers at most 5 units (RULES.md §3)

# The kinds an organisation of each kind may have directly below it.
CHILD_KINDS = {
    "guidance_committee": ("committee",),
    "committee": ("general_branch", "branch"),
    "general_branch": ("branch",),
    "branch": ("group",),
    "group": (),
}


def joint_units_problem(units: int) -> str | None:
    """'too_few' for a single department (a joint branch spans two or more), 'too_many'
    above five; None for none (an ordinary branch) or two to five."""
    if units == 0:
        return None
    if units < JOINT_BRANCH_MIN_UNITS:
        return "too_few"
    if units > JOINT_BRANCH_MAX_UNITS:
        return "too_many"
    return None


def new_branch_problem(full_members: int, members: int) -> str | None:
    """What a branch of this size departs from, as a warning, not a refusal (the higher
    committee may approve it): 'too_few_full' under 3 full members, 'too_large' above 50
    members; else None."""
    if full_members < BRANCH_MIN_FULL_MEMBERS:
        return "too_few_full"
    if members > BRANCH_MAX_MEMBERS:
        return "too_large"
    return None
