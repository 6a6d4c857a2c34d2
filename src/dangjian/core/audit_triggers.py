"""The database's own refusal to change or delete audit entries: the triggers that the
core migration `…_keyed_audit_chain` creates, and a check that they are still there
(rebuilding a table on SQLite, for instance, drops its triggers)."""

from django.db import connection

TABLE = "core_auditentry"
TRIGGERS = {
    "sqlite": {"core_auditentry_refuse_update", "core_auditentry_refuse_delete"},
    "postgresql": {"core_auditentry_refuse_change", "core_auditentry_refuse_truncate"},
}


def installed() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled <> 'D'",
                [TABLE],
            )
        else:
            return set()
        return {name for (name,) in cursor.fetchall()}


def missing() -> set[str]:
    return TRIGGERS.get(connection.vendor, set()) - installed()
