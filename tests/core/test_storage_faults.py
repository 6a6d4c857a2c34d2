"""A full disk, a read-only database or a read-only data directory (issue 14): pages and
the API answer 503 with a Chinese sentence, nothing half-saved; commands end with one
Chinese line and a non-zero exit. The database's conditions are real where a test can
make them: on SQLite PRAGMA max_page_count (full) and PRAGMA query_only (read-only), on
PostgreSQL a read-only transaction; a PostgreSQL disk cannot be filled from a test, so
there the next write fails with the server's disk_full error. The media directory is
made read-only with chmod, and where the tests run as root (chmod does not stop root) the
storage raises the OSError the kernel would."""

import datetime as dt
import errno
import logging
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import DatabaseErrorWrapper
from django.test import Client
from django.urls import reverse

from dangjian.__main__ import STORAGE_FAULT_EXIT, main
from dangjian.accounts.models import Role
from dangjian.core.faults import storage_fault
from dangjian.core.models import AuditEntry
from dangjian.meetings import services as meetings
from dangjian.meetings.models import Attendance, Meeting, MeetingAttachment
from dangjian.meetings.rules import MeetingKind
from tests.factories import api_auth, make_member

DISK_FULL = "系统暂时无法保存数据：磁盘已满，请联系系统管理员。"
READ_ONLY = "系统暂时无法保存数据：数据库或数据目录只读，请联系系统管理员。"
NO_ACCESS = "系统暂时无法保存数据：数据目录没有写入权限，请联系系统管理员。"
UNAVAILABLE = "系统暂时无法打开数据库，请联系系统管理员。"
# The original errors, as each database words them.
ORIGINAL = {
    "sqlite": {"full": "database or disk is full", "read_only": "attempt to write a readonly"},
    "postgresql": {"full": "No space left on device", "read_only": "read-only transaction"},
}
PLAN = {
    "kind": MeetingKind.THEME_DAY,
    "topic": "主题党日：重温入党誓词",
    "planned_on": "2026-12-20",
}

pytestmark = pytest.mark.django_db


def sql(statement: str):
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.fixture
def secretary(world):
    """A branch big enough that a meeting's attendance rows need new database pages."""
    for _ in range(400):
        make_member(world.ha_b1)
    return world.user(Role.SECRETARY)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


class DiskFillsAfterOneWrite:
    """PostgreSQL's answer once its disk is full, from the second write on."""

    def __init__(self):
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1
            if self.writes > 1:
                with connection.wrap_database_errors:
                    raise psycopg.errors.DiskFull("could not extend file: No space left on device")
        return execute(sql, params, many, context)


@pytest.fixture
def fill_disk():
    """Call it to fill the disk (the database may not grow by a single page); it returns
    the list of SQL statements tried from then on."""
    with ExitStack() as stack:

        def fill() -> list[str]:
            tried = []

            def record(execute, sql, params, many, context):
                tried.append(sql)
                return execute(sql, params, many, context)

            stack.enter_context(connection.execute_wrapper(record))
            if connection.vendor != "sqlite":
                stack.enter_context(connection.execute_wrapper(DiskFillsAfterOneWrite()))
                return tried
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA page_count")
                pages = cursor.fetchone()[0]
                cursor.execute("PRAGMA freelist_count")
                assert cursor.fetchone()[0] == 0  # no free pages left to fill
            sql(f"PRAGMA max_page_count = {pages}")
            stack.callback(sql, "PRAGMA max_page_count = 1073741823")
            return tried

        yield fill


@pytest.fixture
def make_read_only():
    """Call it to make the database read-only (for the rest of the test)."""
    if connection.vendor == "sqlite":
        yield lambda: sql("PRAGMA query_only = ON")
        sql("PRAGMA query_only = OFF")
        return
    # Inside a savepoint, so the test's teardown (which checks constraints) may write.
    savepoint = transaction.savepoint()
    yield lambda: sql("SET TRANSACTION READ ONLY")
    transaction.savepoint_rollback(savepoint)


def nothing_saved():
    return not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_full_disk_answers_a_page_in_chinese_and_saves_nothing(
    client, world, secretary, fill_disk, caplog
):
    client.force_login(secretary)
    audit_entries = AuditEntry.objects.count()
    tried = fill_disk()
    response = client.post(f"{reverse('meetings:new')}?org={world.ha_b1.code}", PLAN)
    assert response.status_code == 503
    page = response.content.decode()
    assert DISK_FULL in page and "没有保存任何内容" in page and "Traceback" not in page
    # The meeting's row was written before its attendance rows filled the disk.
    tried = " ".join(tried)
    assert 'INSERT INTO "meetings_meeting"' in tried
    assert 'INSERT INTO "meetings_attendance"' in tried
    assert nothing_saved() and AuditEntry.objects.count() == audit_entries
    # The operator finds the original error in the log.
    logged = [record.exc_text for record in caplog.records if record.exc_text]
    assert any(ORIGINAL[connection.vendor]["full"] in text for text in logged)


