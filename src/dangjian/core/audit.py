"""Writing and verifying the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": entry.created_at.isoformat(),
            "actor": entry.actor_name,
            "action": entry.action,
            "type": entry.object_type,
            "id": entry.object_id,
            "org": entry.org_path,
            "summary": entry.summary,
            "ip": entry.ip_address,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
    leaves no entry behind."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        # Round-trip through JSON so the hash is computed over exactly what is stored.
        summary = json.loads(json.dumps(summary or {}, ensure_ascii=False, default=str))
        entry = AuditEntry(
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
        entry.hash = _entry_hash(head.last_hash, entry)
        entry.save()
        head.last_hash = entry.hash
        head.save(update_fields=["last_hash"])
    return entry


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first entry that does not match
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    prev = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return ChainReport(checked, entry.id, "上一条哈希不符（有记录被删除或插入）")
        if _entry_hash(prev, entry) != entry.hash:
            return ChainReport(checked, entry.id, "记录内容与哈希不符（记录被篡改）")
        prev = entry.hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.last_hash != prev:
        return ChainReport(checked, -1, "链尾哈希不符（末尾记录被删除）")
    return ChainReport(checked, None)
