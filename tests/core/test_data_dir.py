"""A fresh checkout has no data directory: the first command creates it instead of
failing on SQLite or huey files it cannot open (`make demo` on a new machine)."""

import os
import subprocess
import sys


def test_a_command_creates_the_missing_data_directory(tmp_path):
    data_dir = tmp_path / "fresh" / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DANGJIAN_TESTING", "DATABASE_URL")}
    env.update(
        DEBUG="1", DANGJIAN_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dangjian.settings"
    )
    result = subprocess.run(
        [sys.executable, "-m", "dangjian", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert data_dir.is_dir()
