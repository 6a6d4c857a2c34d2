"""Workbooks waiting for confirmation: private to the app's user, removed when refused,
and swept when left unconfirmed (issue 14)."""

import datetime as dt
import os
import stat

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from dangjian.core import tasks
from dangjian.core.pending_uploads import STALE_AFTER, UPLOAD_DIR, PendingUpload

PENDING = PendingUpload("test_pending")


@pytest.fixture
def request_with_session():
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def _upload(name="名册.xlsx"):
    return SimpleUploadedFile(name, b"PK workbook bytes")


def _files():
    try:
        return default_storage.listdir(UPLOAD_DIR)[1]
    except FileNotFoundError:
        return []


def test_a_pending_upload_is_readable_by_the_app_only(request_with_session):
    token = PENDING.store(request_with_session, _upload())
    path = default_storage.path(f"{UPLOAD_DIR}/{token}.xlsx")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700


def test_it_is_claimed_by_its_uploader_once_and_forgotten(request_with_session):
    token = PENDING.store(request_with_session, _upload(), org=7)
    found = PENDING.claim(request_with_session, token)
    assert found.name == "名册.xlsx" and found.extra == {"org": 7}
    assert PENDING.claim(_session_request(), token) is None  # another user's session
    PENDING.forget(request_with_session)
    assert _files() == [] and PENDING.claim(request_with_session, token) is None


def _age(token: str) -> None:
    stale = timezone.now() - STALE_AFTER - dt.timedelta(minutes=1)
    os.utime(default_storage.path(f"{UPLOAD_DIR}/{token}.xlsx"), (stale.timestamp(),) * 2)


def _session_request():
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_the_next_upload_and_the_hourly_sweep_remove_what_was_left(request_with_session):
    old = PENDING.store(request_with_session, _upload())
    _age(old)
    fresh = PENDING.store(_session_request(), _upload("新名册.xlsx"))
    assert _files() == [f"{fresh}.xlsx"]  # storing the second dropped the stale one
    assert tasks.sweep_pending_uploads.call_local() == 0  # nothing stale now
    _age(fresh)
    assert tasks.sweep_pending_uploads.call_local() == 1
    assert _files() == []
