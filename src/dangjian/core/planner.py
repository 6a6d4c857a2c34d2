"""Planner statistics. PostgreSQL gathers them itself (autovacuum); SQLite has none until
ANALYZE runs, and without them it reads a whole city's meetings of the year by their
status index to find one branch's instead of using the organisation index (55 ms
instead of 0.2 ms for a branch of 87 hospitals' data)."""

from django.db import connection


def refresh_statistics(*, sqlite_only: bool = False) -> bool:
    """ANALYZE the database (about a second for a city); whether it ran."""
    if sqlite_only and connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
