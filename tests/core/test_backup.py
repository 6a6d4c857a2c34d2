"""`dangjian backup` and `dangjian restore` (SPEC.md §5): a backup restores into a fresh
database (another SQLite file, or another database on the same PostgreSQL server) with its
figures, its encrypted fields, its uploaded files and its audit chain; a restore refuses,
changing nothing, a tampered or incomplete backup, another vendor's, newer code's, and a
database holding data without --yes."""

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dangjian.core import audit, audit_checkpoint
from dangjian.core.audit_key import audit_key
from dangjian.core.backup import back_up, prune
from dangjian.dashboard.stats import compute_stats
from dangjian.meetings.models import Meeting, MeetingAttachment
from dangjian.meetings.rules import MeetingKind
from dangjian.people.models import Person, Status
from tests.factories import make_member

# pg_dump and the restore run in other sessions: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

# A field key of the tests' own, passed to the restoring process as a real one would be.
FIELD_KEY = "00112233445566778899aabbccddeeff"
MINUTES = "会议纪要（测试）".encode() + bytes(range(256))

# Run in the restored instance: the figures, the decrypted ID numbers and the chain.
CHECK_RESTORED = """
import json
from dangjian.core.audit import verify_chain
from dangjian.dashboard.stats import compute_stats
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
chain = verify_chain()
print(json.dumps({
    "members": compute_stats(Organization.objects.get(code="HA"))["members"],
    "id_numbers": sorted(Person.objects.values_list("id_number", flat=True)),
    "chain": [chain.ok, chain.checked],
}, default=str))
"""


@pytest.fixture
def hospital(settings, two_hospitals):
    """Hospital HA with members (encrypted ID numbers), a meeting's uploaded minutes and
    a few audit entries."""
    settings.FIELD_KEY = FIELD_KEY
    _, (ha, b1, b2), _ = two_hospitals
    members = [make_member(b1) for _ in range(3)]
    members.append(make_member(b2, status=Status.PROBATIONARY, since=dt.date(2024, 3, 1)))
    meeting = Meeting.objects.create(
        organization=b1, kind=MeetingKind.GENERAL_ASSEMBLY, topic="支部党员大会",
        planned_on=dt.date(2024, 5, 10),
    )  # fmt: skip
    attachment = MeetingAttachment.store(
        SimpleUploadedFile("纪要.pdf", MINUTES), by=None, meeting=meeting
    )
    for person in members:
        audit.record("person.read", obj=person, org_path=ha.path, summary={"test": True})
    return ha, members, attachment


@pytest.fixture
def fresh_databases(tmp_path):
    """Make URLs of empty databases: other SQLite files, or new databases on the
    PostgreSQL server of the tests (dropped afterwards)."""
    made = []

    def make() -> str:
        name = f"restored_{secrets.token_hex(6)}"
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / name}.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        made.append(name)
        db = connection.settings_dict
        credentials = quote(db["USER"], safe="") + ":" + quote(db["PASSWORD"] or "", safe="")
        return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{name}"

    yield make
    with connection.cursor() as cursor:
        for name in made:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def fresh_database(fresh_databases):
    return fresh_databases()


