"""A date cell as offices fill it in (the roster's dates; docs/import.md lists the forms):
an Excel date, a date serial in a General cell, or text in one of the unambiguous forms
Chinese offices type (2019.05.01, 2019/5/1, 2019年5月1日, 20190501, full-width digits…).
Forms that could be read two ways (05/01/2019, two-digit years) are refused.

    day, form = cell_date("2019.05.01")                  # (date(2019, 5, 1), "2019.05.01")
    day, form = cell_date("2019.05", month_only=True)    # (date(2019, 5, 1), "2019.05")
"""

import datetime as dt
import re

from .halfwidth import halfwidth

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials of 1920-01-01 .. 2099-12-31: a General cell holding a date. Lower numbers are
# refused (1905-07-11 is more likely the year 2019 typed alone).
SERIAL_RANGE = (7306, 73050)
ACCEPTED_DATE_FORMS = "2019-05-01、2019-5-1、2019.05.01、2019/5/1、2019年5月1日、20190501"
ACCEPTED_MONTH_FORMS = "2019.05、2019-05、2019/05、2019年5月"
ISO = "2019-05-01"
SERIAL = "Excel 日期序列号（常规格式单元格）"

_DAY_FORMS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), None),  # ISO (or 2019-5-1)
    (re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), "2019.05.01"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "2019/5/1"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), "2019年5月1日"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "20190501"),
]
_MONTH_FORMS = [
    (re.compile(r"^(\d{4})\.(\d{1,2})$"), "2019.05"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "2019-05"),
    (re.compile(r"^(\d{4})/(\d{1,2})$"), "2019/05"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "2019年5月"),
]
MONTH_NUMBER = "2019.05（数字）"
MONTH_FORMS = (*(form for _, form in _MONTH_FORMS), MONTH_NUMBER)
_MIDNIGHT = re.compile(r"^(\S+)[ T]0{1,2}:00(:00(\.0+)?)?$")


class DateProblem(ValueError):
    """A cell that is not an unambiguous date; the message is the Chinese reason."""


def cell_date(value, *, month_only: bool = False) -> tuple[dt.date | None, str]:
    """(date, the form it was read in) of a date cell: an Excel date, a date serial in a
    General cell, or text in one of the unambiguous forms (full-width digits allowed).
    The form is "" for an Excel date and "2019-05-01"; a month (`2019.05`) is the 1st of
    that month, only with `month_only`. An empty cell gives (None, "")."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, bool):
        raise DateProblem(f"不是日期：{'是' if value else '否'}")
    if isinstance(value, int | float):
        return _number_date(value, month_only)
    raw = halfwidth(str(value)).strip()
    if not raw:
        return None, ""
    midnight = _MIDNIGHT.match(raw)
    if midnight:
        raw = midnight.group(1)
    for pattern, form in _DAY_FORMS:
        found = pattern.match(raw)
        if found:
            year, month, day = (int(g) for g in found.groups())
            form = form or (ISO if len(raw) == 10 else "2019-5-1")
            return _valid(raw, year, month, day), form
    for pattern, form in _MONTH_FORMS:
        found = pattern.match(raw)
        if found:
            year, month = (int(g) for g in found.groups())
            if not month_only:
                raise DateProblem(f"须写到日：{raw}（可用格式：{ACCEPTED_DATE_FORMS}）")
            return _valid(raw, year, month, 1), form
    raise DateProblem(f"无法识别的日期：{raw}（{_accepted(month_only)}）")


def _accepted(month_only: bool) -> str:
    line = f"可用格式：{ACCEPTED_DATE_FORMS}"
    if month_only:
        line += f"，或只写年月：{ACCEPTED_MONTH_FORMS}"
    return line + "；年份须写四位，“05/01/2019”这类月日次序不明的写法不接受"


def _valid(raw: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateProblem(f"不是有效的日期：{raw}") from exc


def _number_date(value: float, month_only: bool) -> tuple[dt.date, str]:
    shown = f"{value:.10g}"
    if float(value).is_integer() and 19000101 <= value <= 21001231:
        return _valid(shown, int(shown[:4]), int(shown[4:6]), int(shown[6:])), "20190501"
    if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(value)), SERIAL
    if 1900 <= value <= 2100 and float(value).is_integer():
        raise DateProblem(f"只有年份：{shown}（{_accepted(month_only)}）")
    if 1900 < value < 2100:
        if not month_only:
            raise DateProblem(f"须写到日：{shown}（可用格式：{ACCEPTED_DATE_FORMS}）")
        # 2019.05 typed into a General cell is the number 2019.05; 2019.1 may have been
        # 2019.10 (Excel drops the trailing zero), so a lone decimal 1 is ambiguous.
        year, fraction = shown.split(".")
        if (len(fraction) == 2 or fraction in "23456789") and 1 <= int(fraction) <= 12:
            return dt.date(int(year), int(fraction), 1), MONTH_NUMBER
        raise DateProblem(
            f"年月被 Excel 存成了数字 {shown}，无法分辨是几月（2019.1 可能是 2019.10）："
            "请把该列设置为“文本”格式后重新填写"
        )
    raise DateProblem(f"无法识别的日期：{shown}（{_accepted(month_only)}）")
