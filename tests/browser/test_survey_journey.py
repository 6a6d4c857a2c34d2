"""A member answers a survey on the phone: the menu's 我的问卷 lists it, a multiple
choice over its limit is refused in Chinese and keeps what was ticked, the answer is
taken once, and the page fits a 390-pixel screen with no serious accessibility
violation. Runs in Debian's Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.surveys import services
from dangjian.surveys.models import Answer, Response
from dangjian.surveys.services import SurveyInput
from tests.factories import TEST_PASSWORD, make_member, make_user

from .axe import violations
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def survey_and_member(two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    member = make_member(ha_b1, name="周问卷")
    member.user = make_user("member-survey", Role.MEMBER, ha_b1)
    member.save(update_fields=["user"])
    now = timezone.now()
    survey = services.create_survey(
        ha,
        SurveyInput(title="支部活动安排意见征集", opens_at=now - dt.timedelta(hours=1),
                    closes_at=now + dt.timedelta(days=3), is_anonymous=True),
    )  # fmt: skip
    services.add_question(survey, kind="single", text="主题党日安排在哪天更合适",
                          options=["第一个周五下午", "最后一个周五下午"])  # fmt: skip
    services.add_question(survey, kind="multiple", text="希望开展哪些活动",
                          options=["社区义诊", "红色教育基地参观", "读书分享会"], max_picks=2)  # fmt: skip
    services.add_question(survey, kind="text", text="意见和建议", options=[])
    services.publish(survey)
    return survey, member


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_member_answers_a_survey_on_the_phone(phone, live_server, survey_and_member):
    survey, member = survey_and_member
    login(phone, live_server, "member-survey", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/surveys/mine/")
    expect(phone.locator("h1")).to_contain_text("我的问卷")
    assert _overflow(phone) <= 0
    phone.get_by_role("link", name="支部活动安排意见征集").tap()
    expect(phone.locator("h1")).to_contain_text("支部活动安排意见征集")
    expect(phone.locator("body")).to_contain_text("匿名")
    assert violations(phone) == []
    assert _overflow(phone) <= 0

    phone.get_by_label("最后一个周五下午").check()
    for option in ("社区义诊", "红色教育基地参观", "读书分享会"):
        phone.get_by_label(option).check()
    phone.get_by_role("button", name="提交").tap()
    expect(phone.get_by_role("alert")).to_contain_text("第 2 题：最多只能选择 2 项")
    assert not Response.objects.exists()
    expect(phone.get_by_label("最后一个周五下午")).to_be_checked()

    phone.get_by_label("读书分享会").uncheck()
    phone.locator("textarea").fill("希望避开夜班后")
    phone.get_by_role("button", name="提交").tap()
    expect(phone.get_by_role("alert")).to_contain_text("已提交")
    expect(phone.locator("body")).to_contain_text("已作答")
    assert _overflow(phone) <= 0

    assert Response.objects.get(survey=survey).person == member
    assert Answer.objects.filter(question__survey=survey, response__isnull=True).count() == 4