def test_a_full_disk_answers_the_api_in_chinese_json(client, world, secretary, fill_disk):
    auth = api_auth(client, secretary)
    fill_disk()
    response = client.post(
        "/api/v1/meetings", {**PLAN, "org": world.ha_b1.code}, content_type="application/json",
        **auth,
    )  # fmt: skip
    assert response.status_code == 503
    assert response.json() == {"detail": DISK_FULL}
    assert nothing_saved()


def test_a_read_only_database_answers_pages_and_api_in_chinese(
    client, world, secretary, make_read_only
):
    auth = api_auth(client, secretary)
    client.force_login(secretary)
    make_read_only()

    response = client.post(f"{reverse('meetings:new')}?org={world.ha_b1.code}", PLAN)
    assert response.status_code == 503 and READ_ONLY in response.content.decode()
    api = client.post(
        "/api/v1/meetings", {**PLAN, "org": world.ha_b1.code}, content_type="application/json",
        **auth,
    )  # fmt: skip
    assert api.status_code == 503 and api.json() == {"detail": READ_ONLY}
    # Even a page that only reads saves the session: not a 400 "bad request".
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 503 and READ_ONLY in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    ("code", "message"),
    [(errno.EACCES, NO_ACCESS), (errno.EROFS, READ_ONLY), (errno.ENOSPC, DISK_FULL)],
    ids=["EACCES", "EROFS", "ENOSPC"],
)
def test_an_unwritable_media_directory_answers_in_chinese(
    client, world, settings, monkeypatch, code, message
):
    meeting = meetings.plan_meeting(world.ha_b1, kind=MeetingKind.THEME_DAY, topic="学习",
                                    planned_on=dt.date(2026, 12, 20))  # fmt: skip
    client.force_login(world.user(Role.SECRETARY))
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True)
    media.chmod(0o500)
    real_save = FileSystemStorage._save

    def save_as_the_kernel_would(storage, name, content):
        if code == errno.EACCES and not os.access(media, os.W_OK, effective_ids=True):
            return real_save(storage, name, content)  # not root: chmod refuses for real
        raise OSError(code, os.strerror(code), str(media / name))

    monkeypatch.setattr(FileSystemStorage, "_save", save_as_the_kernel_would)
    try:
        response = client.post(
            reverse("meetings:detail", args=[meeting.pk]),
            {"action": "upload", "file": SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4")},
        )
    finally:
        media.chmod(0o700)
    assert response.status_code == 503 and message in response.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_a_command_ends_with_one_chinese_line(world, make_read_only, monkeypatch, capsys):
    world.user(Role.OFFICE)
    make_read_only()
    monkeypatch.setattr(sys, "argv", ["dangjian", "unlock", "office-a"])
    # A command closes the connections as it ends; the test's one must outlive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == STORAGE_FAULT_EXIT
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(READ_ONLY)
    assert ORIGINAL[connection.vendor]["read_only"] in lines[0]  # for the operator


def test_other_errors_still_reach_the_500_page(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("不是存储故障")

    monkeypatch.setattr(meetings, "plan_meeting", broken)
    client.force_login(world.user(Role.SECRETARY))
    logging.getLogger("django.request").disabled = True
    try:
        response = client.post(f"{reverse('meetings:new')}?org={world.ha_b1.code}", PLAN)
    finally:
        logging.getLogger("django.request").disabled = False
    assert response.status_code == 500 and "服务器出错" in response.content.decode()


def test_a_database_that_cannot_be_opened_ends_a_command_with_one_line(tmp_path):
    missing = tmp_path / "no-such-directory" / "dangjian.sqlite3"
    env = {**os.environ, "DANGJIAN_TESTING": "1", "DATABASE_URL": f"sqlite:///{missing}"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dangjian"), "migrate"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == STORAGE_FAULT_EXIT
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(UNAVAILABLE), result.stderr
    assert "unable to open database file" in lines[0]


def test_a_data_directory_that_cannot_be_made_ends_a_command_with_one_line(tmp_path):
    (tmp_path / "a-file").write_text("")
    env = {**os.environ, "DEBUG": "1", "DANGJIAN_DATA_DIR": str(tmp_path / "a-file" / "var")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dangjian"), "check"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("数据目录无法创建："), result.stderr


@pytest.mark.parametrize(
    ("sqlstate", "message"), [("25006", READ_ONLY), ("53100", DISK_FULL)],
    ids=["read_only_sql_transaction", "disk_full"],
)  # fmt: skip
def test_postgresql_faults_are_recognised(sqlstate, message):
    """As the PostgreSQL backend raises them: psycopg's error wrapped in Django's."""
    pg_backend = SimpleNamespace(Database=psycopg)
    with pytest.raises(DatabaseError) as raised, DatabaseErrorWrapper(pg_backend):
        raise psycopg.errors.lookup(sqlstate)("cannot execute INSERT")
    assert isinstance(raised.value.__cause__, psycopg.Error)
    assert storage_fault(raised.value) == message


def test_other_database_errors_are_not_storage_faults():
    with pytest.raises(DatabaseError) as raised, DatabaseErrorWrapper(connection):
        raise connection.Database.OperationalError("no such table: nowhere")
    assert storage_fault(raised.value) is None
    assert storage_fault(FileNotFoundError(errno.ENOENT, "No such file")) is None
