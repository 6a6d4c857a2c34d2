"""The audit log's key and its keyed hash (HMAC-SHA256), shared by the chain and its
checkpoints.

The key comes from settings.AUDIT_KEY (DANGJIAN_AUDIT_KEY, 64 hex digits), never from the
database: whoever can write to the database cannot recompute a hash, so a row removed or
changed stays visible even if the rest of the chain is rewritten.
"""

import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _key_for(raw: str, secret: str) -> bytes:
    if raw:
        try:
            key = bytes.fromhex(raw)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ImproperlyConfigured("DANGJIAN_AUDIT_KEY must be 64 hex digits (a 256-bit key)")
        return key
    # Development and tests only (settings refuse an empty key in production).
    return hashlib.sha256(("audit-key:" + secret).encode()).digest()


def audit_key() -> bytes:
    return _key_for(settings.AUDIT_KEY, settings.SECRET_KEY)


def canonical(fields: dict) -> bytes:
    """One byte string per set of fields, whatever order they came in."""
    return json.dumps(
        fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def sign(fields: dict) -> str:
    return hmac.new(audit_key(), canonical(fields), hashlib.sha256).hexdigest()


def signature_matches(fields: dict, signature: str) -> bool:
    return hmac.compare_digest(sign(fields), signature)
