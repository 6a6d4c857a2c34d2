"""Writing and verifying the audit log's keyed hash chain.

Each entry's hash is an HMAC (key outside the database, `audit_key`) over every field,
its position `seq` and the previous entry's hash. Signed checkpoints of the head, written
daily outside the database (`audit_checkpoint`), catch what the chain alone cannot: the
newest entries deleted together with the head, or everything deleted.
"""

import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit_checkpoint, audit_source, audit_triggers
from .audit_key import sign
from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def entry_fields(entry: AuditEntry) -> dict:
    """Everything an entry says, as its hash covers it."""
    return {
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


def changes(before: dict, after: dict) -> dict:
    """`{field: [before, after]}` for the fields whose value differs: what an edit
    changed, for the summary (the audit page shows it as before → after)."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    org_path: str = "",
    summary: dict | None = None,
    ip_address: str = "",
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so a rolled-back change
    leaves no entry behind. Without an address or an actor, the request (or command or
    job) being served gives them (`audit_source`)."""
    ip_address = ip_address or audit_source.current_address()
    if actor is None:
        actor = audit_source.current_user()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        # Round-trip through JSON so the hash is computed over exactly what is stored.
        summary = json.loads(json.dumps(summary or {}, ensure_ascii=False, default=str))
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            org_path=org_path,
            summary=summary,
            ip_address=ip_address,
            prev_hash=head.last_hash,
        )
        entry.hash = sign(entry_fields(entry))
        entry.save()
        head.seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "last_hash"])
    return entry


def write_checkpoint() -> audit_checkpoint.Checkpoint:
    """Anchor the chain's head outside the database (the daily job, `dangjian
    audit-checkpoint`)."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return audit_checkpoint.append(0, GENESIS)
    return audit_checkpoint.append(head.seq, head.last_hash)


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first entry that does not match; -1: none to name
    reason: str = ""
    checkpoints: int = 0  # signed checkpoints found and matched

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """The chain from genesis: positions without gaps, each hash under the key, the head,
    every signed checkpoint's position and hash found in the chain, and the database's
    triggers that refuse changes still in place."""
    try:
        checkpoints = audit_checkpoint.load()
    except audit_checkpoint.CheckpointError as exc:
        return ChainReport(0, -1, exc.reason)
    anchors: dict[int, set[str]] = {}
    for checkpoint in checkpoints:
        anchors.setdefault(checkpoint.seq, set()).add(checkpoint.hash)

    prev, seq = GENESIS, 0
    while True:
        walked_from = seq
        entries = AuditEntry.objects.filter(seq__gt=seq) if seq else AuditEntry.objects.all()
        prev, seq, broken = _walk(entries, prev, seq, anchors)
        if broken:
            return broken
        head = AuditHead.objects.filter(pk=1).first()
        head_at = (head.seq, head.last_hash) if head else (0, GENESIS)
        # Entries appended while we walked moved the head on: check them too, then compare.
        if head_at[0] <= seq or seq == walked_from:
            break
    if head_at != (seq, prev):
        return ChainReport(seq, -1, _("链头与最后一条记录不符（末尾记录或链头被删除、改动）"))
    beyond = max(anchors, default=0)
    if beyond > seq:
        reason = _("签名检查点记载到第 %(anchor)d 条，链中只有 %(seq)d 条（末尾记录被删除）") % {
            "anchor": beyond,
            "seq": seq,
        }
        return ChainReport(seq, -1, reason)
    if missing := audit_triggers.missing():
        reason = _("数据库中禁止修改、删除审计日志的触发器缺失：%(names)s") % {
            "names": "、".join(sorted(missing))
        }
        return ChainReport(seq, -1, reason)
    return ChainReport(seq, None, checkpoints=len(checkpoints))


def _walk(entries, prev: str, seq: int, anchors: dict[int, set[str]]):
    """Check `entries` in order, following on from position `seq` with hash `prev`."""
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        seq += 1
        if entry.seq != seq:
            reason = _("序号不连续：缺少第 %(seq)d 条（有记录被删除）") % {"seq": seq}
            return prev, seq, ChainReport(seq - 1, entry.id, reason)
        if entry.prev_hash != prev:
            reason = _("上一条哈希不符（有记录被删除或插入）")
            return prev, seq, ChainReport(seq - 1, entry.id, reason)
        if not hmac.compare_digest(sign(entry_fields(entry)), entry.hash):
            reason = _("记录内容与哈希不符（记录被篡改）")
            return prev, seq, ChainReport(seq - 1, entry.id, reason)
        if anchors.get(seq, {entry.hash}) != {entry.hash}:
            reason = _("与第 %(seq)d 条的签名检查点不符（哈希链被重写）") % {"seq": seq}
            return prev, seq, ChainReport(seq - 1, entry.id, reason)
        prev = entry.hash
    return prev, seq, None
