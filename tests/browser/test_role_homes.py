"""Each role's home on the device its user holds (JOURNEYS.md): the member and the branch
secretary on a phone, the Party office, the guidance committee and the auditor on a
desktop. Each lands on their own page after login and walks to the pages of their
month's work; every page fits the screen, logs no console error, prints no raw float and
has no serious accessibility violation (axe-core). With DANGJIAN_SCREENSHOTS_DIR set,
the homes are saved there (the README's pictures: docs/screens)."""

import datetime as dt
import os
import re
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
from tests.factories import TEST_PASSWORD, make_member, make_user
from tests.tasks.builders import a_list, a_task

from .axe import violations
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RAW_FLOAT = re.compile(r"\d\.\d{4,}")
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}
# (user, device, the home's heading, pages of the month's work)
JOURNEYS = [
    ("member-a", "phone", "同志，您好", ["dues:mine", "meetings:my_study", "tasks:mine", "core:inbox"]),
    ("secretary-a", "phone", "HA心内科党支部", ["meetings:list", "development:board", "dues:month", "people:list"]),
    ("office-a", "desktop", "待办", ["dashboard:home", "dues:month", "dues:reconcile", "compliance:page", "tasks:list"]),
    ("guidance-a", "desktop", "统计看板", ["orgs:tree"]),
    ("auditor-a", "desktop", "审计日志", ["people:list"]),
]  # fmt: skip


@pytest.fixture
def hospital(two_hospitals):
    guidance, (ha, ha_b1, _), _b = two_hospitals
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
    return ha


def _checked(page, where: str, errors: list) -> None:
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (where, overflow)
    text = page.locator("main").inner_text()
    assert not RAW_FLOAT.search(text), (where, RAW_FLOAT.findall(text))
    assert errors == [], (where, errors)
    assert violations(page) == [], where


@pytest.mark.parametrize("username, device, heading, pages", JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_each_role_works_from_its_home(
    browser, live_server, hospital, username, device, heading, pages
):
    width, height = SIZES[device]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=device == "phone",
        device_scale_factor=2 if device == "phone" else 1, locale="zh-CN",
        bypass_csp=True,  # for axe-core only; the policy itself is tested elsewhere
    )  # fmt: skip
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, live_server, username, TEST_PASSWORD)
        expect(page.locator("h1")).to_contain_text(heading)
        _checked(page, "home", errors)
        if folder := os.environ.get("DANGJIAN_SCREENSHOTS_DIR"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(Path(folder) / f"home-{username.split('-')[0]}.png"), full_page=True
            )
        for url_name in pages:
            response = page.goto(f"{live_server.url}{reverse(url_name)}")
            assert response.status == 200, url_name
            _checked(page, url_name, errors)
    finally:
        context.close()
