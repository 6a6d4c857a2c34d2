"""The scored periods as finalised: the sheet a page shows instead of the live scores, and
one organisation's scores over periods (for the city's trends)."""

from dataclasses import dataclass, field

from .judgements import ScoreEntry, ScoreSheet


@dataclass
class StoredRow:
    """A ScoreEntry read the way the page reads a live BranchScore."""

    name: str
    score: float | None
    colour: str
    rank: int | None
    indicators: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    bonus: float = 0.0
    honours: list = field(default_factory=list)


def stored_sheet(org, level: str, period: str) -> tuple[ScoreSheet | None, list[StoredRow]]:
    """The finalised sheet and its rows, or (None, []). Two queries."""
    sheet = (
        ScoreSheet.objects.filter(organization=org, level=level, period=period)
        .select_related("scored_by")
        .first()
    )
    if sheet is None:
        return None, []
    rows = [
        StoredRow(e.name, e.score, e.colour, e.rank, e.breakdown.get("indicators", []),
                  e.breakdown.get("reasons", []), e.breakdown.get("bonus", 0.0),
                  e.breakdown.get("honours", []))
        for e in sheet.entries.order_by("rank", "pk")
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0))
    return sheet, rows


def score_history(org, level: str, periods: list[str]) -> dict[str, ScoreEntry | None]:
    """{period code: the organisation's finalised entry at the level, or None}, the most
    recent 评定 when several sheets name it. One query."""
    found: dict[str, ScoreEntry | None] = dict.fromkeys(periods)
    entries = (
        ScoreEntry.objects.filter(organization=org, sheet__level=level, sheet__period__in=periods)
        .select_related("sheet")
        .order_by("sheet__scored_at")
    )
    for entry in entries:
        found[entry.sheet.period] = entry
    return found
