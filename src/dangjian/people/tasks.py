"""政治生日 (people/reminders.py): every morning, greet the day's members."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="8", minute="0"))
def political_birthdays() -> int:
    """At eight, when the working day starts; the lock keeps two workers from sending
    the same greeting."""
    from .reminders import send_political_birthdays

    with lock_task("political-birthdays"):
        return send_political_birthdays()
