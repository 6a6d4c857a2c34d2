"""The database itself refuses to change or delete audit entries (triggers on SQLite and
PostgreSQL), whoever asks: raw SQL, a queryset, or Django's own flush."""

import pytest
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations

from dangjian.core import audit
from dangjian.core.models import AuditEntry
from tests.core.audit_tamper import triggers_lifted

pytestmark = pytest.mark.django_db


def _refused(run):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if connection.vendor == "postgresql":
            # Run the foreign-key checks this test's inserts left queued, as a commit
            # would: PostgreSQL refuses TRUNCATE before any trigger while they wait.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        run()


def _raw(sql):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)

    return run


def _statements():
    statements = [
        "UPDATE core_auditentry SET action = 'forged'",
        "UPDATE core_auditentry SET actor_name = 'mallory' WHERE seq = 2",
        "DELETE FROM core_auditentry WHERE seq = 3",
        "DELETE FROM core_auditentry",
    ]
    if connection.vendor == "postgresql":
        statements += ["TRUNCATE core_auditentry CASCADE"]
    return statements


def test_raw_sql_cannot_change_or_delete_entries():
    entries = [audit.record("test.action", summary={"i": i}) for i in range(3)]
    for sql in _statements():
        _refused(_raw(sql))
    assert [e.hash for e in AuditEntry.objects.order_by("seq")] == [e.hash for e in entries]
    assert audit.verify_chain().ok


def test_querysets_cannot_change_or_delete_entries():
    entry = audit.record("test.action")
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="forged"))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias))
    assert AuditEntry.objects.get().action == "test.action"


def test_flushing_the_database_is_refused_outside_the_test_suite():
    audit.record("test.action")
    production_flush = BaseDatabaseOperations.execute_sql_flush.__wrapped__
    statements = sql_flush(no_style(), connection)
    _refused(lambda: production_flush(connection.ops, statements))
    assert AuditEntry.objects.count() == 1


def test_missing_triggers_are_reported():
    audit.record("test.action")
    with triggers_lifted(connection):
        report = audit.verify_chain()
    assert not report.ok and "触发器缺失" in report.reason
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_test_suite_still_empties_the_tables_between_tests():
    """Teardown flushes this test's entries although the triggers refuse DELETE and
    TRUNCATE (tests/conftest.py lifts them for the flush only); the next test starts empty."""
    audit.record("test.action")
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_tables_were_emptied_and_the_triggers_put_back():
    assert not AuditEntry.objects.exists()
    audit.record("test.action")
    _refused(_raw("DELETE FROM core_auditentry"))