def _dangjian(*args: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    """`dangjian …` as another instance would run it: its own database and data folder,
    the keys handed over apart from the backup."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DANGJIAN_TESTING="1",
        DATABASE_URL=database_url,
        DANGJIAN_DATA_DIR=str(data_dir),
        DANGJIAN_FIELD_KEY=FIELD_KEY,
    )
    return subprocess.run(
        [sys.executable, "-m", "dangjian", *args],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_backup_restores_into_a_fresh_database(hospital, tmp_path, fresh_database):
    ha, members, attachment = hospital
    members_before = json.loads(json.dumps(compute_stats(ha)["members"], default=str))
    backup = back_up(tmp_path / "backups")

    data_dir = tmp_path / "restored"
    restored = _dangjian(
        "restore", str(backup.folder), database_url=fresh_database, data_dir=data_dir
    )
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "审计日志完整，共 4 条" in restored.stdout

    check = _dangjian("shell", "-c", CHECK_RESTORED, database_url=fresh_database, data_dir=data_dir)
    assert check.returncode == 0, check.stderr[-3000:]
    found = json.loads(check.stdout.strip().splitlines()[-1])
    assert found["members"] == members_before and members_before["total"] == 4
    assert found["id_numbers"] == sorted(p.id_number for p in members)
    assert found["chain"] == [True, 5]  # the four backed up and the restore's own entry
    assert (data_dir / "media" / attachment.file.name).read_bytes() == MINUTES


def test_the_manifest_lists_every_file_and_the_state_of_the_copy(hospital, tmp_path):
    *_, attachment = hospital
    backup = back_up(tmp_path)
    manifest = _manifest(backup.folder)
    database_file = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
    assert manifest["database"]["vendor"] == connection.vendor
    assert set(manifest["files"]) == {
        database_file[connection.vendor],
        f"media/{attachment.file.name}",
    }
    media = manifest["files"][f"media/{attachment.file.name}"]
    assert media["size"] == len(MINUTES)
    applied = MigrationRecorder(connection).applied_migrations()
    assert manifest["migrations"]["core"] == max(name for app, name in applied if app == "core")
    head = audit.AuditHead.objects.get(pk=1).last_hash
    assert manifest["audit"] == {"entries": 4, "last_hash": head}
    assert backup.folder.name.startswith("dangjian-backup-")


def test_a_backup_is_private_and_holds_no_key(hospital, tmp_path, settings):
    backup = back_up(tmp_path / "backups")
    assert (backup.folder.stat().st_mode & 0o777) == 0o700
    keys = [settings.SECRET_KEY.encode(), FIELD_KEY.encode(), bytes.fromhex(FIELD_KEY), audit_key()]
    for path in backup.folder.rglob("*"):
        if path.is_dir():
            assert (path.stat().st_mode & 0o777) == 0o700, path
            continue
        assert (path.stat().st_mode & 0o777) == 0o600, path
        content = path.read_bytes()
        assert not any(key in content for key in keys), path


def _later_member(hospital):
    """A member added after the backup: a restore that did anything would remove it."""
    _, members, _ = hospital
    return make_member(members[0].organization)


DAMAGES = [
    ("tamper_media", "备份文件校验失败（已损坏或被改动）：media/"),
    ("tamper_database", "备份文件校验失败"),
    ("remove_database", "备份缺少文件：database."),
    ("add_file", "备份中有清单未列出的文件：media/extra.txt"),
    ("escape", "备份清单中的路径不合法：../outside"),
    ("corrupt_manifest", "manifest.json 已损坏，无法读取"),
    ("no_manifest", "不是备份文件夹（缺少 manifest.json）"),
]


@pytest.mark.parametrize("damage, message", [pytest.param(*d, id=d[0]) for d in DAMAGES])
def test_a_damaged_backup_is_refused_and_nothing_changes(hospital, tmp_path, damage, message):
    *_, attachment = hospital
    backup = back_up(tmp_path)
    later = _later_member(hospital)
    media = backup.folder / "media" / attachment.file.name
    database = next(backup.folder.glob("database.*"))
    if damage == "tamper_media":
        media.write_bytes(MINUTES[:-1] + b"!")
    elif damage == "tamper_database":
        with database.open("r+b") as stream:
            stream.seek(200)
            byte = stream.read(1)
            stream.seek(200)
            stream.write(bytes([byte[0] ^ 0xFF]))
    elif damage == "remove_database":
        database.unlink()
    elif damage == "add_file":
        (backup.folder / "media" / "extra.txt").write_text("x")
    elif damage == "escape":
        manifest = _manifest(backup.folder)
        manifest["files"]["../outside"] = {"sha256": "0" * 64, "size": 1}
        _write_manifest(backup.folder, manifest)
    elif damage == "corrupt_manifest":
        manifest = _manifest(backup.folder)
        manifest["files"] = list(manifest["files"])
        _write_manifest(backup.folder, manifest)
    else:
        (backup.folder / "manifest.json").unlink()
    Path(attachment.file.path).write_bytes(b"changed since the backup")

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(backup.folder), yes=True)
    assert Person.objects.filter(pk=later.pk).exists()
    assert Path(attachment.file.path).read_bytes() == b"changed since the backup"


def test_another_vendors_backup_is_refused(hospital, tmp_path):
    backup = back_up(tmp_path)
    later = _later_member(hospital)
    manifest = _manifest(backup.folder)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest["database"]["vendor"] = other
    _write_manifest(backup.folder, manifest)
    with pytest.raises(
        CommandError, match=f"备份来自 {other} 数据库，当前配置的是 {connection.vendor}"
    ):
        call_command("restore", str(backup.folder), yes=True)
    assert Person.objects.filter(pk=later.pk).exists()


def test_a_backup_of_newer_code_is_refused(hospital, tmp_path):
    backup = back_up(tmp_path)
    manifest = _manifest(backup.folder)
    manifest["migrations"]["people"] = "9999_from_the_future"
    _write_manifest(backup.folder, manifest)
    with pytest.raises(CommandError, match="备份来自更新版本的程序（people.9999_from_the_future"):
        call_command("restore", str(backup.folder), yes=True)


def test_restoring_over_data_needs_yes(hospital, tmp_path):
    *_, attachment = hospital
    backup = back_up(tmp_path)
    later = _later_member(hospital)
    Path(attachment.file.path).write_bytes(b"changed since the backup")
    with pytest.raises(
        CommandError, match="当前数据库中已有数据，恢复会覆盖它；确认覆盖请加 --yes"
    ):
        call_command("restore", str(backup.folder))
    assert Person.objects.filter(pk=later.pk).exists()

    call_command("restore", str(backup.folder), yes=True)
    assert not Person.objects.filter(pk=later.pk).exists()
    assert Person.objects.count() == 4
    assert Path(attachment.file.path).read_bytes() == MINUTES
    assert audit.verify_chain().ok


def test_a_restore_sets_aside_the_checkpoints_of_lost_entries_and_records_it(
    hospital, tmp_path, settings
):
    """Entries written after the backup are lost with the restore: their nightly
    checkpoint would make the restored chain fail for ever, so it is set aside (kept in a
    file of its own) and the restore's entry names it."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    backup = back_up(tmp_path / "backups")
    kept = audit_checkpoint.append(*_head())  # last night's, within the backup
    audit.record("person.create", summary={"name": "备份后新增"})  # lost with the restore
    lost = audit_checkpoint.append(*_head())  # tonight's, beyond the backup
    call_command("restore", str(backup.folder), yes=True)

    assert audit.verify_chain().ok
    assert [c.seq for c in audit_checkpoint.load()] == [kept.seq]
    aside = list(settings.AUDIT_CHECKPOINT_DIR.glob("set-aside-*.txt"))
    assert len(aside) == 1 and lost.hash in aside[0].read_text()
    entry = audit.AuditEntry.objects.get(action="audit.restore")
    assert entry.summary["lost_to_checkpoint"] == {"seq": lost.seq, "hash": lost.hash}


def _head() -> tuple[int, str]:
    head = audit.AuditHead.objects.get(pk=1)
    return head.seq, head.last_hash


def test_keep_prunes_the_oldest_backups_only(hospital, tmp_path):
    parent = tmp_path / "backups"
    unrelated = parent / "dangjian-backup-notes"  # no manifest: not a backup, never removed
    unrelated.mkdir(parents=True)
    first = back_up(parent)
    second = back_up(parent)
    third = back_up(parent, keep=2)
    assert third.pruned == [first.folder]
    remaining = sorted(p.name for p in parent.iterdir())
    assert remaining == sorted([second.folder.name, third.folder.name, unrelated.name])
    assert prune(parent, 1) == [second.folder]


def test_the_backup_command_writes_under_the_setting(hospital, tmp_path, settings):
    settings.DANGJIAN_BACKUP_DIR = tmp_path / "nightly"
    call_command("backup", keep=30)
    (folder,) = (tmp_path / "nightly").iterdir()
    assert (folder / "manifest.json").is_file()
    with pytest.raises(CommandError, match="保留份数至少为 1"):
        call_command("backup", keep=0)


def test_a_backup_of_older_code_is_migrated_on_restore(tmp_path, fresh_databases):
    older, restored = fresh_databases(), fresh_databases()
    data_dir = tmp_path / "instance"
    for args in (["migrate"], ["migrate", "meetings", "0001_initial"]):
        assert _dangjian(*args, database_url=older, data_dir=data_dir).returncode == 0
    backed_up = _dangjian(
        "backup", "--to", str(tmp_path / "b"), database_url=older, data_dir=data_dir
    )
    assert backed_up.returncode == 0, backed_up.stderr[-3000:]
    (folder,) = (tmp_path / "b").iterdir()
    assert _manifest(folder)["migrations"]["meetings"] == "0001_initial"

    result = _dangjian("restore", str(folder), database_url=restored, data_dir=data_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "已迁移到当前版本" in result.stdout
    up_to_date = _dangjian("migrate", "--check", database_url=restored, data_dir=data_dir)
    assert up_to_date.returncode == 0, up_to_date.stdout


def test_an_audit_chain_unlike_the_manifest_fails_the_restore(hospital, tmp_path):
    backup = back_up(tmp_path)
    manifest = _manifest(backup.folder)
    manifest["audit"]["entries"] = 5
    _write_manifest(backup.folder, manifest)
    with pytest.raises(
        CommandError, match="审计日志校验失败：恢复后的审计日志（4 条）与备份清单（5 条）不符"
    ):
        call_command("restore", str(backup.folder), yes=True)


def test_a_backup_that_cannot_be_written_is_one_line(hospital, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError, match="^备份失败：不是目录：.*a-file"):
        call_command("backup", parent=str(tmp_path / "a-file" / "backups"))
