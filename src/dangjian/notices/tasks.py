"""Deliveries beyond the inbox: sent as soon as their notice is committed, and a sweep
every minute for retries and for anything a lost job never sent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_dispatches(ids: list[int]) -> int:
    from .delivery import deliver

    return sum(deliver(pk) for pk in ids)


@db_periodic_task(crontab(minute="*"))
def deliver_due_dispatches() -> int:
    from .delivery import deliver_due

    return deliver_due()
