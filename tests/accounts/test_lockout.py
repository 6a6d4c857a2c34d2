"""Lock-out per account wherever the failures come from, a throttle per client address
across user names, the client's address read only through trusted proxies, and the
office's unlock (issue 14: keyed on name and address, it locked everyone out behind the
proxy and gave an attacker five guesses per address)."""

import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from dangjian.core.pages import client_ip
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def login(client, username, password, address="10.1.1.1", **meta):
    return client.post(
        reverse("login"), {"username": username, "password": password},
        REMOTE_ADDR=address, **meta,
    )  # fmt: skip


def test_five_failures_from_five_addresses_lock_the_account(client):
    make_user("bob")
    for i in range(5):
        login(client, "bob", "wrong-Pass-1", address=f"10.0.0.{i + 1}")
    assert login(client, "bob", TEST_PASSWORD, address="10.0.0.99").status_code == 429


def test_an_address_trying_many_accounts_is_stopped(client, settings):
    settings.DANGJIAN_LOGIN_FAILURES_PER_ADDRESS = 6
    make_user("victim")
    for i in range(6):  # one guess each at six accounts: no account is locked
        login(client, f"user{i}", "wrong-Pass-1", address="10.9.9.9")
    refused = login(client, "victim", TEST_PASSWORD, address="10.9.9.9")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    # The account itself is not locked: from another address it logs in.
    assert login(client, "victim", TEST_PASSWORD, address="10.8.8.8").status_code == 302


def test_colleagues_behind_one_proxy_do_not_lock_each_other(client, settings):
    settings.DANGJIAN_TRUSTED_PROXIES = ["192.0.2.10"]
    make_user("alice")
    make_user("carol")
    for _ in range(4):
        login(client, "alice", "wrong-Pass-1", address="192.0.2.10",
              HTTP_X_FORWARDED_FOR="10.0.0.5")  # fmt: skip
    assert login(client, "carol", TEST_PASSWORD, address="192.0.2.10",
                 HTTP_X_FORWARDED_FOR="10.0.0.6").status_code == 302  # fmt: skip


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.7", "1.2.3.4", "203.0.113.7"),  # no trusted proxy: the header is ignored
        ("192.0.2.10", "10.0.0.5", "10.0.0.5"),
        ("192.0.2.10", "1.2.3.4, 10.0.0.5", "10.0.0.5"),  # the nearest, not the forged first
        ("192.0.2.10", "10.0.0.5, 192.0.2.11", "10.0.0.5"),  # two proxies in a row
        ("192.0.2.10", "", "192.0.2.10"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    settings, remote, forwarded, client
):
    settings.DANGJIAN_TRUSTED_PROXIES = ["192.0.2.10", "192.0.2.11"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


def test_the_office_unlocks_an_account(client):
    make_user("dave")
    for _ in range(5):
        login(client, "dave", "wrong-Pass-1")
    assert login(client, "dave", TEST_PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("unlock", "dave", stdout=out)
    assert "已解除 dave 的登录锁定" in out.getvalue()
    assert login(client, "dave", TEST_PASSWORD).status_code == 302
