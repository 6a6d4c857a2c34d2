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


def test_office_creates_a_brand_and_links_the_agreement(desktop, live_server, world):
    from dangjian.service import cobuilding
    from dangjian.service.rules import PartnerKind

    cobuilding.create_partnership(
        world.ha_b1,
        cobuilding.PartnershipInput(
            title="社区健康共建", partner_kind=PartnerKind.COMMUNITY, partner_name="某社区",
            signed_on=dt.date.today() - dt.timedelta(days=10),
        ),
    )  # fmt: skip
    make_user("office-brand", Role.OFFICE, world.ha)
    login(desktop, live_server, "office-brand", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/home/")
    desktop.get_by_role("button", name="更多").click()
    desktop.get_by_role("link", name="党建品牌").click()
    desktop.get_by_role("link", name="创建品牌").click()
    desktop.get_by_label("品牌名称").fill("医心向党")
    desktop.get_by_label("品牌理念").fill("党建引领高质量发展")
    desktop.get_by_label("工作成效").fill("服务群众 500 余人次")
    assert_page_sound(desktop, "创建品牌")
    desktop.get_by_role("button", name="保存").click()
    expect(desktop.locator("body")).to_contain_text("已创建党建品牌")
    form = desktop.locator("form", has_text="关联共建协议")
    form.get_by_label("记录").select_option(
        label=f"{(dt.date.today() - dt.timedelta(days=10))} 社区健康共建（{world.ha_b1.name}）"
    )
    form.get_by_role("button", name="关联").click()
    expect(desktop.locator("body")).to_contain_text("已关联佐证")
    expect(desktop.get_by_role("link", name="社区健康共建")).to_be_visible()
    assert_page_sound(desktop, "品牌")
    desktop.goto(f"{live_server.url}/orgs/{world.ha.code}/")
    expect(desktop.get_by_role("link", name="医心向党")).to_be_visible()
