"""The frame every page shares: log-in, navigation per role, messages, log-out."""

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.accounts.context_processors import navigation
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

PAGES = ["dashboard:home", "orgs:tree", "people:list", "core:inbox", "audit_log"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_need_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_in_chinese_with_the_assets(client):
    page = client.get(reverse("login")).content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page
    assert 'name="viewport"' in page
    assert "vendor/bootstrap/bootstrap.min.css" in page and "vendor/htmx/htmx.min.js" in page
    assert "css/dangjian.css" in page
    assert "退出登录" not in page  # no navigation for anonymous visitors


def test_login_takes_the_user_to_their_home(client, world):
    world.user("office")
    response = client.post(
        reverse("login"), {"username": "office-a", "password": TEST_PASSWORD}, follow=True
    )
    assert [url for url, _ in response.redirect_chain] == [
        reverse("home:index"),
        reverse("home:office"),
    ]


def test_bad_password_shows_the_chinese_error(client, world):
    world.user("office")
    page = client.post(reverse("login"), {"username": "office-a", "password": "wrong"})
    assert "用户名或密码不正确" in page.content.decode()


def test_five_failures_lock_the_account(client, world):
    world.user("office")
    for _ in range(5):
        client.post(reverse("login"), {"username": "office-a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "office-a", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，账号已锁定30分钟" in response.content.decode()


def test_password_change_page(client):
    user = make_user("fresh")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("dashboard:home"), follow=True)
    page = response.content.decode()
    assert "修改密码" in page and "首次登录须修改初始密码" in page
    assert "当前密码" in page and "确认新密码" in page


def test_logout_is_a_post_form(client, world):
    client.force_login(world.user("office"))
    page = client.get(reverse("dashboard:home")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}"' in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302


def _nav(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:inbox")).content.decode()


def test_navigation_per_role(client, world):
    office = _nav(client, world.user("office"))
    assert "统计看板" in office and "组织" in office and "党员名册" in office
    assert "审计日志" not in office
    auditor = _nav(client, world.user("auditor"))
    assert "审计日志" in auditor and reverse("audit_log") in auditor
    member = _nav(client, world.user("member"))
    assert "党员名册" not in member and "审计日志" not in member
    assert "member-a" in member and "消息" in member


def test_navigation_costs_one_query_at_most(world):
    user = world.user("office")
    request = RequestFactory().get("/")
    request.user = user
    request.resolver_match = None
    context = navigation(request)  # builds and caches the scope on the user
    with CaptureQueriesContext(connection) as ctx:
        context = navigation(request)
        str(context["nav"]["unread"])
    assert len(ctx.captured_queries) == 1


def test_messages_are_shown(client, world):
    user = world.user("office")
    client.force_login(user)
    page = client.post(reverse("core:mark_all_read"), follow=True).content.decode()
    assert "已将 0 条消息标为已读" in page and "alert-success" in page


def test_static_files_exist_with_the_cjk_font_stack():
    css = open(finders.find("css/dangjian.css"), encoding="utf-8").read()
    assert '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' in css
    assert finders.find("js/charts.js")
    assert finders.find("vendor/echarts/echarts.min.js")


def test_roster_import_link_is_for_the_party_office(client, world):
    office = _nav(client, world.user("office"))
    assert "名册导入" in office and reverse("roster:upload") in office
    secretary = _nav(client, world.user("secretary"))
    assert "名册导入" not in secretary
