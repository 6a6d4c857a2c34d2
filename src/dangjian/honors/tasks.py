"""Daily job: reminders of selection rounds' deadlines (honors/reminders.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="7", minute="25"))
def round_reminders() -> int:
    """The lock keeps two workers from sending the same reminder."""
    from .reminders import send_round_reminders

    with lock_task("round-reminders"):
        return send_round_reminders()
