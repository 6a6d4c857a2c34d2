"""No serious accessibility violation (axe-core) on the main pages of each role, on the
device each uses: the office and the auditor on a desktop, the secretary and the member
on a phone. Debian's Chromium."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from tests.factories import TEST_PASSWORD, make_member, make_user

from .axe import violations
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PAGES = {
    "office-a": [
        "home:office",
        "dashboard:home",
        "orgs:tree",
        "people:list",
        "development:board",
        "meetings:list",
        "dues:month",
        "tasks:list",
        "decisions:register",
        "core:inbox",
    ],
    "secretary-a": ["home:branch", "people:list", "development:board", "meetings:list"],
    "member-a": ["home:member", "dues:mine", "meetings:my_study", "tasks:mine"],
    "auditor-a": ["audit_log"],
}
DEVICE = {
    "office-a": "desktop",
    "auditor-a": "desktop",
    "secretary-a": "phone",
    "member-a": "phone",
}


@pytest.fixture
def hospital(two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    for _ in range(3):
        make_member(ha_b1)
    member = make_member(ha_b1, name="孙手机")
    member.user = make_user("member-a", Role.MEMBER, ha_b1)
    member.save(update_fields=["user"])
    make_user("office-a", Role.OFFICE, ha)
    make_user("secretary-a", Role.SECRETARY, ha_b1)
    make_user("auditor-a", Role.AUDITOR, ha)
    meetings.plan_meeting(
        ha_b1, kind=MeetingKind.THEME_DAY, topic="重温入党誓词", planned_on=timezone.localdate(),
        place="门诊楼五楼会议室",
    )  # fmt: skip
    return ha


@pytest.fixture
def open_page(browser):
    contexts = []

    def make(device: str):
        size = {"desktop": (1366, 900), "phone": (390, 844)}[device]
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, is_mobile=device == "phone",
            locale="zh-CN", bypass_csp=True,  # axe is injected; users never get it
        )  # fmt: skip
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("username", list(PAGES))
def test_the_main_pages_have_no_serious_violation(open_page, live_server, hospital, username):
    page = open_page(DEVICE[username])
    page.goto(f"{live_server.url}{reverse('login')}")
    assert violations(page) == [], "login"
    login(page, live_server, username, TEST_PASSWORD)
    found = {}
    for url_name in PAGES[username]:
        response = page.goto(f"{live_server.url}{reverse(url_name)}")
        assert response.status == 200, url_name
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[url_name] = problems
    assert not found, "\n".join(f"{url}: {v}" for url, vs in found.items() for v in vs)
