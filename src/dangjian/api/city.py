"""The guidance committee's comparison of its hospitals (issue 20):
`GET /city/hospitals?org=CITY[&year=2024|&period=2024-Q1]` gives every hospital's
figures of the city overview (the year to today by default, or a year or period that
is over), the city's, and where each hospital lags the city. Only for an organisation
above the hospitals that the caller sees: 404 otherwise (a hospital's figures are
`/stats`)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from dangjian.assessment.comparison import city_overview, compare
from dangjian.assessment.rules import PeriodError, ended_by, last_full_quarter, parse_period
from dangjian.core.datacache import UNIT_CHARS

from .orgs import visible_org
from .routing import ApiRouter

router = ApiRouter(tags=["city"])


def _figures(cells) -> dict:
    return {cell.column.key: cell.value for cell in cells}


@router.get("/city/hospitals", response=dict)
def city_hospitals(request, org: str, year: int | None = None, period: str | None = None):
    city = visible_org(request, org)
    if len(city.path) >= UNIT_CHARS:
        raise HttpError(404, _("全市比较只适用于医院以上的党组织"))
    today = timezone.localdate()
    if period or year:
        try:
            chosen = parse_period(period or str(year))
        except PeriodError as exc:
            raise HttpError(400, str(exc)) from exc
        if not ended_by(chosen, today):
            raise HttpError(400, f"{chosen.label}尚未结束")
        # A quarter is scored on itself; a half-year or year on its last quarter.
        assessed = chosen if "Q" in chosen.code else last_full_quarter(chosen.checked_on)
        overview = compare(city, chosen.start, chosen.end, assessed)
        start, end = chosen.start, chosen.end
    else:
        overview = city_overview(city, today)
        start, end = overview["start"], today
    assessed = overview["assessed"]
    return {
        "org": city.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "assessed": assessed.code if assessed else None,
        "columns": [{"key": c.key, "label": str(c.label)} for c in overview["columns"]],
        "city": _figures(overview["totals"]),
        "hospitals": [
            {
                "org": row.org.code,
                "name": row.org.name,
                "figures": _figures(row.cells),
                "lagging": [cell.column.key for cell in row.cells if cell.lagging],
            }
            for row in overview["rows"]
        ],
    }
