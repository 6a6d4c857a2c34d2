"""Meeting reminders (meetings/reminders.py): the day before and on the day."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="7,17", minute="20"))
def meeting_reminders() -> int:
    """At 07:20 (today's meetings, and tomorrow's) and 17:20 (tomorrow's meetings planned
    during the day). Each reminder goes once, whichever run sends it; the lock keeps two
    workers from sending the same one."""
    from .reminders import send_meeting_reminders

    with lock_task("meeting-reminders"):
        return send_meeting_reminders()
