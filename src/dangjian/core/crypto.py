"""SM4-GCM encryption of personal fields (ID-card and phone numbers), as 等保 2.0 asks.

The key comes from settings.FIELD_KEY (DANGJIAN_FIELD_KEY, 32 hex digits), never from the
database. Each value gets its own nonce, so equal plaintexts give different ciphertexts;
look-ups go through `digest()`, a keyed hash, instead.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

PREFIX = "sm4gcm1:"
_NONCE_BYTES = 12
_TAG_BYTES = 16


@lru_cache(maxsize=4)
def _key_for(raw: str, secret: str) -> bytes:
    if raw:
        key = bytes.fromhex(raw)
        if len(key) != 16:
            raise ValueError("DANGJIAN_FIELD_KEY must be 32 hex digits (a 128-bit SM4 key)")
        return key
    # Development and tests only (settings refuse an empty key in production).
    return hashlib.sha256(("field-key:" + secret).encode()).digest()[:16]


def field_key() -> bytes:
    return _key_for(settings.FIELD_KEY, settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(PREFIX) :])
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(field_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag as exc:  # wrong key or tampered value
        raise ValueError("encrypted value failed authentication") from exc


def digest(value: str) -> str:
    """A keyed hash for finding a record by an encrypted value without decrypting."""
    return hmac.new(field_key(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stores SM4-GCM ciphertext; Python code sees the plaintext."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
