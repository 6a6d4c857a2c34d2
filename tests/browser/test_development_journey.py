"""JOURNEYS, branch secretary step 3: the secretary opens the development board, opens an
activist confirmed 11 months ago, tries to make them a candidate and is refused with the
one-year rule named; nothing is written. A year on, the same step is accepted and the
candidate's registration form downloads as .docx. On a phone (JOURNEYS.md), in Debian's
Chromium; every step passes the checks of checks.py."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.core.dates import add_months
from dangjian.development.steps import StepCode
from tests.development.builders import advance, new_applicant, sponsors
from tests.factories import TEST_PASSWORD, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _activist(branch, confirmed: dt.date):
    make_user("secretary-b1", "secretary", branch)
    person = new_applicant(branch, name="赵积极")
    applied = confirmed - dt.timedelta(days=40)
    return advance(person, StepCode.ACTIVIST_REVIEW, applied, sponsors(branch))


@pytest.fixture
def activist(two_hospitals):
    """An activist confirmed 11 months ago."""
    return _activist(two_hospitals[1][1], add_months(timezone.localdate(), -11))


def _record_candidacy(phone, live_server):
    login(phone, live_server, "secretary-b1", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/development/")
    phone.get_by_role("link", name="赵积极").tap()
    phone.get_by_role("link", name="登记步骤").first.tap()
    phone.get_by_label("发展步骤").select_option(StepCode.CANDIDATE_CONFIRMED.value)
    phone.get_by_role("button", name="下一步").tap()
    expect(phone.locator("h1")).to_contain_text("确定发展对象")
    phone.get_by_role("button", name="登记").tap()


def test_secretary_is_told_an_activist_needs_a_year_before_candidacy(phone, live_server, activist):
    login(phone, live_server, "secretary-b1", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/development/")
    expect(phone.locator("h1")).to_contain_text("发展党员")
    expect(phone.locator("#stage-counts [data-stage=activist]")).to_contain_text("1")
    assert_page_sound(phone, "development board")

    phone.get_by_role("link", name="赵积极").tap()
    expect(phone.locator("h1")).to_contain_text("赵积极")
    expect(phone.locator("body")).to_contain_text("最早可于")
    assert_page_sound(phone, "activist's record")

    phone.get_by_role("link", name="登记步骤").first.tap()
    phone.get_by_label("发展步骤").select_option(StepCode.CANDIDATE_CONFIRMED.value)
    phone.get_by_role("button", name="下一步").tap()
    expect(phone.locator("h1")).to_contain_text("确定发展对象")
    assert_page_sound(phone, "step form")
    phone.get_by_role("button", name="登记").tap()

    refusal = phone.locator("#refusals")
    expect(refusal).to_contain_text("未登记")
    expect(refusal).to_contain_text("入党积极分子经过一年以上培养教育和考察，方可列为发展对象")
    assert_page_sound(phone, "refusal")
    assert not activist.development_steps.filter(code=StepCode.CANDIDATE_CONFIRMED).exists()


def test_a_year_on_the_candidacy_is_accepted_with_its_form(phone, live_server, two_hospitals):
    confirmed = add_months(timezone.localdate(), -12) - dt.timedelta(days=3)
    person = _activist(two_hospitals[1][1], confirmed)
    _record_candidacy(phone, live_server)
    expect(phone.locator("h1")).to_contain_text("赵积极")  # back on the person's page
    form = phone.get_by_role("link", name="下载发展对象备案表（.docx）")
    expect(form).to_be_visible()
    assert_page_sound(phone, "candidate recorded")
    assert person.development_steps.filter(code=StepCode.CANDIDATE_CONFIRMED).exists()
    with phone.expect_download() as download:
        form.tap()
    assert download.value.suggested_filename.endswith(".docx")
