"""The audit chain under a keyed hash over every field and a position without gaps, and the
entries made unchangeable in the database itself.

Existing entries: the old chain (plain SHA-256) is verified first; if it is intact, every
entry is re-hashed under the new scheme in the order written (`id`), numbered 1, 2, 3 …,
and one entry `audit.rekey` closes the conversion, naming the old chain's last hash, so the
new chain carries the old one's head. A broken old chain stops the migration: re-hashing
it would launder the tampering. After an investigation, DANGJIAN_AUDIT_ACCEPT_BROKEN_CHAIN=1
lets it through, and the `audit.rekey` entry records where and why the old chain broke.

Both hash schemes are frozen here, so later changes to core.audit do not change what this
migration did.
"""

import hashlib
import hmac
import json
import os
from datetime import UTC

from django.db import migrations, models
from django.utils import timezone

from dangjian.core.audit_key import audit_key

GENESIS = "0" * 64
BATCH = 2000


def _canonical(fields):
    return json.dumps(
        fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def _plain_hash(prev_hash, entry):
    """The hash of 0001 (core.audit before this migration)."""
    fields = {
        "prev": prev_hash,
        "at": entry.created_at.isoformat(),
        "actor": entry.actor_name,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "org": entry.org_path,
        "summary": entry.summary,
        "ip": entry.ip_address,
    }
    return hashlib.sha256(_canonical(fields)).hexdigest()


def _keyed_hash(entry):
    """The hash this migration brings (core.audit.entry_fields, signed)."""
    fields = {
        "kind": "entry",
        "seq": entry.seq,
        "prev": entry.prev_hash,
        "at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor_name,
        "action": entry.action,
        "type": entry.object_type,
        "id": entry.object_id,
        "org": entry.org_path,
        "summary": entry.summary,
        "ip": entry.ip_address,
    }
    return hmac.new(audit_key(), _canonical(fields), hashlib.sha256).hexdigest()


def _in_batches(queryset):
    """By id ranges rather than one open cursor, since the rows are updated on the way."""
    last_id = 0
    while batch := list(queryset.filter(id__gt=last_id).order_by("id")[:BATCH]):
        yield batch
        last_id = batch[-1].id


def _plain_chain_break(entries, head):
    prev = GENESIS
    for batch in _in_batches(entries):
        for entry in batch:
            if entry.prev_hash != prev:
                return f"第 {entry.id} 条：上一条哈希不符"
            if _plain_hash(prev, entry) != entry.hash:
                return f"第 {entry.id} 条：记录内容与哈希不符"
            prev = entry.hash
    if head is not None and head.last_hash != prev:
        return "链头与最后一条记录不符"
    return ""


def _settle_deferred_checks(schema_editor):
    """PostgreSQL will not alter a table with deferred foreign-key checks still queued
    from rows written in the same transaction: run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)


def rekey(apps, schema_editor):
    db = schema_editor.connection.alias
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditHead = apps.get_model("core", "AuditHead")
    entries = AuditEntry.objects.using(db)
    head = AuditHead.objects.using(db).filter(pk=1).first()
    broken = _plain_chain_break(entries, head)
    if broken and os.environ.get("DANGJIAN_AUDIT_ACCEPT_BROKEN_CHAIN") != "1":
        raise RuntimeError(
            f"审计日志的旧哈希链已断开（{broken}），拒绝重新计算以免掩盖篡改。"
            "请先调查；确需继续时设置 DANGJIAN_AUDIT_ACCEPT_BROKEN_CHAIN=1 重新迁移，"
            "断点将记入新链的 audit.rekey 记录。"
        )
    old_head = head.last_hash if head else GENESIS
    prev, seq = GENESIS, 0
    for batch in _in_batches(entries):
        for entry in batch:
            seq += 1
            entry.seq, entry.prev_hash = seq, prev
            entry.hash = _keyed_hash(entry)
            prev = entry.hash
        AuditEntry.objects.using(db).bulk_update(batch, ["seq", "prev_hash", "hash"])
    if seq:
        seq += 1
        bridge = AuditEntry(
            seq=seq,
            created_at=timezone.now(),
            action="audit.rekey",
            summary={"entries": seq - 1, "old_head": old_head, "old_chain_broken": broken},
            prev_hash=prev,
        )
        bridge.hash = _keyed_hash(bridge)
        bridge.save(using=db)
        prev = bridge.hash
    if seq or head:
        AuditHead.objects.using(db).update_or_create(
            pk=1, defaults={"seq": seq, "last_hash": prev}
        )
    _settle_deferred_checks(schema_editor)


def unkey(apps, schema_editor):
    """Back to the plain chain of 0001, in the order written."""
    db = schema_editor.connection.alias
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditHead = apps.get_model("core", "AuditHead")
    prev = GENESIS
    for batch in _in_batches(AuditEntry.objects.using(db)):
        for entry in batch:
            entry.prev_hash = prev
            entry.hash = prev = _plain_hash(prev, entry)
        AuditEntry.objects.using(db).bulk_update(batch, ["prev_hash", "hash"])
    AuditHead.objects.using(db).filter(pk=1).update(last_hash=prev)
    _settle_deferred_checks(schema_editor)


TRIGGERS_SQL = {
    "sqlite": [
        """CREATE TRIGGER core_auditentry_refuse_update BEFORE UPDATE ON core_auditentry
        BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER core_auditentry_refuse_delete BEFORE DELETE ON core_auditentry
        BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only: DELETE refused'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION core_auditentry_refuse_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END;
        $$""",
        """CREATE TRIGGER core_auditentry_refuse_change BEFORE UPDATE OR DELETE
        ON core_auditentry FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse_change()""",
        """CREATE TRIGGER core_auditentry_refuse_truncate BEFORE TRUNCATE
        ON core_auditentry FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse_change()""",
    ],
}

DROP_TRIGGERS_SQL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_refuse_update",
        "DROP TRIGGER IF EXISTS core_auditentry_refuse_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_refuse_truncate ON core_auditentry",
        "DROP TRIGGER IF EXISTS core_auditentry_refuse_change ON core_auditentry",
        "DROP FUNCTION IF EXISTS core_auditentry_refuse_change()",
    ],
}


def _run_for_vendor(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, unique=True),
        ),
        migrations.AddField(
            model_name="audithead",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(rekey, unkey),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.RunPython(_run_for_vendor(TRIGGERS_SQL), _run_for_vendor(DROP_TRIGGERS_SQL)),
    ]
