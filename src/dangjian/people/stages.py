"""The development pipeline's stages as the registry records them: each status with the
day it began (申请入党日期 … 转正日期), and the status history a set of those days
describes. Shared by the roster workbook, the registry pages and the API, so a person is
checked the same way wherever they are entered."""

import datetime as dt

from dangjian.core.dates import add_years

from .models import Status

# The development pipeline in order: (status, the name of the day it began).
STAGES = [
    (Status.APPLICANT, "申请入党日期"),
    (Status.ACTIVIST, "确定积极分子日期"),
    (Status.CANDIDATE, "确定发展对象日期"),
    (Status.PROBATIONARY, "入党日期"),
    (Status.FULL, "转正日期"),
]
STAGE_LABELS = [label for _, label in STAGES]


def stage_periods(
    status: str, dates: list[dt.date | None], today: dt.date
) -> tuple[list[tuple[str, dt.date]], list[tuple[str, str]]]:
    """The status history a row describes: (status, started_on) for each stage reached,
    in pipeline order, and the (column, reason) of every inconsistent date.

    The date of the current stage is required; earlier ones are optional; none may come
    before an earlier stage's; a stage beyond the current one must be empty. A full
    member's 转正日期 defaults to one year after admission (RULES.md §4: probation is one
    year)."""
    problems: list[tuple[str, str]] = []
    label = str(Status(status).label) if status else "群众"
    current = next((i for i, (s, _) in enumerate(STAGES) if s == status), -1)
    dates = list(dates)
    for i, (_, column) in enumerate(STAGES):
        if i > current and dates[i] is not None:
            problems.append((column, f"政治面貌为{label}，不应填写此日期"))
    if current < 0:
        return [], problems
    admitted, full = STAGE_LABELS[3], STAGE_LABELS[4]
    if status == Status.FULL and dates[3] is None:
        problems.append((admitted, "正式党员须填写入党日期"))
    elif status == Status.FULL and dates[4] is None:
        dates[4] = add_years(dates[3], 1)
        if dates[4] > today:
            problems.append(
                (full, f"未填写时按入党日期满一年计为 {dates[4].isoformat()}，晚于今天，请填写")
            )
    elif dates[current] is None:
        problems.append((STAGE_LABELS[current], f"政治面貌为{label}，须填写此日期"))
    previous = None
    for i in range(current + 1):
        day = dates[i]
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            problems.append(
                (
                    STAGE_LABELS[i],
                    f"{day.isoformat()} 早于{previous[0]}（{previous[1].isoformat()}）",
                )
            )
        previous = (STAGE_LABELS[i], day)
    periods = [(STAGES[i][0], dates[i]) for i in range(current + 1) if dates[i] is not None]
    return periods, problems
