"""Running PostgreSQL's client tools (pg_dump, pg_restore) against the configured
database: the binary that matches the server, the connection from settings.DATABASES, the
password in the environment (PGPASSWORD), never on the command line."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db.backends.postgresql.client import DatabaseClient
from django.utils.translation import gettext as _

# Debian and Ubuntu install each major version's tools side by side, off PATH.
_DEBIAN_BIN = Path("/usr/lib/postgresql")


class ToolError(Exception):
    """A missing or failed tool, in one Chinese line."""


def pg_tool(name: str, connection) -> str:
    """The path of `name` for the server's major version: that version's, else the
    nearest newer one (the tools read older servers, never newer ones), else PATH's."""
    major = connection.pg_version // 10000
    installed = {}
    for bin_dir in _DEBIAN_BIN.glob("*/bin"):
        version = re.fullmatch(r"\d+", bin_dir.parent.name)
        if version and (bin_dir / name).is_file():
            installed[int(version.group())] = str(bin_dir / name)
    suitable = sorted(v for v in installed if v >= major)
    if suitable:
        return installed[suitable[0]]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise ToolError(
        _("找不到 {tool}：请安装 PostgreSQL {major} 的客户端工具（postgresql-client）。").format(
            tool=name, major=major
        )
    )


def pg_command(tool: str, settings_dict: dict, *arguments: str) -> tuple[list[str], dict]:
    """The command line and the environment variables for `tool` on the database of
    `settings_dict` (Django's own mapping of the settings to libpq's variables)."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    command = [tool]
    for option, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    if settings_dict.get("NAME"):
        command.append(f"--dbname={settings_dict['NAME']}")
    return [*command, *arguments], env or {}


def run_tool(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [str(result.returncode)]
        raise ToolError(
            _("{tool} 失败：{reason}").format(tool=Path(command[0]).name, reason=lines[-1])
        )
