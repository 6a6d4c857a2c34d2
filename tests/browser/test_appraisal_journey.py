"""The branch secretary enters last year's 民主评议党员 on a phone: a 不合格 without a reason
is refused in Chinese with nothing saved, then saved with the reason; the office then
finalises the year and the scores page says 已评定. Runs in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.assessment.judgements import Appraisal, ScoreSheet
from dangjian.people.models import Person
from tests.assessment.scenario import known_gaps
from tests.factories import TEST_PASSWORD, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_secretary_appraises_and_office_finalises(phone, desktop, live_server, world):
    known_gaps(world)
    make_user("sec-appraisal", Role.SECRETARY, world.ha_b2)
    make_user("office-appraisal", Role.OFFICE, world.ha)
    people = list(Person.objects.filter(organization=world.ha_b2).order_by("pk"))
    login(phone, live_server, "sec-appraisal", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/assessment/appraisal/?org={world.ha_b2.code}&year=2024")
    assert_page_sound(phone, "民主评议党员")
    phone.locator(f"select[name=grade-{people[0].pk}]").select_option("excellent")
    phone.locator(f"select[name=grade-{people[1].pk}]").select_option("unqualified")
    phone.get_by_role("button", name="保存评议结果").click()
    expect(phone.get_by_role("alert")).to_contain_text("评为不合格须填写理由")
    assert not Appraisal.objects.exists()
    phone.locator(f"input[name=reason-{people[1].pk}]").fill("无正当理由连续六个月不参加组织生活")
    phone.get_by_role("button", name="保存评议结果").click()
    expect(phone.get_by_test_id("appraisal-summary")).to_contain_text("已评议 2 名")
    assert Appraisal.objects.filter(year=2024).count() == 2

    login(desktop, live_server, "office-appraisal", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/assessment/scores/?org={world.ha.code}&period=2024")
    desktop.on("dialog", lambda dialog: dialog.accept())
    desktop.get_by_role("button", name="评定").click()
    expect(desktop.get_by_test_id("finalised")).to_contain_text("已评定")
    assert ScoreSheet.objects.filter(period="2024").count() == 1
