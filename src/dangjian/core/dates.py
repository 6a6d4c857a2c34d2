"""Calendar arithmetic for the statutory time rules ("within one month", "one year of
probation", "terms of 3 years"): the same day N months later, clipped to the month's end
(31 January + 1 month = 28/29 February; 29 February + 1 year = 28 February)."""

import datetime as dt
from calendar import monthrange


def add_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month0 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)
