"""Organisation rules of RULES.md §3 (支部工作条例 2018, 党章 2022)."""

import datetime as dt

from dangjian.core.dates import add_months, add_years

DEFAULT_TERM_YEARS = 3  # hospital branches generally serve 3 years (configurable per org)
TERM_YEARS_ALLOWED = range(3, 6)  # 党章 第三十一条: 3–5 years
REELECTION_WARNING_MONTHS = 3  # warn 3 months before the re-election is due
BRANCH_MIN_FULL_MEMBERS = 3  # a branch needs 3 or more full members
BRANCH_MAX_MEMBERS = 50  # a branch generally has at most 50 members
COMMITTEE_MIN_FULL_MEMBERS = 7  # 7 or more full members → a branch committee of 3–5


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
