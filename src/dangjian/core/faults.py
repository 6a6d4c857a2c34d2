"""Faults of the storage under the application: a full disk, a read-only database or
data directory, a database file that cannot be opened. They are the operator's to fix,
so users get one clear Chinese sentence (pages and API: core.errors; commands:
dangjian.__main__) instead of a traceback, and the operator gets the original error in
the log."""

import errno
import sqlite3

from django.db import Error as DjangoDatabaseError
from django.utils.translation import gettext as _


def _messages() -> dict[str, str]:
    return {
        "full": _("系统暂时无法保存数据：磁盘已满，请联系系统管理员。"),
        "read_only": _("系统暂时无法保存数据：数据库或数据目录只读，请联系系统管理员。"),
        "no_access": _("系统暂时无法保存数据：数据目录没有写入权限，请联系系统管理员。"),
        "unavailable": _("系统暂时无法打开数据库，请联系系统管理员。"),
    }


# SQLite says what went wrong in its message only.
SQLITE_FAULTS = {
    "database or disk is full": "full",
    "attempt to write a readonly database": "read_only",
    "unable to open database file": "unavailable",
}
# PostgreSQL's SQLSTATE codes: read_only_sql_transaction, disk_full.
POSTGRESQL_FAULTS = {"25006": "read_only", "53100": "full"}
OS_FAULTS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read_only",
    errno.EACCES: "no_access",
}


def storage_fault(exc: BaseException | None) -> str | None:
    """The Chinese message when `exc` (or an error it was raised from) is a storage
    fault, else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = _kind(exc)
        if kind:
            return _messages()[kind]
        exc = exc.__cause__ or exc.__context__
    return None


def _kind(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno in OS_FAULTS:
        return OS_FAULTS[exc.errno]
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if sqlstate in POSTGRESQL_FAULTS:
        return POSTGRESQL_FAULTS[sqlstate]
    if isinstance(exc, DjangoDatabaseError | sqlite3.Error):
        text = str(exc).lower()
        return next((kind for words, kind in SQLITE_FAULTS.items() if words in text), None)
    return None
