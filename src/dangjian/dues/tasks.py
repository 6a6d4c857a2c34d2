"""Monthly job: the month's dues bills for every member (idempotent)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(day="1", hour="1", minute="30"))
@lock_task("dues-monthly-bills")
def monthly_bills():
    from django.utils import timezone

    from .services import generate_bills

    created, missing = generate_bills(timezone.localdate())
    return {"created": created, "missing_base": len(missing)}
