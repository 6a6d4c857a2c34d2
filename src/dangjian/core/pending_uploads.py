"""An uploaded workbook waiting for the user's confirmation: upload → preview (a dry run)
→ confirm. The file waits under MEDIA_ROOT/imports with a random name (through the
default storage, so every app server sees it); the session remembers only that name and
what the preview was about, so no one can confirm a file they did not upload. Files never
confirmed are removed after two hours, by the next upload or the hourly sweep
(`core.tasks.sweep_pending_uploads`); a refused preview removes its file at once.

    pending = PendingUpload("roster_pending")
    token = pending.store(request, upload, org=org.pk)   # then a dry run on pending.open(token)
    found = pending.claim(request, token)                 # on confirm: None if unknown or gone
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

UPLOAD_DIR = "imports"
STALE_AFTER = dt.timedelta(hours=2)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Pending:
    token: str
    name: str  # the file's name as uploaded
    extra: dict  # what the preview was about (an organisation, a year…)


class PendingUpload:
    def __init__(self, session_key: str):
        self.session_key = session_key

    def store(self, request, upload, **extra) -> str:
        """Keep the upload (forgetting any earlier one of this user) and return its token."""
        self.forget(request)
        drop_stale_uploads()
        token = secrets.token_hex(16)
        default_storage.save(_stored_name(token), upload)
        request.session[self.session_key] = {"token": token, "name": upload.name, **extra}
        return token

    def open(self, token: str, name: str) -> File:
        """The stored file, to read (the caller closes it)."""
        return File(default_storage.open(_stored_name(token), "rb"), name=name)

    def claim(self, request, token: str) -> Pending | None:
        """The pending upload this user stored under `token`, or None when the token is
        not theirs or the file is gone."""
        stored = request.session.get(self.session_key) or {}
        if not _TOKEN.match(token or "") or stored.get("token") != token:
            return None
        if not default_storage.exists(_stored_name(token)):
            self.forget(request)
            return None
        extra = {k: v for k, v in stored.items() if k not in ("token", "name")}
        return Pending(token=token, name=stored.get("name", ""), extra=extra)

    def forget(self, request) -> None:
        stored = request.session.pop(self.session_key, None)
        if stored and _TOKEN.match(stored.get("token", "")):
            default_storage.delete(_stored_name(stored["token"]))


def _stored_name(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}.xlsx"


def drop_stale_uploads(now=None) -> int:
    """Remove the uploads left unconfirmed longer than STALE_AFTER; how many."""
    try:
        _, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = (now or timezone.now()) - STALE_AFTER
    dropped = 0
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            dropped += 1
    return dropped
