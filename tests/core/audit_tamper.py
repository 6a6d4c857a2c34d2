"""What an attacker who owns the database could do: lift the triggers that refuse UPDATE
and DELETE on the audit entries. Tests use it to tamper; the test suite's flush uses it
to empty the tables between transactional tests (production keeps refusing)."""

from contextlib import contextmanager

from dangjian.core.audit_triggers import TABLE


def _trigger_definitions(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
        return cursor.fetchall()


@contextmanager
def triggers_lifted(connection):
    """Drop the audit table's triggers, and put the same ones back afterwards."""
    definitions = _trigger_definitions(connection)
    quote = connection.ops.quote_name
    on_table = "" if connection.vendor == "sqlite" else f" ON {quote(TABLE)}"
    with connection.cursor() as cursor:
        for name, _ in definitions:
            cursor.execute(f"DROP TRIGGER {quote(name)}{on_table}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in definitions:
                cursor.execute(sql)


def rows(connection, sql: str, params=()) -> None:
    """Run one statement on the audit table as the attacker would, triggers lifted."""
    with triggers_lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_chain(connection, hasher, *, renumber: bool) -> None:
    """Recompute every hash from genesis with `hasher(entry)` (and, if asked, close the
    gaps in the positions), head included: what someone who can write to the database
    would do after deleting a row to make the chain whole again."""
    from dangjian.core.audit import GENESIS
    from dangjian.core.models import AuditEntry, AuditHead

    prev, seq = GENESIS, 0
    with triggers_lifted(connection):
        for entry in AuditEntry.objects.order_by("seq"):
            seq += 1
            entry.seq = seq if renumber else entry.seq
            entry.prev_hash = prev
            entry.hash = prev = hasher(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                seq=entry.seq, prev_hash=entry.prev_hash, hash=entry.hash
            )
            seq = entry.seq
        AuditHead.objects.update_or_create(pk=1, defaults={"seq": seq, "last_hash": prev})
