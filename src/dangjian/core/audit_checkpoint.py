"""Signed checkpoints of the audit chain's head, kept outside the database.

One JSON line per checkpoint (position, hash, time, HMAC signature under the audit key),
appended to `checkpoints.jsonl` in settings.AUDIT_CHECKPOINT_DIR (0700, files 0600) and
logged through `dangjian.audit.checkpoint`, which operators route to syslog. Whoever
rewrites the database cannot rewrite these, so `verify_chain` holds the chain to them.
Every `*.jsonl` file in the directory is read: a line copied back from syslog counts too.
"""

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit_key import sign, signature_matches

logger = logging.getLogger("dangjian.audit.checkpoint")

FILE_NAME = "checkpoints.jsonl"


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted; `reason` says why, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    signature: str = ""

    def fields(self) -> dict:
        return {"kind": "checkpoint", "seq": self.seq, "hash": self.hash, "at": self.at}

    def line(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at, "sig": self.signature},
            separators=(",", ":"),
        )


def directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def append(seq: int, last_hash: str) -> Checkpoint:
    """Sign the head at `seq` and append it to the file and the log."""
    unsigned = Checkpoint(seq, last_hash, timezone.now().isoformat())
    checkpoint = Checkpoint(seq, last_hash, unsigned.at, sign(unsigned.fields()))
    _append_line(checkpoint.line())
    logger.info("%s", checkpoint.line())
    return checkpoint


def _append_line(line: str) -> None:
    folder = directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode is subject to the umask
    fd = os.open(folder / FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def load() -> list[Checkpoint]:
    """Every checkpoint in the directory, each with its signature checked."""
    folder = directory()
    if not folder.is_dir():
        return []
    checkpoints = []
    for path in sorted(folder.glob("*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, ValueError) as exc:
            raise CheckpointError(
                _("检查点文件 %(file)s 无法读取：%(error)s") % {"file": path.name, "error": exc}
            ) from exc
        for number, line in enumerate(lines, start=1):
            if line.strip():
                checkpoints.append(_parse(line, path.name, number))
    return checkpoints


def set_aside_beyond(seq: int) -> Checkpoint | None:
    """After a restore the chain ends at `seq`: checkpoints of later entries (lost with
    the restore) move out of the checked files into `set-aside-<time>.txt`, kept for the
    record. Returns the newest one set aside, or None."""
    folder = directory()
    if not folder.is_dir():
        return None
    beyond: list[tuple[Checkpoint, str]] = []
    for path in sorted(folder.glob("*.jsonl")):
        kept, moved = [], False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            checkpoint = _parse(line, path.name, number)
            if checkpoint.seq > seq:
                beyond.append((checkpoint, line))
                moved = True
            else:
                kept.append(line)
        if moved:
            temporary = path.with_suffix(".tmp")
            temporary.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
            temporary.chmod(0o600)
            temporary.replace(path)
    if not beyond:
        return None
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    record = folder / f"set-aside-{stamp}.txt"
    with record.open("a", encoding="utf-8") as out:
        out.writelines(line + "\n" for _checkpoint, line in beyond)
    record.chmod(0o600)
    return max((checkpoint for checkpoint, _line in beyond), key=lambda c: c.seq)


def _parse(line: str, file_name: str, number: int) -> Checkpoint:
    where = {"file": file_name, "line": number}
    try:
        raw = json.loads(line)
        checkpoint = Checkpoint(int(raw["seq"]), str(raw["hash"]), str(raw["at"]), str(raw["sig"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(
            _("检查点文件 %(file)s 第 %(line)d 行无法识别（检查点被篡改）") % where
        ) from exc
    if not signature_matches(checkpoint.fields(), checkpoint.signature):
        raise CheckpointError(
            _("检查点文件 %(file)s 第 %(line)d 行签名无效（检查点被篡改）") % where
        )
    return checkpoint
