"""A client generated from /api/v1/openapi.json (openapi-python-client, warnings
refused) logs in with `POST /auth/token` and reads the members list, talking to the WSGI
application in-process: the document is good enough for the tools people use on it
(issue 14: a generated client used to fail on login)."""

import importlib
import json
import subprocess
import sys

import httpx
import pytest

from dangjian.accounts.models import Role
from tests.factories import TEST_PASSWORD, make_member

pytestmark = pytest.mark.django_db
PACKAGE = "dangjian_client"


@pytest.fixture
def generated(client, world, tmp_path, monkeypatch):
    """The client package generated from the document the server sends."""
    client.force_login(world.user(Role.OFFICE))
    (tmp_path / "openapi.json").write_text(json.dumps(client.get("/api/v1/openapi.json").json()))
    (tmp_path / "config.json").write_text(
        json.dumps({"package_name_override": PACKAGE, "post_hooks": []})
    )
    result = subprocess.run(
        [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", "openapi.json", "--config", "config.json", "--meta", "none",
            "--output-path", PACKAGE, "--fail-on-warning",
        ],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_a_generated_client_logs_in_and_reads_the_members(generated, world, wsgi_app):
    make_member(world.ha_b1, name="甲一")
    make_member(world.hb_b1, name="乙一")  # another hospital's: not listed
    office = world.user(Role.OFFICE)
    package = generated("client")
    models = generated("models")
    create_token = generated("api.auth.tokens_create_token")
    list_members = generated("api.members.members_list_members")
    connection = {
        "base_url": "http://localhost",
        "httpx_args": {"transport": httpx.WSGITransport(app=wsgi_app)},
    }

    refused = create_token.sync(
        client=package.Client(**connection),
        body=models.TokenIn(username=office.username, password="Wrong-Pass-1"),
    )
    assert isinstance(refused, models.Message) and "不正确" in refused.detail

    issued = create_token.sync(
        client=package.Client(**connection),
        body=models.TokenIn(username=office.username, password=TEST_PASSWORD),
    )
    assert isinstance(issued, models.TokenOut)

    signed_in = package.AuthenticatedClient(token=issued.token, **connection)
    page = list_members.sync(client=signed_in)
    assert isinstance(page, models.PagedMemberOut)
    assert page.count == 1 and [m.name for m in page.items] == ["甲一"]
    assert "*" in page.items[0].id_number

    anonymous = list_members.sync_detailed(client=package.Client(**connection))
    assert anonymous.status_code == 401 and isinstance(anonymous.parsed, models.Message)
