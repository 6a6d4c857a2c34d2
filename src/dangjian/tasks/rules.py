"""The rules of the task ledger, as pure functions: dates, progress and what counts as
overdue or due soon. Overdue is a state of the day asked about, so a task of last year's
list that is still open on 2 January is overdue, whatever list it came from."""

import datetime as dt
from decimal import Decimal

DUE_SOON_DAYS = 30  # the due-soon list and the reminder look this far ahead
REMIND_DAYS = 7  # owners are reminded this many days before the deadline


def date_problem(starts_on: dt.date | None, due_on: dt.date | None) -> str:
    """The Chinese reason a task's dates are refused, or "" when they are sound."""
    if due_on is None:
        return "请填写完成时限"
    if starts_on is not None and due_on < starts_on:
        return f"完成时限（{due_on}）不能早于开始日期（{starts_on}）"
    return ""


def is_overdue(due_on: dt.date, closed_on: dt.date | None, day: dt.date) -> bool:
    """Past its deadline on `day` and not closed (销号) by then."""
    return due_on < day and (closed_on is None or closed_on > day)


def is_due_soon(
    due_on: dt.date, closed_on: dt.date | None, day: dt.date, days: int = DUE_SOON_DAYS
) -> bool:
    """Open on `day` with the deadline within the next `days` days (today included)."""
    return closed_on is None and day <= due_on <= day + dt.timedelta(days=days)


def closed_late(due_on: dt.date, closed_on: dt.date | None) -> bool:
    return closed_on is not None and closed_on > due_on


def percent_problem(percent: int | None) -> str:
    if percent is None:
        return ""
    if not 0 <= percent <= 100:
        return "完成进度须在 0% 到 100% 之间"
    return ""


def milestone_percent(done: int, total: int) -> int:
    """Milestone progress as a whole percentage (rounded down, so 100% means all done)."""
    if total <= 0:
        return 0
    return done * 100 // total


def weighted_progress(items: list[tuple[Decimal, int]]) -> Decimal | None:
    """The list's progress: each task's percentage weighted by its weight; None when no
    task carries weight."""
    total_weight = sum((weight for weight, _ in items), Decimal(0))
    if total_weight <= 0:
        return None
    done = sum((weight * percent for weight, percent in items), Decimal(0))
    return (done / total_weight).quantize(Decimal("0.1"))
