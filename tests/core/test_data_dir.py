"""A fresh checkout has no data directory: the first command creates it instead of
failing on SQLite or huey files it cannot open (`make demo` on a new machine, and
`dangjian makemigrations --check`, which failed there as if models had changed)."""

import os
import subprocess
import sys

import pytest


def _dangjian(*args, **env_vars) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DANGJIAN_TESTING", "DATABASE_URL", "DEBUG", "SECRET_KEY")}  # fmt: skip
    env.update(DJANGO_SETTINGS_MODULE="dangjian.settings", **env_vars)
    return subprocess.run(
        [sys.executable, "-m", "dangjian", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("command", [["check"], ["makemigrations", "--check", "--dry-run"]])
def test_a_command_creates_the_missing_data_directory(tmp_path, command):
    data_dir = tmp_path / "fresh" / "var"
    result = _dangjian(*command, DEBUG="1", DANGJIAN_DATA_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr[-2000:]
    assert data_dir.is_dir()


def test_missing_production_keys_are_one_clear_line(tmp_path):
    result = _dangjian("check", DANGJIAN_DATA_DIR=str(tmp_path / "var"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "配置错误：SECRET_KEY must be set when DEBUG is off（开发与演示请设置 DEBUG=1）"
    ]
