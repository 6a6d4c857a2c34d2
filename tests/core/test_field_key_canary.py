"""A wrong DANGJIAN_FIELD_KEY is found at start-up (issue 14): a known value encrypted
with the key when the database is first migrated must decrypt, or the system check
refuses the key with one line."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from dangjian.core import crypto
from dangjian.core.fieldkey import CANARY_PLAINTEXT, ensure_canary, field_key_problem
from dangjian.core.models import FieldKeyCanary
from dangjian.orgs.models import OrgKind
from tests.factories import PersonFactory, add_org

OTHER_KEY = "00112233445566778899aabbccddeeff"

pytestmark = pytest.mark.django_db


def test_migrating_stores_the_canary_and_the_right_key_passes():
    canary = FieldKeyCanary.objects.get()
    assert canary.ciphertext != CANARY_PLAINTEXT
    assert crypto.decrypt(canary.ciphertext) == CANARY_PLAINTEXT
    assert field_key_problem() is None
    call_command("check")  # no error


def test_a_wrong_key_is_refused_with_one_line(settings):
    settings.FIELD_KEY = OTHER_KEY
    problem = field_key_problem()
    assert "DANGJIAN_FIELD_KEY" in problem and "密钥错误" in problem
    assert "\n" not in problem
    with pytest.raises(SystemCheckError, match="core.E001"):
        call_command("check")


def test_a_malformed_key_is_refused_with_one_line(settings):
    settings.FIELD_KEY = "abcd"
    assert field_key_problem() == (
        "字段加密密钥 DANGJIAN_FIELD_KEY 格式错误：须为 32 位十六进制数。"
    )


def test_existing_data_without_a_canary_get_one_when_they_decrypt():
    FieldKeyCanary.objects.all().delete()
    PersonFactory(organization=add_org(None, "H1", OrgKind.COMMITTEE))
    assert field_key_problem() is None
    ensure_canary()
    assert crypto.decrypt(FieldKeyCanary.objects.get().ciphertext) == CANARY_PLAINTEXT


def test_existing_data_a_wrong_key_cannot_read_get_no_canary(settings):
    FieldKeyCanary.objects.all().delete()
    PersonFactory(
        organization=add_org(None, "H1", OrgKind.COMMITTEE)
    )  # encrypted with the right key
    settings.FIELD_KEY = OTHER_KEY
    ensure_canary()
    assert not FieldKeyCanary.objects.exists()
    assert "密钥错误" in field_key_problem()


def test_an_empty_database_takes_the_key_it_is_given(settings):
    FieldKeyCanary.objects.all().delete()
    settings.FIELD_KEY = OTHER_KEY
    ensure_canary()
    assert field_key_problem() is None
    settings.FIELD_KEY = ""  # the derived development key is another key
    assert "密钥错误" in field_key_problem()


def test_a_wrong_key_is_refused_before_the_canary_is_migrated(settings, monkeypatch):
    """An installation upgrading to the canary: `migrate` checks before it creates the
    table, and the data already stored refuse the wrong key."""
    PersonFactory(organization=add_org(None, "H1", OrgKind.COMMITTEE))
    introspection = connection.introspection
    tables = [t for t in introspection.table_names() if t != FieldKeyCanary._meta.db_table]
    monkeypatch.setattr(introspection, "table_names", lambda *args, **kwargs: tables)
    assert field_key_problem() is None
    settings.FIELD_KEY = OTHER_KEY
    assert "密钥错误" in field_key_problem()
