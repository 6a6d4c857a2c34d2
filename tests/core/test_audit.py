"""The audit log's keyed hash chain: what it covers, and each way the audit found to
rewrite it unseen (issue 14), now reported by `verify_chain` and `dangjian verify-audit`."""

import datetime as dt
import hashlib
import hmac

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dangjian.core import audit
from dangjian.core.audit_key import canonical, sign
from dangjian.core.models import AppendOnlyError, AuditEntry, AuditHead
from tests.core.audit_tamper import rewrite_chain, rows, triggers_lifted
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _entries(n=3, actor=None):
    return [
        audit.record(
            "test.action",
            actor=actor,
            object_type="x",
            object_id=str(i),
            org_path="0001",
            summary={"i": i},
            ip_address="10.0.0.1",
        )
        for i in range(n)
    ]


def _delete(entry):
    rows(connection, "DELETE FROM core_auditentry WHERE id = %s", [entry.pk])


def _fails(match: str):
    report = audit.verify_chain()
    assert not report.ok and match in report.reason, report
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("verify-audit")
    return report


def test_entries_chain_to_each_other_in_numbered_positions():
    first, second, third = _entries()
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    head = AuditHead.objects.get()
    assert (head.seq, head.last_hash) == (3, third.hash)
    report = audit.verify_chain()
    assert report.ok and report.checked == 3


def test_the_hash_is_keyed_with_the_audit_key(settings):
    (entry,) = _entries(1)
    fields = audit.entry_fields(AuditEntry.objects.get(pk=entry.pk))
    assert entry.hash == sign(fields) != hashlib.sha256(canonical(fields)).hexdigest()
    settings.AUDIT_KEY = "11" * 32  # the same rows checked under another key
    assert sign(fields) != entry.hash
    assert not audit.verify_chain().ok


def test_model_refuses_change_and_delete():
    entry = _entries()[0]
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.parametrize(
    "field, value",
    [
        ("actor_id", "other user"),
        ("actor_name", "mallory"),
        ("created_at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
        ("action", "forged"),
        ("object_type", "y"),
        ("object_id", "99"),
        ("org_path", "0002"),
        ("summary", {"i": 99}),
        ("ip_address", "10.9.9.9"),
    ],
)
def test_changing_any_field_is_detected(field, value):
    author, other = make_user("author"), make_user("other")
    _, second, _ = _entries(actor=author)
    if value == "other user":
        value = other.pk
    with triggers_lifted(connection):
        AuditEntry.objects.filter(pk=second.pk).update(**{field: value})
    report = _fails("记录被篡改")
    assert report.broken_at == second.pk


def test_deleting_a_middle_entry_is_detected():
    first, second, third = _entries()
    _delete(second)
    report = _fails("缺少第 2 条")
    assert report.broken_at == third.pk


def _plain_sha256_as_before(entry):
    """The hash verify-audit accepted before issue 14: no key, the actor's id left out."""
    fields = {
        "prev": entry.prev_hash,
        "at": entry.created_at.isoformat(),
        "actor": entry.actor_name,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "org": entry.org_path,
        "summary": entry.summary,
        "ip": entry.ip_address,
    }
    return hashlib.sha256(canonical(fields)).hexdigest()


def _plain_sha256_of_every_field(entry):
    return hashlib.sha256(canonical(audit.entry_fields(entry))).hexdigest()


def _hmac_with_a_guessed_key(entry):
    return hmac.new(b"guess", canonical(audit.entry_fields(entry)), hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "hasher", [_plain_sha256_as_before, _plain_sha256_of_every_field, _hmac_with_a_guessed_key]
)
def test_deleting_a_row_and_recomputing_without_the_key_is_detected(hasher):
    _, second, _ = _entries()
    _delete(second)
    rewrite_chain(connection, hasher, renumber=True)
    _fails("记录被篡改")


def test_recomputing_with_the_key_still_shows_the_gap():
    _, second, _ = _entries()
    _delete(second)
    rewrite_chain(connection, lambda e: sign(audit.entry_fields(e)), renumber=False)
    _fails("缺少第 2 条")


def test_recomputing_with_the_key_and_renumbering_contradicts_the_checkpoint():
    _, second, _ = _entries()
    audit.write_checkpoint()
    _entries(1)
    _delete(second)
    rewrite_chain(connection, lambda e: sign(audit.entry_fields(e)), renumber=True)
    _fails("与第 3 条的签名检查点不符")


def test_deleting_the_last_entry_and_the_head_is_detected():
    *_, third = _entries()
    _delete(third)
    AuditHead.objects.all().delete()
    _fails("链头")


def test_deleting_the_last_entry_and_rewinding_the_head_contradicts_the_checkpoint():
    _, second, third = _entries()
    audit.write_checkpoint()
    _delete(third)
    AuditHead.objects.update(seq=2, last_hash=second.hash)
    _fails("签名检查点记载到第 3 条，链中只有 2 条")


def test_deleting_everything_contradicts_the_checkpoint():
    _entries()
    audit.write_checkpoint()
    rows(connection, "DELETE FROM core_auditentry")
    AuditHead.objects.all().delete()
    report = _fails("签名检查点记载到第 3 条，链中只有 0 条")
    assert report.checked == 0


def test_entries_written_while_verifying_are_not_mistaken_for_tampering(monkeypatch):
    _entries()
    walk, calls = audit._walk, []

    def walk_then_someone_records(*args):
        result = walk(*args)
        if not calls:
            audit.record("test.meanwhile")  # another request, between the walk and the head
        calls.append(args)
        return result

    monkeypatch.setattr(audit, "_walk", walk_then_someone_records)
    report = audit.verify_chain()
    assert report.ok and report.checked == 4


def test_rolled_back_change_leaves_no_entry():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("doomed")
        raise RuntimeError
    assert not AuditEntry.objects.filter(action="doomed").exists()
    assert audit.verify_chain().ok


def test_recording_costs_one_head_lock_one_insert_one_head_update():
    _entries(1)
    with CaptureQueriesContext(connection) as queries:
        audit.record("test.action")
    statements = [q["sql"] for q in queries.captured_queries]
    verbs = [sql.split()[0].upper() for sql in statements]
    assert [v for v in verbs if v not in {"SAVEPOINT", "RELEASE"}] == ["SELECT", "INSERT", "UPDATE"]
    head_read = statements[verbs.index("SELECT")]
    assert ("FOR UPDATE" in head_read) == connection.features.has_select_for_update


def test_verify_command_reports_success(capsys):
    _entries()
    audit.write_checkpoint()
    call_command("verify-audit")
    out = capsys.readouterr().out
    assert "共 3 条" in out and "1 个签名检查点" in out
