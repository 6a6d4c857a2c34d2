"""Dates for the demo. Everything "recent" is placed relative to the day the demo is
loaded, so that terms are current, a few re-elections are due and the development
figures fall inside the periods `figures.demo_periods` names, whatever the date."""

import datetime as dt
import random
from dataclasses import dataclass

from dangjian.core.dates import add_months, add_years

__all__ = ["add_months", "add_years"]  # re-exported for the demo modules


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end] (both inclusive)."""
    if end < start:
        raise ValueError(f"empty date range {start} – {end}")
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass(frozen=True)
class Pipeline:
    """The dates of RULES.md §4 a roster carries: 申请入党 → 确定积极分子 → 确定发展对象
    → 入党 (probationary) → 转正 (full)."""

    applied_on: dt.date | None = None
    activist_on: dt.date | None = None
    candidate_on: dt.date | None = None
    admitted_on: dt.date | None = None
    full_on: dt.date | None = None


# RULES.md §4: at least one year as an activist before becoming a candidate; probation is
# one year. The other gaps are the usual ones (no statutory minimum).
APPLY_TO_ACTIVIST = (60, 240)
ACTIVIST_TO_CANDIDATE = (380, 560)
CANDIDATE_TO_ADMISSION = (90, 240)


def backwards_from_admission(rng: random.Random, admitted_on: dt.date, today: dt.date) -> Pipeline:
    """A member's whole history ending with admission on `admitted_on`; full membership
    one year later if that day has passed."""
    candidate_on = admitted_on - dt.timedelta(days=rng.randint(*CANDIDATE_TO_ADMISSION))
    activist_on = candidate_on - dt.timedelta(days=rng.randint(*ACTIVIST_TO_CANDIDATE))
    applied_on = activist_on - dt.timedelta(days=rng.randint(*APPLY_TO_ACTIVIST))
    full_on = add_years(admitted_on, 1)
    return Pipeline(
        applied_on, activist_on, candidate_on, admitted_on, full_on if full_on <= today else None
    )


def forwards_from_application(
    rng: random.Random,
    applied_on: dt.date,
    stage: str,
    today: dt.date,
    *,
    activist_gap: tuple[int, int] = APPLY_TO_ACTIVIST,
    candidate_gap: tuple[int, int] = ACTIVIST_TO_CANDIDATE,
) -> Pipeline:
    """A non-member's history up to `stage` (applicant / activist / candidate), starting
    with the application on `applied_on`; every step lies on or before `today`."""
    if stage == "applicant":
        return Pipeline(applied_on)
    activist_on = applied_on + dt.timedelta(days=rng.randint(*activist_gap))
    if activist_on > today:
        raise ValueError(f"activist date {activist_on} after {today}")
    if stage == "activist":
        return Pipeline(applied_on, activist_on)
    if candidate_gap[0] < 365:
        raise ValueError("RULES.md §4: at least one year as an activist")
    candidate_on = activist_on + dt.timedelta(days=rng.randint(*candidate_gap))
    if candidate_on > today:
        raise ValueError(f"candidate date {candidate_on} after {today}")
    return Pipeline(applied_on, activist_on, candidate_on)


def spread(rng: random.Random, total: int, n: int, low: int, high: int) -> list[int]:
    """`n` sizes in [low, high] adding up to `total`."""
    if not low * n <= total <= high * n:
        raise ValueError(f"cannot spread {total} over {n} in [{low}, {high}]")
    sizes = [low] * n
    for _ in range(total - low * n):
        sizes[rng.choice([i for i, s in enumerate(sizes) if s < high])] += 1
    return sizes


class Terms:
    """本届开始日期 for 3-year terms (RULES.md §3): current, due soon, or overdue."""

    YEARS = 3

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today = rng, today

    def current(self, founded_on: dt.date) -> dt.date:
        """Started 1–30 months ago (not before the organisation was founded)."""
        latest = add_months(self.today, -1)
        return between(self.rng, max(founded_on, add_months(self.today, -30)), latest)

    def due_in(self, days: int) -> dt.date:
        """The term ends `days` from today: a re-election due within 3 months."""
        return add_years(self.today, -self.YEARS) + dt.timedelta(days=days)

    def overdue_by(self, days: int) -> dt.date:
        return add_years(self.today, -self.YEARS) - dt.timedelta(days=days)
