"""A selection round (评选) walked through on the desktop (issue 21's "done when"): the
guidance committee opens it, two hospitals recommend a branch each, the committee names
its review panel, the panel's reviewer scores (and no one else may), the shortlist is published for 公示 and approved, and the honour appears on the
commended branch's page. Every step's page is sound (checks.assert_page_sound)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.honors.models import Honor, SelectionRound
from tests.factories import TEST_PASSWORD, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def city(two_hospitals):
    guidance, (ha, ha_b1, _), (hb, hb_b1, _) = two_hospitals
    make_user("guide-round", Role.GUIDANCE, guidance)
    make_user("review-round", Role.GUIDANCE, guidance, first_name="评审专家甲")
    make_user("office-round-a", Role.OFFICE, ha)
    make_user("office-round-b", Role.OFFICE, hb)
    return guidance, ha_b1, hb_b1


def _as(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, TEST_PASSWORD)


def _recommend(page, live_server, username, branch):
    _as(page, live_server, username)
    page.goto(f"{live_server.url}/honors/rounds/")
    page.get_by_role("link", name="2026年度全市四强党支部评选").click()
    assert_page_sound(page, f"{username}: the open round")
    expect(page.locator("select[name=round_category]")).to_have_value(
        str(SelectionRound.objects.get().categories.get().pk)
    )  # the round's only category is chosen already
    page.select_option("select[name=organization]", label=branch.name)
    page.fill("textarea[name=deeds]", f"{branch.name}标准化建设成效显著")
    page.get_by_role("button", name="提交推荐").click()
    expect(page.locator("table")).to_contain_text(f"{branch.name}标准化建设成效显著")


def test_the_guidance_committee_walks_a_round_to_its_honours(desktop, live_server, city):
    guidance, ha_b1, hb_b1 = city
    today = timezone.localdate().isoformat()
    _as(desktop, live_server, "guide-round")
    desktop.goto(f"{live_server.url}/honors/rounds/?org={guidance.code}")
    desktop.get_by_role("link", name="发起评选").click()
    desktop.fill("input[name=title]", "2026年度全市四强党支部评选")
    desktop.fill("textarea[name=criteria]", "政治功能强、支部班子强、党员队伍强、作用发挥强")
    desktop.select_option("select[name=level]", "city")
    desktop.fill("input[name=recommend_by]", today)
    desktop.select_option("select[name=c0-category]", "four_strong")
    desktop.fill("input[name=c0-quota]", "1")
    assert_page_sound(desktop, "opening a round")
    desktop.get_by_role("button", name="发起").click()
    expect(desktop.locator("#round-state")).to_have_text("推荐中")

    _recommend(desktop, live_server, "office-round-a", ha_b1)
    expect(desktop.locator("table")).not_to_contain_text(hb_b1.name)
    _recommend(desktop, live_server, "office-round-b", hb_b1)
    expect(desktop.locator("table")).not_to_contain_text(ha_b1.name)  # A's is not B's to see

    _as(desktop, live_server, "guide-round")
    desktop.goto(f"{live_server.url}/honors/rounds/")
    desktop.get_by_role("link", name="2026年度全市四强党支部评选").click()
    desktop.fill("input[name=review_by]", today)
    desktop.get_by_role("button", name="结束推荐，交评审组评审").click()
    expect(desktop.locator("form", has_text="评审组成员")).to_contain_text("必填")
    desktop.locator("[data-dj-picker-search]").fill("评审专家")
    desktop.get_by_label("评审专家甲", exact=False).check()
    desktop.get_by_role("button", name="结束推荐，交评审组评审").click()
    expect(desktop.locator("#round-state")).to_have_text("评审中")
    expect(desktop.locator("#panel")).to_contain_text("已评 0 / 2")
    expect(desktop.locator("input[name=score]")).to_have_count(0)  # the organiser is not on it

    _as(desktop, live_server, "review-round")
    desktop.goto(f"{live_server.url}/")
    desktop.get_by_role("link", name="消息", exact=False).first.click()
    desktop.get_by_role("link", name="请评审：2026年度全市四强党支部评选").click()
    expect(desktop.locator("#round-state")).to_have_text("评审中")
    assert_page_sound(desktop, "the reviewer's round")
    row = desktop.locator("tr", has_text=ha_b1.name)
    row.locator("input[name=score]").fill("150")
    row.get_by_role("button", name="评分").click()
    expect(desktop.locator(".alert-danger")).to_contain_text("评分须为 0 到 100 之间的数")
    for branch, score in ((ha_b1, "93"), (hb_b1, "85")):
        row = desktop.locator("tr", has_text=branch.name)
        row.locator("input[name=score]").fill(score)
        row.locator("input[name=comment]").fill("事迹突出")
        row.get_by_role("button", name="评分").click()
        expect(desktop.locator("tr", has_text=branch.name)).to_contain_text("已评分")

    _as(desktop, live_server, "guide-round")
    desktop.goto(f"{live_server.url}/honors/rounds/")
    desktop.get_by_role("link", name="2026年度全市四强党支部评选").click()
    expect(desktop.locator("#panel")).to_contain_text("已评 2 / 2")
    expect(desktop.locator("tr", has_text=ha_b1.name)).to_contain_text("93.0（1）")
    desktop.get_by_label(f"四强党支部：{ha_b1.name}", exact=False).check()
    desktop.get_by_label(f"四强党支部：{hb_b1.name}", exact=False).check()
    desktop.fill("input[name=notice_ends_on]", today)
    desktop.get_by_role("button", name="公示", exact=True).click()
    expect(desktop.locator(".alert-danger")).to_contain_text("名额为 1，已选 2")
    desktop.get_by_label(f"四强党支部：{hb_b1.name}", exact=False).uncheck()
    desktop.fill("input[name=notice_ends_on]", today)
    desktop.get_by_role("button", name="公示", exact=True).click()
    expect(desktop.locator("#round-state")).to_have_text("公示中")
    assert_page_sound(desktop, "the shortlist in public notice")
    row = desktop.locator("tr", has_text=ha_b1.name)
    row.locator("input[name=content]").fill("反映支部会议记录不全")
    row.locator("input[name=handling]").fill("经核实记录齐全，维持推荐")
    row.get_by_role("button", name="登记异议").click()
    expect(desktop.locator("table")).to_contain_text("反映支部会议记录不全")
    desktop.fill("input[name=document_no]", "卫党指〔2026〕9号")
    desktop.get_by_role("button", name="审定并表彰").click()
    expect(desktop.locator("#round-state")).to_have_text("已审定")
    assert_page_sound(desktop, "the approved round")

    honor = Honor.objects.get()
    assert (honor.organization_id, honor.title, honor.level) == (ha_b1.pk, "四强党支部", "city")
    desktop.goto(f"{live_server.url}/orgs/{ha_b1.code}/")
    expect(desktop.locator(".card", has_text="荣誉表彰")).to_contain_text("卫党指〔2026〕9号")
    assert_page_sound(desktop, "the commended branch's page")
