"""Lists on a secretary's phone (390 px): the member list, the development board and the
meetings become one card per row, each value under its column's name; nothing is wider
than the screen and no name is squeezed to a character a line. Debian's Chromium."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from tests.development.builders import advance, new_applicant
from tests.development.test_paperwork import APPLIED
from tests.factories import TEST_PASSWORD, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LISTS = [
    ("people:list", "欧阳长名字", "政治面貌"),
    ("development:board", "司马申请人", "阶段"),
    ("meetings:list", "学习二十届三中全会精神专题党课", "出席/应到"),
]


@pytest.fixture
def branch(two_hospitals):
    _guidance, (_ha, ha_b1, _), _b = two_hospitals
    for _ in range(3):
        make_member(ha_b1)
    make_member(ha_b1, name="欧阳长名字")
    advance(new_applicant(ha_b1, name="司马申请人"), "activist_confirmed", APPLIED)
    meetings.plan_meeting(
        ha_b1, kind=MeetingKind.PARTY_LECTURE, topic="学习二十届三中全会精神专题党课",
        planned_on=timezone.localdate(),
    )  # fmt: skip
    make_user("secretary-a", Role.SECRETARY, ha_b1)
    return ha_b1


@pytest.mark.parametrize("url_name, name, label", LISTS, ids=[n for n, _, _ in LISTS])
def test_a_list_becomes_cards_on_a_phone(phone, live_server, branch, url_name, name, label):
    login(phone, live_server, "secretary-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse(url_name)}?org={branch.code}")
    cell = phone.get_by_role("link", name=name)
    expect(cell).to_be_visible()
    assert_page_sound(phone, url_name)
    box = cell.bounding_box()
    assert box["width"] >= 4 * 14  # the whole name on one line, not a character a line
    labelled = phone.locator(f"table.dj-cards td[data-label='{label}']").first
    expect(labelled).to_be_visible()
    content = labelled.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label in content  # the column's name shows beside the value
