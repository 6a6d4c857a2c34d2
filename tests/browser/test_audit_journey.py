"""纪检 reads the audit log as they would (issue 18): edits made on the office's pages
show who, what in Chinese, the person by name, before → after and the source address;
a search by name and action narrows it; the page runs under the Content-Security-Policy."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login
from .test_content_security_policy import Watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
SCREENSHOT = os.environ.get("AUDIT_SCREENSHOT", "")


def test_the_auditor_finds_an_edit_by_the_persons_name(desktop, live_server, two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    ha.refresh_from_db()
    person = make_member(ha_b1, name="周示例", professional_title="主治医师")
    make_user("office-a", Role.OFFICE, ha)
    make_user("auditor-a", Role.AUDITOR, ha)
    page = desktop
    login(page, live_server, "office-a", TEST_PASSWORD)
    page.goto(f"{live_server.url}{reverse('people:edit', args=[person.pk])}")
    page.fill("input[name=professional_title]", "副主任医师")
    page.get_by_role("button", name="保存").click()
    page.context.clear_cookies()

    watch = Watch(page)
    login(page, live_server, "auditor-a", TEST_PASSWORD)
    watch.visit(reverse("audit_log"), live_server)
    assert_page_sound(page, "audit log")
    page.fill("input[name=person]", "周示例")
    page.select_option("select[name=action]", label="修改人员信息")
    page.get_by_role("button", name="筛选").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("修改人员信息")
    expect(row).to_contain_text("周示例")
    expect(row).to_contain_text("职称：主治医师 → 副主任医师")
    expect(row).to_contain_text("127.0.0.1")
    expect(page.locator("tbody tr")).to_have_count(1)
    watch.assert_clean("audit log filtered")
    assert_page_sound(page, "audit log filtered")
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT, full_page=True)
