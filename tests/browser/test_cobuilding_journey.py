"""A branch secretary records a co-building agreement (结对共建) with a community from the
更多 menu, then an activity held under it, and finds it in the branch's service figures
(counted once, for the branch). Every step is checked (tests/browser/checks.py). Runs in
Debian's Chromium."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.service.models import Partnership, ServiceActivity
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_secretary_records_an_agreement_and_an_activity(desktop, live_server, world):
    branch = world.ha_b1
    make_user("sec-cobuild", Role.SECRETARY, branch)
    make_member(branch, name="共建志愿者甲")
    login(desktop, live_server, "sec-cobuild", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/home/")
    desktop.get_by_role("button", name="更多").click()
    desktop.get_by_role("link", name="结对共建").click()
    expect(desktop.locator("h1")).to_contain_text("结对共建")
    assert_page_sound(desktop, "结对共建")

    desktop.get_by_role("link", name="登记共建协议").click()
    desktop.get_by_label("协议名称").fill("“健康进社区”结对共建协议")
    desktop.get_by_label("共建单位类别").select_option(label="社区")
    desktop.get_by_label("系统外共建单位名称").fill("某街道某社区党委")
    signed = dt.date.today() - dt.timedelta(days=30)
    desktop.get_by_label("签订日期").fill(signed.isoformat())
    desktop.get_by_label("共建内容与目标").fill("每月一次社区义诊")
    assert_page_sound(desktop, "登记共建协议")
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.locator("body")).to_contain_text("已登记共建协议")
    assert_page_sound(desktop, "共建协议")

    desktop.get_by_role("link", name="登记共建活动").click()
    desktop.get_by_label("活动名称").fill("社区共建义诊")
    desktop.get_by_label("服务人次").fill("86")
    desktop.get_by_label("共建志愿者甲").check()
    assert_page_sound(desktop, "登记共建活动")
    desktop.get_by_role("button", name="登记").click()
    expect(desktop.locator("body")).to_contain_text("已登记活动，计入志愿服务统计")
    expect(desktop.locator("[data-dj-figure=people_served]")).to_contain_text("86")
    expect(desktop.locator("body")).to_contain_text("社区共建义诊")
    assert_page_sound(desktop, "共建协议及其活动")

    desktop.get_by_role("link", name="返回结对共建").click()
    desktop.get_by_role("link", name="志愿服务", exact=True).first.click()
    body = desktop.locator("body")
    expect(body).to_contain_text("社区共建义诊")
    expect(body).to_contain_text("86 人次")
    assert_page_sound(desktop, "志愿服务")
    activity = ServiceActivity.objects.get()
    assert (activity.partnership, activity.organization) == (Partnership.objects.get(), branch)
