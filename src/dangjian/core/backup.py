"""Backups that restore (SPEC.md §5): one folder per backup holding the database, the
uploaded files and `manifest.json` (a SHA-256 checksum and size of every file, the
database vendor, the time, the app version, the migrations applied and the audit
chain's state). A restore (core.restore) checks all of it before it changes anything.

SQLite is copied with its online backup API and PostgreSQL with `pg_dump`, both safe
while the app runs; the manifest's migrations and audit state are read from the same
snapshot as the copy. The keys (SECRET_KEY, DANGJIAN_FIELD_KEY, DANGJIAN_AUDIT_KEY) are
never written into a backup: they are kept apart (docs/backup.md).
"""

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import AuditEntry, AuditHead
from .pending_uploads import UPLOAD_DIR
from .pgtools import pg_command, pg_tool, run_tool

FORMAT = 1
PREFIX = "dangjian-backup-"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A refusal or failure in one Chinese line; a refused restore has changed nothing."""


_OS_ERRORS = {
    errno.ENOSPC: gettext_lazy("磁盘空间不足"),
    errno.EACCES: gettext_lazy("没有权限"),
    errno.EPERM: gettext_lazy("没有权限"),
    errno.EROFS: gettext_lazy("文件系统只读"),
    errno.ENOENT: gettext_lazy("找不到文件或目录"),
    errno.ENOTDIR: gettext_lazy("不是目录"),
    errno.EEXIST: gettext_lazy("已有同名文件"),
}


@contextmanager
def one_line_errors():
    """A full disk, a folder not writable, a locked database: one line, not a traceback."""
    try:
        yield
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno, exc.strerror or str(exc))
        raise BackupError(f"{reason}：{exc.filename}" if exc.filename else reason) from exc
    except sqlite3.Error as exc:
        raise BackupError(_("SQLite 出错：{error}").format(error=exc)) from exc


@dataclass
class Backup:
    folder: Path
    files: int
    size: int
    pruned: list[Path] = field(default_factory=list)


# --- backing up ------------------------------------------------------------------------


def back_up(parent: Path | None = None, keep: int | None = None) -> Backup:
    """Write a new backup folder under `parent` (DANGJIAN_BACKUP_DIR), then keep only the
    newest `keep` backups there."""
    if keep is not None and keep < 1:
        raise BackupError(_("保留份数至少为 1。"))
    vendor = connection.vendor
    if vendor not in DATABASE_FILE:
        raise BackupError(_("不支持备份该类数据库：{vendor}").format(vendor=vendor))
    parent = Path(parent or settings.DANGJIAN_BACKUP_DIR)
    with one_line_errors():
        backup = _write_backup(parent, vendor)
        if keep:
            backup.pruned = prune(parent, keep)
    return backup


def _write_backup(parent: Path, vendor: str) -> Backup:
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Built under a hidden name and renamed when complete: a folder that crashed halfway
    # never looks like a backup, and pruning never counts it.
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=parent))
    try:
        database = work / DATABASE_FILE[vendor]
        if vendor == "sqlite":
            state = _copy_sqlite(database)
        else:
            state = _dump_postgresql(database)
        # After the database: every file its rows name was uploaded before the snapshot.
        _copy_media(Path(settings.MEDIA_ROOT), work / MEDIA)
        _make_private(work)
        created = timezone.now()
        manifest = {
            "format": FORMAT,
            "created_at": created.astimezone(dt.UTC).isoformat(),
            "app_version": metadata.version("dangjian"),
            "database": {"vendor": vendor, "file": database.name},
            **state,
            "files": _checksums(work),
        }
        _write_private(work / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        folder = _free_name(parent, timezone.localtime(created))
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = manifest["files"].values()
    return Backup(folder, len(files), sum(f["size"] for f in files))


def _copy_sqlite(target: Path) -> dict:
    name = str(connection.settings_dict["NAME"])
    if not Path(name).is_file():
        raise BackupError(_("找不到数据库文件：{name}").format(name=name))
    with closing(sqlite3.connect(name, timeout=30)) as source:
        with closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            return _snapshot_state(copy.cursor())


def _dump_postgresql(target: Path) -> dict:
    if connection.in_atomic_block:
        raise BackupError(_("不能在事务中备份。"))
    tool = pg_tool("pg_dump", connection)
    # pg_dump reads the snapshot this transaction exports, so the manifest's state is the
    # dump's state even while the app keeps writing.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _snapshot_state(cursor)
        command, env = pg_command(
            tool, connection.settings_dict, "-Fc", f"--snapshot={snapshot}", f"--file={target}"
        )
        run_tool(command, env)
    return state


def _snapshot_state(cursor) -> dict:
    """The last migration applied per app and the audit chain's length and head, read
    through `cursor` (a DB-API cursor on the copy or inside the dump's snapshot)."""
    cursor.execute("SELECT app, name FROM django_migrations")
    last: dict[str, str] = {}
    for app, name in cursor.fetchall():
        last[app] = max(last.get(app, ""), name)  # names are numbered: 0002_… after 0001_…
    cursor.execute(f"SELECT COUNT(*) FROM {AuditEntry._meta.db_table}")
    entries = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_hash FROM {AuditHead._meta.db_table} WHERE id = 1")
    head = cursor.fetchone()
    return {
        "migrations": dict(sorted(last.items())),
        "audit": {"entries": entries, "last_hash": head[0] if head else audit.GENESIS},
    }


def _copy_media(media_root: Path, target: Path) -> None:
    """Copy the uploaded files, not the roster uploads waiting for confirmation (they
    are removed within hours and need not outlive them in a backup)."""
    if not media_root.is_dir():
        return
    for root, dirs, files in os.walk(media_root):
        here = Path(root).relative_to(media_root)
        if here == Path("."):
            dirs[:] = [d for d in dirs if d != UPLOAD_DIR]
        for name in files:
            source = Path(root) / name
            if source.is_symlink() or not source.is_file():
                continue
            (target / here).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / here / name)


def _make_private(folder: Path) -> None:
    """Backups hold personal data: readable by the app's own user only."""
    for root, _dirs, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in files:
            os.chmod(Path(root) / name, 0o600)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _checksums(folder: Path) -> dict:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        files[relative] = {"sha256": sha256_of(path), "size": path.stat().st_size}
    return files


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _free_name(parent: Path, when: dt.datetime) -> Path:
    stem = PREFIX + when.strftime("%Y%m%d-%H%M%S")
    folder, n = parent / stem, 1
    while folder.exists():  # two backups within a second
        n += 1
        folder = parent / f"{stem}-{n}"
    return folder


def prune(parent: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` complete backups in `parent` (only folders this
    command wrote: named dangjian-backup-… and holding a manifest)."""
    backups = []
    for folder in parent.glob(PREFIX + "*"):
        try:
            created = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["created_at"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        backups.append((str(created), folder.name, folder))
    backups.sort(reverse=True)
    old = [folder for *_, folder in backups[keep:]]
    for folder in old:
        shutil.rmtree(folder)
    return old
