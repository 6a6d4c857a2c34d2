import pytest
from django.db import connection

from dangjian.accounts import tasks as account_tasks
from dangjian.accounts.models import Role
from dangjian.core import tasks
from dangjian.core.models import Notice
from dangjian.core.services import mark_read, send_notice
from tests.core.audit_tamper import rows
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_notify_job_fills_the_inboxes(two_hospitals):
    a, b = make_user("a"), make_user("b")
    # huey runs in immediate mode under tests: the call executes the job and returns its result.
    assert tasks.notify([a.pk, b.pk], "明天主题党日", "请准时参加").get() == 2
    assert Notice.objects.filter(title="明天主题党日").count() == 2


def test_inactive_users_get_nothing(db):
    a = make_user("a", is_active=False)
    assert tasks.notify([a.pk], "提醒").get() == 0


def test_mark_read_only_touches_own_notices(db):
    a, b = make_user("a"), make_user("b")
    send_notice([a], "给甲")
    notice = Notice.objects.get()
    assert not mark_read(b, notice.pk)
    assert mark_read(a, notice.pk)
    assert not mark_read(a, notice.pk)  # already read


def test_nightly_audit_check_warns_auditors_when_the_chain_breaks(two_hospitals):
    from dangjian.core import audit

    _, (ha, *_), _ = two_hospitals
    auditor = make_user("aud", Role.AUDITOR, ha)
    entry = audit.record("x")
    assert account_tasks.nightly_audit_check.call_local() is True
    rows(connection, "UPDATE core_auditentry SET action = 'y' WHERE id = %s", [entry.pk])
    assert account_tasks.nightly_audit_check.call_local() is False
    assert Notice.objects.filter(recipient=auditor, kind="audit").exists()


def test_huey_uses_redis_when_configured(monkeypatch):
    import importlib

    import dangjian.settings as settings_module

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    reloaded = importlib.reload(settings_module)
    try:
        assert reloaded.HUEY["huey_class"] == "huey.RedisHuey"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(settings_module)
    assert settings_module.HUEY["huey_class"] == "huey.SqliteHuey"


def test_production_settings_refuse_to_start_without_keys(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import dangjian.settings as settings_module

    monkeypatch.setenv("DANGJIAN_TESTING", "0")
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
            importlib.reload(settings_module)
        monkeypatch.setenv("SECRET_KEY", "x" * 50)
        monkeypatch.delenv("DANGJIAN_FIELD_KEY", raising=False)
        with pytest.raises(ImproperlyConfigured, match="DANGJIAN_FIELD_KEY"):
            importlib.reload(settings_module)
        monkeypatch.setenv("DANGJIAN_FIELD_KEY", "00" * 16)
        monkeypatch.setenv("DANGJIAN_AUDIT_KEY", "00" * 32)
        production = importlib.reload(settings_module)
        assert production.SESSION_COOKIE_SECURE and production.SECURE_HSTS_SECONDS >= 31536000
    finally:
        monkeypatch.setenv("DANGJIAN_TESTING", "1")
        importlib.reload(settings_module)


def test_the_nightly_job_gives_sqlite_planner_statistics(two_hospitals):
    ran = tasks.nightly_planner_statistics.call_local()
    if connection.vendor != "sqlite":
        assert ran is False  # PostgreSQL's autovacuum keeps its own
        return
    assert ran is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'orgs_organization'")
        assert cursor.fetchone() is not None
