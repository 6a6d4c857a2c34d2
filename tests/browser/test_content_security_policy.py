"""Browser hardening (issue 14): every main page of each role runs under the
Content-Security-Policy without a single violation, and its scripts still work (charts
drawn, htmx actions, Bootstrap menus, the API docs). Runs in Debian's Chromium."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.core.services import send_notice
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.models import OrgKind
from tests.factories import TEST_PASSWORD, add_org, make_member, make_user

from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Runs in every document before its own scripts, so no violation goes unseen.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber + " " + e.sample);
});
"""


class Watch:
    """What a page reports that the policy refused, and scripts that failed."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.context.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(text)

    def visit(self, url: str, live_server):
        response = self.page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert "camera=()" in response.headers["permissions-policy"], url
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(url)

    def assert_clean(self, where: str):
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], (where, violations)
        assert self.console == [], (where, self.console)
        assert self.errors == [], (where, self.errors)


@pytest.fixture
def hospital(two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    make_member(ha_b1, name="张示例")
    add_org(ha_b1, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    ha_b1.refresh_from_db()
    member = make_member(ha_b1, name="孙手机")
    member.user = make_user("member-phone", Role.MEMBER, ha_b1)
    member.save(update_fields=["user"])
    make_user("office-a", Role.OFFICE, ha)
    meeting = meetings.plan_meeting(
        ha_b1,
        kind=MeetingKind.THEME_DAY,
        topic="重温入党誓词",
        planned_on=timezone.localdate(),
        place="门诊楼五楼会议室",
    )
    return ha, member, meeting


def test_office_pages_run_under_the_policy(desktop, live_server, hospital):
    ha, member, meeting = hospital
    watch = Watch(desktop)
    watch.visit(reverse("login"), live_server)
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    expect(desktop.locator("h1")).to_contain_text("待办")  # the office's home
    watch.assert_clean("login")

    # The dashboard's charts are drawn by ECharts from static files.
    watch.visit(reverse("dashboard:home"), live_server)
    chart = desktop.locator("[data-chart=chart-status] canvas")
    expect(chart).to_have_count(1)
    # Hovering the ring shows the tooltip: an element ECharts styles as it adds it.
    box = chart.bounding_box()
    chart.hover(position={"x": box["width"] / 2 + min(box["width"], box["height"]) / 4,
                          "y": box["height"] * 0.45})  # fmt: skip
    expect(desktop.locator("[data-chart=chart-status]")).to_contain_text("%）")
    watch.assert_clean("chart tooltip")

    for url in (
        reverse("people:list"),
        reverse("people:detail", args=[member.pk]),
        reverse("meetings:list"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:calendar"),
        reverse("meetings:new") + "?org=HA-B1",
        reverse("dues:month"),
        reverse("tasks:list"),
        reverse("decisions:register"),
        reverse("decisions:meetings"),
    ):
        watch.visit(url, live_server)

    # htmx: a node of the organisation tree loads its children on first open.
    watch.visit(reverse("orgs:tree"), live_server)
    desktop.locator("button[data-dj-toggle][hx-get]").first.click()
    expect(desktop.locator(".dj-tree")).to_contain_text("第一党小组")
    watch.assert_clean("orgs tree opened")

    # Bootstrap: the user menu opens.
    desktop.get_by_role("button", name="office-a").or_(
        desktop.get_by_role("link", name="office-a")
    ).click()
    expect(desktop.get_by_role("link", name="修改密码")).to_be_visible()
    watch.assert_clean("user menu")

    # The API docs: Swagger UI from our static files draws the operations, with every
    # request leaving the server refused (a hospital's intranet has no internet).
    outside = []

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    desktop.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), refuse)
    watch.visit("/api/v1/docs", live_server)
    expect(desktop.locator(".swagger-ui .info")).to_contain_text("dangjian API")
    expect(desktop.locator(".opblock").first).to_be_visible()
    watch.assert_clean("api docs")
    assert outside == []


def test_member_phone_pages_run_under_the_policy(phone, live_server, hospital):
    _ha, _member, meeting = hospital
    user = _member.user
    send_notice([user], "请按时参加主题党日")
    watch = Watch(phone)
    login(phone, live_server, "member-phone", TEST_PASSWORD)
    watch.assert_clean("login")

    for url in (
        reverse("dashboard:home"),
        reverse("dues:mine"),
        reverse("tasks:mine"),
        reverse("meetings:check_in", args=[meetings.check_in_token(meeting)]),
    ):
        watch.visit(url, live_server)

    # dangjian.js sets the study progress bar's width (no inline style attribute).
    watch.visit(reverse("meetings:my_study"), live_server)
    bar = phone.locator(".progress-bar")
    expect(bar).to_have_attribute("style", re.compile(r"width: \d+(\.\d+)?%"))

    # htmx: marking a notice read swaps the row and the unread badge.
    watch.visit(reverse("core:inbox"), live_server)
    phone.get_by_role("button", name="标为已读", exact=True).tap()
    expect(phone.get_by_role("button", name="标为已读", exact=True)).to_have_count(0)
    expect(phone.locator("#nav-unread")).to_be_hidden()
    watch.assert_clean("inbox")

    # The meeting check-in: tapping 签到 posts the form.
    watch.visit(reverse("meetings:check_in", args=[meetings.check_in_token(meeting)]), live_server)
    phone.get_by_role("button", name="签到").tap()
    expect(phone.get_by_role("status")).to_contain_text("签到成功")
    watch.assert_clean("checked in")


def test_the_403_page_goes_back_without_a_javascript_url(desktop, live_server, hospital):
    make_user("member-nobody", Role.MEMBER, hospital[0])
    watch = Watch(desktop)
    login(desktop, live_server, "member-nobody", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('meetings:list')}")
    response = desktop.goto(f"{live_server.url}{reverse('audit_log')}")
    assert response.status == 403
    back = desktop.get_by_role("link", name="返回")
    assert not (back.get_attribute("href") or "").startswith("javascript:")
    back.click()
    expect(desktop).to_have_url(re.compile(r"/meetings/$"))
    watch.assert_clean("403 back")


def test_an_htmx_action_the_server_cannot_save_says_why(phone, live_server, hospital):
    """A full disk during an htmx action: the 503 page's sentence shows above the inbox
    (the server's answer is stood in for by the page a storage fault renders)."""
    from django.template.loader import render_to_string

    send_notice([hospital[1].user], "请按时参加主题党日")
    fault_page = render_to_string(
        "core/storage_fault.html", {"message": "系统暂时无法保存数据：磁盘已满，请联系系统管理员。"}
    )
    watch = Watch(phone)
    login(phone, live_server, "member-phone", TEST_PASSWORD)
    watch.visit(reverse("core:inbox"), live_server)
    phone.route(
        re.compile(r".*/core/inbox/\d+/read/$"),
        lambda route: route.fulfill(status=503, body=fault_page, content_type="text/html"),
    )
    phone.get_by_role("button", name="标为已读", exact=True).tap()
    expect(phone.get_by_role("alert")).to_contain_text("磁盘已满")
    expect(phone.get_by_role("button", name="标为已读", exact=True)).to_have_count(1)
    watch.assert_clean("storage fault shown")
    # htmx logs the 503 it was sent on purpose; nothing else may have been logged.
    assert len(phone.console_errors) == 1
    assert phone.console_errors[0].startswith("Response Status Error Code 503 from /core/inbox/")
    phone.console_errors.clear()
