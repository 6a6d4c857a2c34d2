"""Whether /api/v1/docs and /api/v1/openapi.json need a login is the setting
DANGJIAN_API_DOCS_LOGIN (on by default): the page sends a visitor to the login page, the
document answers 401 in Chinese; a session or an API token opens both (issue 14)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from dangjian.accounts.models import Role
from tests.core.test_error_pages import external_assets
from tests.factories import api_auth, make_user

pytestmark = pytest.mark.django_db
DOCS, DOCUMENT = "/api/v1/docs", "/api/v1/openapi.json"


def test_the_setting_is_on_unless_turned_off():
    assert django_settings.DANGJIAN_API_DOCS_LOGIN is True


def test_with_the_setting_on_a_visitor_is_sent_to_log_in(client):
    page = client.get(DOCS)
    assert page.status_code == 302 and page.url == f"/accounts/login/?next={DOCS}"
    document = client.get(DOCUMENT)
    assert document.status_code == 401
    assert document.json() == {"detail": "未登录，或令牌无效、已过期、已撤销"}
    forged = client.get(DOCUMENT, HTTP_AUTHORIZATION="Bearer forged")
    assert forged.status_code == 401


def test_a_logged_in_user_reads_the_docs_served_from_the_project(client, world):
    client.force_login(world.user(Role.OFFICE))
    page = client.get(DOCS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and external_assets(html) == []
    assert client.get(DOCUMENT).json()["info"]["title"] == "dangjian API"


def test_a_token_reads_the_document(client, world):
    headers = api_auth(client, world.user(Role.MEMBER))
    assert "/api/v1/members" in client.get(DOCUMENT, **headers).json()["paths"]


def test_a_password_to_change_first_gets_neither(client, world):
    user = make_user("first-login", Role.OFFICE, world.ha)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.force_login(user)
    assert client.get(DOCS).url == reverse("password_change")
    assert client.get(DOCUMENT).status_code == 403


def test_with_the_setting_off_both_are_public(client, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False
    assert client.get(DOCS).status_code == 200
    assert client.get(DOCUMENT).status_code == 200
