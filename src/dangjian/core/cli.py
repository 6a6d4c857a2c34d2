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


def get_org(code: str):
    from dangjian.orgs.models import Organization

    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"组织编码不存在：{code}")
    return org
