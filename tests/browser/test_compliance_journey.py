"""JOURNEYS, the hospital Party office step 4, in Debian's Chromium: the office opens the
compliance page from its home on a desktop and reads what the branches missed; the
nightly reminders (compliance.tasks, run here by hand) reach the branch secretary's inbox
on a phone, and the reminder leads back to the finding. Every step passes the checks of
checks.py."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.compliance import tasks
from tests.factories import TEST_PASSWORD, make_user
from tests.pages.world import add_members

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_office_reads_the_findings_and_the_secretary_is_reminded(
    desktop, phone, live_server, two_hospitals
):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    add_members(ha_b1, 3)  # a branch of members that has held no meeting this year
    make_user("office-a", Role.OFFICE, ha)
    make_user("secretary-a", Role.SECRETARY, ha_b1)

    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.get_by_role("link", name="组织生活与合规").click()
    findings = desktop.locator("main tbody tr", has_text=ha_b1.name)
    expect(findings.first).to_be_visible()
    assert_page_sound(desktop, "compliance page")

    assert tasks.send_compliance_reminders() > 0  # the nightly task
    login(phone, live_server, "secretary-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse('core:inbox')}")
    reminder = phone.get_by_role("link", name="组织生活合规提醒").first
    expect(reminder).to_be_visible()
    assert_page_sound(phone, "inbox")
    reminder.tap()
    page = f"{live_server.url}{reverse('compliance:page')}?org={ha_b1.code}#"
    expect(phone).to_have_url(re.compile(re.escape(page)))
    finding = phone.locator(f"[id='{phone.url.split('#', 1)[1]}']")  # the reminder's anchor
    expect(finding).to_contain_text(ha_b1.name)
    assert_page_sound(phone, "the finding, on the secretary's phone")
