"""A figure of the city overview over the last quarters, for the city and each hospital
(issue 20): the figure's family computed once per quarter with `unit_parts` (one call,
whatever the number of hospitals), so the page costs a fixed number of queries per
quarter."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from dangjian.assessment.rules import Period, last_full_quarter, parse_period
from dangjian.dashboard.labels import is_percent
from dangjian.orgs.figures import add
from dangjian.orgs.models import Organization

from .city import BY_KEY, Column, city_hospitals, family_parts, format_cell

QUARTERS = 8
# The figures worth following over time (their value is per quarter, not a stock).
TREND_KEYS = (
    "meetings.compliant_branches_ratio",
    "assessment.mean_score",
    "dues.on_time_rate",
    "tasks.overdue",
    "development.admitted",
    "service.activities",
    "service.people_served",
    "decisions.total",
)
# The default is a cached family: the assessment's trend scores every branch of the city
# eight times (not cached: study hours carry no data version), a few seconds for a city
# of 87 hospitals, so it is there when asked for, not on every refresh of the big screen.
DEFAULT_KEY = TREND_KEYS[0]
# What a trend is called where the overview's label names its period.
TREND_LABELS = {"assessment.mean_score": _("支部考核平均分")}
# The chart draws the city and, up to this many hospitals, each hospital; the table has all.
CHART_HOSPITALS = 10


def last_quarters(today: dt.date, n: int = QUARTERS) -> list[Period]:
    """The last `n` quarters that are over, oldest first."""
    last = last_full_quarter(today)
    year, number = int(last.code[:4]), int(last.code[-1])
    found = []
    for _step in range(n):
        found.append(parse_period(f"{year}-Q{number}"))
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    return found[::-1]


def _chart_value(column: Column, value):
    if value is None:
        return None
    return round(100 * value, 1) if is_percent(column.key) else value


def city_trend(city: Organization, key: str, today: dt.date) -> dict:
    """{"column", "quarters", "city" (texts), "rows" [(hospital, texts)], "chart"}."""
    column = BY_KEY[key]
    quarters = last_quarters(today)
    hospitals = city_hospitals(city, today)
    city_values, values = [], {h.path: [] for h in hospitals}
    for quarter in quarters:
        units = family_parts(city, quarter.start, quarter.end, quarter, names={column.family})
        parts = units.get(column.family, {})
        city_values.append(column.value({column.family: add(parts.values())}))
        for h in hospitals:
            values[h.path].append(column.value({column.family: parts.get(h.path, {})}))
    percent = is_percent(column.key)
    series = [{"name": city.name, "type": "line", "percent": percent,
               "data": [_chart_value(column, v) for v in city_values]}]  # fmt: skip
    if len(hospitals) <= CHART_HOSPITALS:
        series += [
            {"name": h.name, "type": "line", "percent": percent,
             "data": [_chart_value(column, v) for v in values[h.path]]}
            for h in hospitals
        ]  # fmt: skip
    return {
        "column": column,
        "label": TREND_LABELS.get(key, column.label),
        "quarters": quarters,
        "city": [format_cell(column, v) for v in city_values],
        "rows": [(h, [format_cell(column, v) for v in values[h.path]]) for h in hospitals],
        "chart": {
            "type": "bar",
            "categories": [q.code for q in quarters],  # 2024-Q1: short enough for an axis
            "series": series,
        },
    }
