"""What the management commands share about organisations."""

from django.core.management.base import CommandError

from .models import Organization


def get_org(code: str) -> Organization:
    """The organisation with this code, or the command's one-line refusal."""
    org = Organization.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"组织编码不存在：{code}")
    return org
