"""The audit key lives outside the database: required in production, checked for shape."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.core import audit
from dangjian.core.audit_key import audit_key


def test_production_settings_refuse_to_start_without_the_audit_key(monkeypatch):
    import dangjian.settings as settings_module

    monkeypatch.setenv("DANGJIAN_TESTING", "0")
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DANGJIAN_FIELD_KEY", "00" * 16)
    monkeypatch.delenv("DANGJIAN_AUDIT_KEY", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured, match="DANGJIAN_AUDIT_KEY"):
            importlib.reload(settings_module)
        monkeypatch.setenv("DANGJIAN_AUDIT_KEY", "ab" * 32)
        assert importlib.reload(settings_module).AUDIT_KEY == "ab" * 32
    finally:
        monkeypatch.setenv("DANGJIAN_TESTING", "1")
        importlib.reload(settings_module)


@pytest.mark.parametrize("raw", ["ab" * 16, "zz" * 32, "ab" * 33])
def test_a_key_that_is_not_64_hex_digits_is_refused(settings, raw):
    settings.AUDIT_KEY = raw
    with pytest.raises(ImproperlyConfigured, match="64 hex digits"):
        audit_key()


@pytest.mark.django_db
def test_a_configured_key_is_the_one_used(settings):
    settings.AUDIT_KEY = "ab" * 32
    assert audit_key() == bytes.fromhex("ab" * 32)
    audit.record("test.action")
    assert audit.verify_chain().ok
    settings.AUDIT_KEY = "cd" * 32
    assert not audit.verify_chain().ok
