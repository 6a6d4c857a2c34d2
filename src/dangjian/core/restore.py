"""Restoring a backup of `dangjian backup` (core.backup) into the configured database
and MEDIA_ROOT: every file is checked against the manifest, and the vendor, the code's
migrations and the target database are checked, before anything is changed."""

import datetime as dt
import json
import os
import secrets
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from . import audit, audit_checkpoint
from .backup import (
    DATABASE_FILE,
    FORMAT,
    MANIFEST,
    MEDIA,
    BackupError,
    one_line_errors,
    sha256_of,
)
from .datacache import VERSION_TABLE
from .models import AuditEntry, AuditHead
from .pgtools import pg_command, pg_tool, run_tool

# Filled by migrations, not by people: a freshly migrated database still counts as empty.
_AUTOMATIC_TABLES = {"django_content_type", "auth_permission"}


@dataclass
class Restored:
    created_at: str
    vendor: str
    media_files: int
    migrated: bool
    chain: audit.ChainReport
    chain_problem: str = ""  # the chain verifies but differs from the manifest's state

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.chain_problem


def restore(folder: Path, *, overwrite: bool = False) -> Restored:
    """Restore the backup in `folder` into the configured database and MEDIA_ROOT.

    Refuses, changing nothing, a folder whose files do not match the manifest, a backup
    of another database vendor or of newer code, and a database that holds data unless
    `overwrite`. Migrates a backup of older code, then verifies the audit chain."""
    with one_line_errors():
        return _restore(Path(folder), overwrite)


def _restore(folder: Path, overwrite: bool) -> Restored:
    manifest = read_manifest(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("备份来自 {backup} 数据库，当前配置的是 {current}，不能恢复。").format(
                backup=vendor, current=connection.vendor
            )
        )
    verify_files(folder, manifest)
    _refuse_newer_backup(manifest)
    if not overwrite and holds_data():
        raise BackupError(_("当前数据库中已有数据，恢复会覆盖它；确认覆盖请加 --yes。"))
    database = folder / DATABASE_FILE[vendor]
    if vendor == "sqlite":
        _restore_sqlite(database)
    else:
        _restore_postgresql(database)
    media_files = _restore_media(folder, manifest, Path(settings.MEDIA_ROOT))
    migrated = _migrate_if_behind()
    _renew_data_versions()
    # The entries written after the backup are gone with the restore: their checkpoints
    # are set aside (kept) and the loss is recorded in the chain itself.
    lost = audit_checkpoint.set_aside_beyond(manifest["audit"]["entries"])
    chain = audit.verify_chain()
    restored = Restored(
        created_at=manifest["created_at"],
        vendor=vendor,
        media_files=media_files,
        migrated=migrated,
        chain=chain,
        chain_problem=_chain_against_manifest(manifest["audit"]) if chain.ok else "",
    )
    if restored.ok:
        audit.record("audit.restore", object_type="backup", object_id=folder.name[:64], summary={
            "backup_created_at": manifest["created_at"],
            "entries": manifest["audit"]["entries"],
            "lost_to_checkpoint": {"seq": lost.seq, "hash": lost.hash} if lost else None,
        })  # fmt: skip
    return restored


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(_("不是备份文件夹（缺少 manifest.json）：{folder}").format(folder=folder))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        well_formed = (
            manifest["database"]["vendor"] in DATABASE_FILE
            and all(
                isinstance(name, str)
                and isinstance(f["sha256"], str)
                and isinstance(f["size"], int)
                for name, f in manifest["files"].items()
            )
            and all(isinstance(name, str) for name in manifest["migrations"].values())
            and isinstance(manifest["audit"]["entries"], int)
            and isinstance(manifest["audit"]["last_hash"], str)
        )
        dt.datetime.fromisoformat(manifest["created_at"])
    except (ValueError, KeyError, TypeError, AttributeError):
        well_formed = False
    if not well_formed:
        raise BackupError(_("manifest.json 已损坏，无法读取。"))
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不支持的备份格式：{format}").format(format=manifest.get("format")))
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    """Every file listed is there with its size and checksum, and nothing else is."""
    listed = manifest["files"]
    if DATABASE_FILE[manifest["database"]["vendor"]] not in listed:
        raise BackupError(_("备份清单中没有数据库文件。"))
    for relative, expected in listed.items():
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts:
            raise BackupError(_("备份清单中的路径不合法：{path}").format(path=relative))
        local = folder / path
        if not local.is_file():
            raise BackupError(_("备份缺少文件：{path}").format(path=relative))
        if local.stat().st_size != expected["size"] or sha256_of(local) != expected["sha256"]:
            raise BackupError(_("备份文件校验失败（已损坏或被改动）：{path}").format(path=relative))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    extra = sorted(present - set(listed) - {MANIFEST})
    if extra:
        raise BackupError(_("备份中有清单未列出的文件：{path}").format(path=extra[0]))


def _refuse_newer_backup(manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, name in manifest["migrations"].items():
        if (app, name) not in known:
            raise BackupError(
                _("备份来自更新版本的程序（{app}.{name} 不在本程序中），请先升级程序。").format(
                    app=app, name=name
                )
            )


def holds_data() -> bool:
    """Whether any of the app's tables has a row (beyond what migrations fill in)."""
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        for table in sorted(set(tables) - _AUTOMATIC_TABLES):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return True
    return False


def _restore_sqlite(source: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    with closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as backup:
        with closing(sqlite3.connect(name, timeout=30)) as target:
            backup.backup(target)


def _restore_postgresql(source: Path) -> None:
    tool = pg_tool("pg_restore", connection)
    connection.close()
    options = ("--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error")
    command, env = pg_command(tool, connection.settings_dict, *options, str(source))
    run_tool(command, env)


def _restore_media(folder: Path, manifest: dict, media_root: Path) -> int:
    count = 0
    for relative in manifest["files"]:
        path = PurePosixPath(relative)
        if path.parts[0] != MEDIA:
            continue
        target = media_root.joinpath(*path.parts[1:])
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(folder / path, target)
        os.chmod(target, 0o600)
        count += 1
    return count


def _migrate_if_behind() -> bool:
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def _renew_data_versions() -> None:
    """New random versions, as the migration starts them: cached figures keyed by the
    versions that followed the backup belong to data that is no longer there."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit FROM {VERSION_TABLE}")
        units = [row[0] for row in cursor.fetchall()]
        cursor.executemany(
            f"UPDATE {VERSION_TABLE} SET n = %s WHERE unit = %s",
            [(secrets.randbits(48), unit) for unit in units],
        )


def _chain_against_manifest(expected: dict) -> str:
    entries = AuditEntry.objects.count()
    head = AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first()
    if entries != expected["entries"] or (head or audit.GENESIS) != expected["last_hash"]:
        return _("恢复后的审计日志（{entries} 条）与备份清单（{expected} 条）不符").format(
            entries=entries, expected=expected["entries"]
        )
    return ""
