"""Production start-up, run as an operator would (issue 14): `dangjian check --deploy` is
clean but for HSTS preload, and a wrong DANGJIAN_FIELD_KEY stops `check` and gunicorn with
one line. Each command runs in its own process with production settings (DEBUG and
DANGJIAN_TESTING unset) on a database migrated once for the module."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
FIELD_KEY = secrets.token_hex(16)
WRONG_KEY = secrets.token_hex(16)
WRONG_KEY_LINE = "字段加密密钥 DANGJIAN_FIELD_KEY 与数据库中的加密数据不符"
# Only what any process needs: the rest of the test run's environment (DEBUG,
# DANGJIAN_TESTING, DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE…) stays out.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def production_env(data_dir: Path, field_key: str = FIELD_KEY) -> dict:
    env = {name: os.environ[name] for name in KEPT if name in os.environ}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DANGJIAN_FIELD_KEY=field_key,
        DANGJIAN_AUDIT_KEY=secrets.token_hex(32),
        ALLOWED_HOSTS="dangjian.example.org,127.0.0.1",
        DANGJIAN_DATA_DIR=str(data_dir),
    )
    return env


def dangjian(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "dangjian"), *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A production data directory whose database was migrated with FIELD_KEY."""
    path = tmp_path_factory.mktemp("production")
    migrated = dangjian("migrate", "-v", "0", env=production_env(path))
    assert migrated.returncode == 0, migrated.stderr
    return path


def test_deploy_check_is_clean_but_for_hsts_preload(data_dir):
    result = dangjian("check", "--deploy", env=production_env(data_dir))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert set(re.findall(r"\((\w+\.[EWCI]\d+)\)", output)) == {"security.W021"}, output


def test_check_refuses_a_wrong_field_key(data_dir):
    right = dangjian("check", env=production_env(data_dir))
    assert right.returncode == 0, right.stderr
    wrong = dangjian("check", env=production_env(data_dir, WRONG_KEY))
    assert wrong.returncode != 0
    assert "core.E001" in wrong.stderr and WRONG_KEY_LINE in wrong.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "dangjian.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
        ],  # fmt: skip
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_gunicorn_refuses_to_start_with_a_wrong_field_key(data_dir):
    server = _gunicorn(production_env(data_dir, WRONG_KEY), _free_port())
    try:
        _, stderr = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode == 4  # gunicorn's "App failed to load"
    assert f"{WRONG_KEY_LINE}" in stderr and "Traceback" not in stderr


def test_gunicorn_serves_with_the_right_field_key(data_dir):
    port = _free_port()
    server = _gunicorn(production_env(data_dir), port)
    try:
        status = None
        deadline = time.monotonic() + 60
        while status is None and time.monotonic() < deadline and server.poll() is None:
            request = urllib.request.Request(
                # A page without static files (they are collected only on deployment).
                f"http://127.0.0.1:{port}/api/v1/openapi.json",
                headers={"X-Forwarded-Proto": "https"},  # as the TLS proxy says
            )
            try:
                status = urllib.request.urlopen(request, timeout=5).status
            except urllib.error.HTTPError as answer:  # the app answered
                status = answer.code
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        # The document needs a login in production (DANGJIAN_API_DOCS_LOGIN): a Chinese
        # 401 from the app proves it loaded and serves.
        assert status == 401, server.poll()
    finally:
        server.terminate()
        server.wait(timeout=30)
