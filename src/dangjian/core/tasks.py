"""Background jobs (huey). Areas add their periodic reminders here or in their own
`tasks.py`; huey's Django integration discovers `tasks` modules of installed apps."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import send_notice


@db_task()
def notify(user_ids: list[int], title: str, body: str = "", link: str = "", kind: str = "") -> int:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return send_notice(users, title, body, link=link, kind=kind)


@db_periodic_task(crontab(hour="3", minute="47"))
def nightly_planner_statistics() -> bool:
    """Refresh SQLite's planner statistics as the data grows (PostgreSQL's autovacuum
    does it there)."""
    from .planner import refresh_statistics

    return refresh_statistics(sqlite_only=True)


@db_periodic_task(crontab(minute="23"))
def sweep_pending_uploads() -> int:
    """Hourly: workbooks uploaded for a preview and never confirmed are removed."""
    from .pending_uploads import drop_stale_uploads

    return drop_stale_uploads()
