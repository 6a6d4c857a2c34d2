"""Existing databases come over to the keyed chain: the old chain is checked, re-hashed
under the key in the order written, numbered, and closed by an `audit.rekey` entry."""

import datetime as dt
import sys

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangjian.core import audit
from dangjian.core.models import AuditEntry, AuditHead
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _keyed_chain_migration():
    """Found by name, so that renumbering it changes nothing here."""
    loader = MigrationExecutor(connection).loader
    (key,) = [
        k for k in loader.disk_migrations if k[0] == "core" and k[1].endswith("keyed_audit_chain")
    ]
    migration = loader.disk_migrations[key]
    return migration, sys.modules[type(migration).__module__]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema():
    """The database as it stood before the keyed chain; brought forward again afterwards."""
    migration, module = _keyed_chain_migration()
    apps = _migrate(migration.dependencies)
    yield apps, module
    _migrate(_leaves())


def _old_entries(apps, module, actor, tamper=False):
    Entry = apps.get_model("core", "AuditEntry")
    prev = module.GENESIS
    start = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
    for i in range(3):
        entry = Entry(
            created_at=start + dt.timedelta(minutes=i),
            actor_id=actor.pk if i == 1 else None,
            actor_name=actor.username if i == 1 else "",
            action="person.update",
            object_type="people.person",
            object_id=str(i),
            org_path="0001",
            summary={"i": i, "name": "测试人员"},
            ip_address="10.0.0.1",
            prev_hash=prev,
        )
        entry.hash = prev = module._plain_hash(prev, entry)
        if tamper and i == 1:
            entry.summary = {"i": 99}  # changed after it was hashed
        entry.save()
    apps.get_model("core", "AuditHead").objects.create(pk=1, last_hash=prev)
    return prev


def test_an_intact_old_chain_is_rekeyed_in_order(old_schema):
    apps, module = old_schema
    actor = make_user("old-actor")
    old_head = _old_entries(apps, module, actor)
    _migrate(_leaves())
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert [e.object_id for e in entries[:3]] == ["0", "1", "2"]
    assert entries[1].actor_id == actor.pk and entries[1].summary == {"i": 1, "name": "测试人员"}
    bridge = entries[3]
    assert bridge.action == "audit.rekey"
    assert bridge.summary == {"entries": 3, "old_head": old_head, "old_chain_broken": ""}
    assert AuditHead.objects.get().seq == 4
    assert audit.verify_chain().ok and audit.verify_chain().checked == 4
    audit.record("test.action")  # the chain goes on from the bridge
    assert audit.verify_chain().ok


def test_a_broken_old_chain_stops_the_migration_unless_accepted(old_schema, monkeypatch):
    apps, module = old_schema
    _old_entries(apps, module, make_user("old-actor"), tamper=True)
    with pytest.raises(RuntimeError, match="旧哈希链已断开"):
        _migrate(_leaves())
    assert not AuditEntry.objects.filter(action="audit.rekey").exists()

    monkeypatch.setenv("DANGJIAN_AUDIT_ACCEPT_BROKEN_CHAIN", "1")
    _migrate(_leaves())
    bridge = AuditEntry.objects.get(action="audit.rekey")
    assert bridge.summary["old_chain_broken"].endswith("记录内容与哈希不符")
    assert audit.verify_chain().ok


def test_going_back_restores_a_valid_plain_chain(old_schema):
    apps, module = old_schema
    _old_entries(apps, module, make_user("old-actor"))
    _migrate(_leaves())
    migration, _ = _keyed_chain_migration()
    apps = _migrate(migration.dependencies)
    entries = apps.get_model("core", "AuditEntry").objects
    head = apps.get_model("core", "AuditHead").objects.get()
    assert module._plain_chain_break(entries, head) == ""
