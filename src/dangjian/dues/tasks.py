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


@db_periodic_task(crontab(day="3", hour="6", minute="50"))
def arrears_reminders():
    """Monthly, once the month's bills exist and the last month has ended: reminders at 3
    unpaid months, reports for handling at 6. The lock keeps two workers from running it
    at once (each would read the other's notices as not yet sent)."""
    from .reminders import send_arrears_reminders

    with lock_task("dues-arrears-reminders"):
        return send_arrears_reminders()


@db_periodic_task(crontab(month="1,12", day="1", hour="8", minute="10"))
def base_reminders():
    """On 1 December (next year's bases) and, for any office not yet told, 1 January."""
    from .reminders import send_base_reminders

    with lock_task("dues-base-reminders"):
        return send_base_reminders()


@db_periodic_task(crontab(hour="9", minute="0"))
def month_reminders():
    """Daily at nine: from the 10th (rules.MONTH_REMIND_DAY) the members whose bill for
    the month is still open are reminded, each once a month; running every day catches
    up a day the worker missed and bills that appear later in the month."""
    from .reminders import send_month_reminders

    with lock_task("dues-month-reminders"):
        return send_month_reminders()
