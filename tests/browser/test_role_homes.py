"""Each role's home on the device its user holds (JOURNEYS.md): the member and the branch
secretary on a phone, the Party office, the guidance committee and the auditor on a
desktop. Each lands on their own page after login and walks to the pages of their
month's work; every page fits the screen, logs no console error, prints no raw float and
has no serious accessibility violation (axe-core). With DANGJIAN_SCREENSHOTS_DIR set,
the homes are saved there (the README's pictures: docs/screens)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.core.services import send_notice
from dangjian.dues import services as dues
from dangjian.dues.services import first_of_month
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from tests.factories import TEST_PASSWORD, hospital_tree, make_member, make_user
from tests.pages.world import add_dual_branch, add_members
from tests.tasks.builders import a_list, a_task

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# (user, device, the home's heading, pages of the month's work)
JOURNEYS = [
    ("member-a", "phone", "同志，您好", ["dues:mine", "meetings:my_study", "tasks:mine", "core:inbox"]),
    ("secretary-a", "phone", "HA心内科党支部", ["meetings:list", "development:board", "dues:month", "people:list"]),
    ("office-a", "desktop", "待办", ["dashboard:home", "dues:month", "dues:reconcile", "compliance:page", "tasks:list"]),
    ("guidance-a", "desktop", "全市概览", ["dashboard:home", "orgs:tree"]),
    ("auditor-a", "desktop", "审计日志", ["people:list"]),
]  # fmt: skip


@pytest.fixture
def hospital(two_hospitals):
    guidance, (ha, ha_b1, _), (_hb, hb_b1, _) = two_hospitals
    today = timezone.localdate()
    month = first_of_month(today)
    last_month = first_of_month(month - dt.timedelta(days=1))
    people = [make_member(ha_b1, name=n) for n in ("王一", "李二", "张三")]
    member = make_member(ha_b1, name="孙手机")
    member.user = make_user("member-a", Role.MEMBER, ha_b1)
    member.save(update_fields=["user"])
    for person in [*people, member]:
        dues.fix_base(person, category="in_service", base="4500", effective_from=last_month)
    dues.generate_bills(last_month, ha.path)
    dues.generate_bills(month, ha.path)
    dues.record_payment(people[0], [last_month, month], paid_on=today, method="cash")
    meetings.plan_meeting(
        ha_b1, kind=MeetingKind.THEME_DAY, topic="重温入党誓词", planned_on=today,
        place="门诊楼五楼会议室",
    )  # fmt: skip
    meetings.record_study(member, kind="self", title="自学党章", studied_on=today, hours=6)
    _, area = a_list(ha, year=today.year)
    a_task(area, ha_b1, due=today + dt.timedelta(days=20), owners=[member], title="完成支部换届")
    make_user("secretary-a", Role.SECRETARY, ha_b1)
    make_user("office-a", Role.OFFICE, ha)
    make_user("guidance-a", Role.GUIDANCE, guidance)
    make_user("auditor-a", Role.AUDITOR, ha)
    send_notice([member.user], "关于开展十二月主题党日的通知", kind="notice")
    # The city the guidance committee compares: a dual-leader branch, a third hospital.
    add_dual_branch(ha, "HA-D1")
    add_members(hb_b1, 3)
    guidance.refresh_from_db()
    add_members(hospital_tree("HC", guidance)[1], 2)
    ha.refresh_from_db()
    return ha


@pytest.mark.parametrize("username, device, heading, pages", JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_each_role_works_from_its_home(
    request, live_server, hospital, username, device, heading, pages
):
    page = request.getfixturevalue(device)  # phone or desktop
    login(page, live_server, username, TEST_PASSWORD)
    expect(page.locator("h1")).to_contain_text(heading)
    assert_page_sound(page, "home")
    if folder := os.environ.get("DANGJIAN_SCREENSHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(Path(folder) / f"home-{username.split('-')[0]}.png"), full_page=True
        )
    for url_name in pages:
        response = page.goto(f"{live_server.url}{reverse(url_name)}")
        assert response.status == 200, url_name
        assert_page_sound(page, url_name)
