"""Small helpers shared by the management commands."""

import datetime as dt
import os
import tempfile

from django.core.management.base import CommandError


def parse_date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{label}日期格式应为 YYYY-MM-DD：{value}") from exc


def write_output(path: str, content: bytes) -> None:
    """Write a command's output file whole or not at all: next to `path`, then renamed
    (a failed write leaves no half file). A refusal is the command's one-line error."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temp = tempfile.mkstemp(suffix=os.path.splitext(path)[1], dir=directory)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise
    except OSError as exc:
        raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
