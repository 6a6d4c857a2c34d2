"""Is DANGJIAN_FIELD_KEY the key the database's personal fields were encrypted with?

A known value (the canary) is encrypted with the key the first time the database is
migrated; the system check (`check`, `migrate`, `runserver`) and the WSGI start-up
(`dangjian.wsgi`, so gunicorn) decrypt it and refuse a wrong key with one line. A
database that already holds encrypted fields from before the canary gets one only when
one of those fields decrypts with the key.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

from . import crypto
from .models import FieldKeyCanary

CANARY_PLAINTEXT = "dangjian field key canary"


def field_key_problem(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """One line saying why the key cannot be used, or None when it reads the data (or
    there is nothing to read yet: no canary and no encrypted values)."""
    try:
        crypto.field_key()
    except ValueError:
        return _("字段加密密钥 DANGJIAN_FIELD_KEY 格式错误：须为 32 位十六进制数。")
    try:
        # Before the canary's table is migrated, the data already stored still tell.
        tables = connections[using].introspection.table_names()
        canary = None
        if FieldKeyCanary._meta.db_table in tables:
            canary = FieldKeyCanary.objects.using(using).order_by("pk").first()
        if canary is not None:
            readable = _decrypts(canary.ciphertext) == CANARY_PLAINTEXT
        else:
            sample = _an_encrypted_value(using, set(tables))
            readable = sample is None or _decrypts(sample) is not None
    except DatabaseError:
        return None  # an unreachable database is reported where it is used
    if readable:
        return None
    return _(
        "字段加密密钥 DANGJIAN_FIELD_KEY 与数据库中的加密数据不符（密钥错误？），"
        "请改回加密这些数据时所用的密钥。"
    )


def ensure_canary(using: str = DEFAULT_DB_ALIAS) -> None:
    """Store the canary the first time, unless data already there say the key is wrong
    (then the check keeps refusing the key instead)."""
    if FieldKeyCanary.objects.using(using).exists() or field_key_problem(using):
        return
    FieldKeyCanary.objects.using(using).get_or_create(
        pk=1, defaults={"ciphertext": crypto.encrypt(CANARY_PLAINTEXT)}
    )


def _decrypts(ciphertext: str) -> str | None:
    try:
        return crypto.decrypt(ciphertext)
    except ValueError:
        return None


def _an_encrypted_value(using: str, tables: set[str]) -> str | None:
    """One stored ciphertext from any encrypted field, read raw (the field would decrypt)."""
    connection = connections[using]
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, crypto.EncryptedTextField):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(field.column)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} LIKE %s LIMIT 1",
                    [crypto.PREFIX + "%"],
                )
                row = cursor.fetchone()
            if row is not None:
                return row[0]
    return None
