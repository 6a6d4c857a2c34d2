"""Small helpers shared by the management commands."""

import datetime as dt

from django.core.management.base import CommandError


def parse_date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{label}日期格式应为 YYYY-MM-DD：{value}") from exc
