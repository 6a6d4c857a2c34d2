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
