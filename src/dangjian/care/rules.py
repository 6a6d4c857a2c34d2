"""The rules of the care register, as pure functions: amounts, dates, and the year a
figure covers."""

import datetime as dt
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("99999999.99")  # what the column holds


def parse_amount(value) -> tuple[Decimal | None, str]:
    """The amount in yuan (two decimals) and "" when sound, else None and the Chinese
    reason. Empty counts as 0 (a visit without money)."""
    if value is None or str(value).strip() == "":
        return Decimal("0.00"), ""
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None, f"金额“{value}”不是数字"
    if not amount.is_finite():
        return None, f"金额“{value}”不是数字"
    if amount < 0:
        return None, "金额不能为负数"
    if amount > MAX_AMOUNT:
        return None, "金额过大"
    if amount != amount.quantize(Decimal("0.01")):
        return None, "金额最多保留两位小数（元、角、分）"
    return amount.quantize(Decimal("0.01")), ""


def date_problem(day: dt.date | None, today: dt.date, what: str) -> str:
    if day is None:
        return f"请填写{what}"
    if day > today:
        return f"{what}（{day}）不能晚于今天"
    return ""


def resolved_problem(since: dt.date, resolved_on: dt.date | None, today: dt.date) -> str:
    if problem := date_problem(resolved_on, today, "脱困日期"):
        return problem
    if resolved_on < since:
        return f"脱困日期（{resolved_on}）不能早于登记日期（{since}）"
    return ""


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
