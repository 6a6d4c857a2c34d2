"""Daily job: reminders of tasks due soon or overdue (tasks/reminders.py)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="7", minute="10"))
def task_reminders() -> int:
    """The lock keeps two workers from sending the same reminder."""
    from .reminders import send_task_reminders

    with lock_task("task-reminders"):
        return send_task_reminders()
