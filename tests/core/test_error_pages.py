"""Errors answer in Chinese: 400 and 500 pages of our own, and the API docs served from
the project's static files, not a CDN (issue 14)."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import path

from dangjian.urls import urlpatterns as project_urls


def _boom(request):
    raise RuntimeError("测试用的服务器错误")


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("测试用的错误请求")


urlpatterns = [path("boom/", _boom), path("bad/", _bad), *project_urls]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize(("url", "status", "text"), [("/boom/", 500, "服务器出错"),
                                                     ("/bad/", 400, "请求有误")])  # fmt: skip
def test_errors_have_chinese_pages(url, status, text):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert text in page and "Traceback" not in page and "测试用" not in page


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_a_cdn(client, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False  # public here (tests/api/test_docs.py: login)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert external_assets(page) == []


def external_assets(html: str) -> list[str]:
    """Every script, style or image the page loads from another host. (A plain search for
    "cdn" also hits the random CSRF token now and then.)"""
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    return [a for a in addresses if a.startswith("//") or "://" in a]
