"""三权分立 and the second factor, driven as their users do (issue 14): the security
administrator requires TOTP for the hospital, the office enrols an authenticator on a
phone before anything else opens, the system administrator deactivates an account. Every
page runs under the Content-Security-Policy."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from dangjian.accounts.models import Role, User
from tests.accounts.test_second_factor import code_for
from tests.factories import TEST_PASSWORD, make_user

from .conftest import login
from .test_content_security_policy import Watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def hospital(two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    ha.refresh_from_db()
    make_user("sec-a", Role.SECURITY_ADMIN, ha)
    make_user("sys-a", Role.SYSTEM_ADMIN, ha)
    make_user("office-a", Role.OFFICE, ha)
    make_user("clerk-a", Role.SECRETARY, ha_b1)
    return ha


def test_policy_enrolment_and_deactivation(desktop, phone, live_server, hospital):
    watch = Watch(desktop)
    login(desktop, live_server, "sec-a", TEST_PASSWORD)
    desktop.get_by_role("link", name="账号管理").click()
    desktop.get_by_role("link", name="安全策略").click()
    desktop.get_by_role("button", name="要求动态口令").click()
    expect(desktop.locator("table .badge")).to_contain_text("已要求")
    watch.assert_clean("policy")

    # The office logs in on a phone: the authenticator comes before any page.
    on_phone = Watch(phone)
    login(phone, live_server, "office-a", TEST_PASSWORD)
    expect(phone.locator("h1")).to_contain_text("动态口令")
    expect(phone.locator(".dj-otp-qr svg")).to_be_visible()
    phone.goto(f"{live_server.url}{reverse('people:list')}")
    expect(phone.locator("h1")).to_contain_text("动态口令")
    device = TOTPDevice.objects.get(user__username="office-a")
    phone.get_by_label("动态口令").fill(code_for(device))
    phone.get_by_role("button", name="绑定并验证").tap()
    expect(phone.locator("h1")).to_contain_text("待办")  # the office's home
    on_phone.assert_clean("enrolled")

    # The system administrator (under the policy too) deactivates the secretary's account.
    desktop.context.clear_cookies()
    device = TOTPDevice.objects.create(user=User.objects.get(username="sys-a"), confirmed=True)
    login(desktop, live_server, "sys-a", TEST_PASSWORD)
    desktop.get_by_label("动态口令").fill(code_for(device))
    desktop.get_by_role("button", name="验证").click()
    watch.visit(reverse("account_list"), live_server)
    desktop.get_by_role("link", name="clerk-a").click()
    desktop.get_by_role("button", name="停用账号").click()
    expect(desktop.locator(".alert-success")).to_contain_text("账号已停用")
    watch.assert_clean("deactivated")
    assert not User.objects.get(username="clerk-a").is_active
