"""JOURNEYS, branch secretary step 3: the secretary opens the development board, opens an
activist confirmed 11 months ago, tries to make them a candidate and is refused with the
one-year rule named; nothing is written. On a phone (JOURNEYS.md), in Debian's Chromium."""

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


@pytest.fixture
def activist(two_hospitals):
    _guidance, (_ha, ha_b1, _), _ = two_hospitals
    make_user("secretary-b1", "secretary", ha_b1)
    confirmed = add_months(timezone.localdate(), -11)
    person = new_applicant(ha_b1, name="赵积极")
    applied = confirmed - dt.timedelta(days=40)
    return advance(person, StepCode.ACTIVIST_REVIEW, applied, sponsors(ha_b1))


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
