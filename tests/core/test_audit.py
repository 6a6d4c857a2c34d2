import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from dangjian.core import audit
from dangjian.core.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def _three_entries():
    return [
        audit.record("test.action", object_type="x", object_id=str(i), summary={"i": i})
        for i in range(3)
    ]


def test_entries_chain_to_each_other():
    first, second, third = _three_entries()
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert audit.verify_chain().ok and audit.verify_chain().checked == 3


def test_model_refuses_change_and_delete():
    entry = _three_entries()[0]
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_tampering_in_the_database_is_detected():
    _, second, _ = _three_entries()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [second.pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == second.pk and "篡改" in report.reason
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("verify-audit")


def test_deleting_a_middle_entry_is_detected():
    first, second, third = _three_entries()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [second.pk])
    report = audit.verify_chain()
    assert not report.ok and report.broken_at == third.pk


def test_deleting_the_last_entry_is_detected():
    *_, third = _three_entries()
    AuditEntry.objects.filter(pk=third.pk)._raw_delete(AuditEntry.objects.db)
    assert not audit.verify_chain().ok


def test_rolled_back_change_leaves_no_entry():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("doomed")
        raise RuntimeError
    assert not AuditEntry.objects.filter(action="doomed").exists()
    assert audit.verify_chain().ok


def test_verify_command_reports_success(capsys):
    _three_entries()
    call_command("verify-audit")
    assert "共 3 条" in capsys.readouterr().out
