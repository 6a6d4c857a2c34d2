"""纪检 reads the audit log as they would (issue 18, JOURNEYS.md): edits made on the
office's pages show who, what in Chinese, the person by name, before → after and the
source address; a search by name and action narrows it; an export of personal data shows
who and why; the hash chain verifies. The page runs under the Content-Security-Policy;
every step passes the checks of checks.py."""

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


def test_the_auditor_sees_who_exported_personal_data_and_why(desktop, live_server, two_hospitals):
    """The office exports the roster (full ID numbers) giving a reason; the auditor finds
    the export with that reason, then checks that the log's hash chain is unbroken."""
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    ha.refresh_from_db()
    make_member(ha_b1, name="吴示例")
    make_user("office-a", Role.OFFICE, ha)
    make_user("auditor-a", Role.AUDITOR, ha)
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('roster:export', args=[ha.code])}")
    desktop.get_by_label("导出原因").fill("上级党委年度统计核对")
    assert_page_sound(desktop, "roster export")
    with desktop.expect_download() as download:
        desktop.get_by_role("button", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    desktop.context.clear_cookies()

    login(desktop, live_server, "auditor-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('audit_log')}")
    desktop.select_option("select[name=action]", label="导出名册")
    desktop.get_by_role("button", name="筛选").click()
    row = desktop.locator("tbody tr").first
    expect(row).to_contain_text("导出名册")
    expect(row).to_contain_text("上级党委年度统计核对")
    assert_page_sound(desktop, "exports")
    desktop.get_by_role("button", name="校验哈希链").click()
    expect(desktop.locator(".dj-messages")).to_contain_text("审计日志哈希链完整")
    assert_page_sound(desktop, "chain verified")
