"""JOURNEYS, the hospital Party office step 2: the office splits "内科党支部" into three
department branches on a desktop; every member moves with their history; the organisation
tree shows the three new branches and the old one dissolved; the hospital's member total
is unchanged. The split page fits a phone, one card per member. Runs in Debian's Chromium."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership, Status
from dangjian.people.queries import member_figures
from tests.factories import TEST_PASSWORD, DepartmentFactory, add_org, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NEW_BRANCHES = [
    ("HA-XN", "心内科党支部", "心内科"),
    ("HA-XH", "消化内科党支部", "消化内科"),
    ("HA-HX", "呼吸内科党支部", "呼吸内科"),
]


@pytest.fixture
def internal(two_hospitals):
    """内科党支部 with nine people from three departments, and the office's user."""
    _guidance, (ha, _b1, _b2), _ = two_hospitals
    ha.refresh_from_db()
    branch = add_org(
        ha, "HA-NK", OrgKind.BRANCH, "内科党支部",
        department=DepartmentFactory(hospital=ha, name="内科"),
    )  # fmt: skip
    people = []
    for _code, _name, dept_name in NEW_BRANCHES:
        dept = DepartmentFactory(hospital=ha, name=dept_name)
        people += [make_member(branch, name=f"{dept_name}党员{i}", department=dept) for i in (1, 2)]
        people.append(
            make_member(
                branch, name=f"{dept_name}预备", department=dept, status=Status.PROBATIONARY
            )
        )
    make_user("office-a", "office", ha)
    return ha, branch, people


def test_the_office_splits_a_branch_into_three_department_branches(desktop, live_server, internal):
    ha, branch, people = internal
    today = timezone.localdate()
    total = member_figures(ha.path, today)["total"]
    login(desktop, live_server, "office-a", TEST_PASSWORD)

    desktop.goto(f"{live_server.url}/orgs/")
    assert_page_sound(desktop, "tree")
    desktop.get_by_role("link", name="内科党支部", exact=True).click()
    expect(desktop.locator("h1")).to_contain_text("内科党支部")
    assert_page_sound(desktop, "branch page")
    desktop.get_by_role("link", name="拆分", exact=True).click()
    expect(desktop.locator("h1")).to_contain_text("拆分 内科党支部")
    assert_page_sound(desktop, "split form")

    for row, (code, name, dept) in enumerate(NEW_BRANCHES):
        desktop.fill(f"input[name=form-{row}-code]", code)
        desktop.fill(f"input[name=form-{row}-name]", name)
        desktop.fill(f"input[name=form-{row}-department]", dept)
    # The typed names label each person's choices (dangjian.js).
    first = desktop.locator(f"select[name=person_{people[0].pk}]")
    expect(first.locator("option[value='1']")).to_have_text("新支部 2：消化内科党支部")

    desktop.get_by_role("button", name="按科室自动选择").click()
    for person in people:
        expected = str([d for _c, _n, d in NEW_BRANCHES].index(person.department.name))
        expect(desktop.locator(f"select[name=person_{person.pk}]")).to_have_value(expected)

    desktop.get_by_role("button", name="下一步：确认").click()
    expect(desktop.locator(".alert-warning")).to_contain_text("拆分为 3 个支部，9 人转入新支部")
    expect(desktop.locator("body")).to_contain_text("转入 3 人")
    assert_page_sound(desktop, "split confirmation")
    assert not Organization.objects.filter(code="HA-XN").exists()  # nothing before confirming

    desktop.get_by_role("button", name="确认拆分").click()
    expect(desktop).to_have_url(re.compile(r"/orgs/HA-NK/$"))
    expect(desktop.locator("body")).to_contain_text("已将 内科党支部 拆分为")
    expect(desktop.locator(".badge", has_text="撤销")).to_be_visible()
    assert_page_sound(desktop, "dissolved branch")

    desktop.goto(f"{live_server.url}/orgs/")
    tree = desktop.locator("main")
    for _code, name, _dept in NEW_BRANCHES:
        expect(tree.get_by_role("link", name=name, exact=True)).to_be_visible()
    old = tree.locator(".dj-dissolved").filter(
        has=desktop.get_by_role("link", name="内科党支部", exact=True)
    )
    expect(old).to_contain_text("已撤销")
    assert_page_sound(desktop, "tree after the split")

    for code, _name, dept in NEW_BRANCHES:
        moved = Membership.objects.filter(organization__code=code, ended_on__isnull=True)
        assert {m.person.department.name for m in moved} == {dept} and moved.count() == 3
    assert Membership.objects.filter(organization=branch, ended_on=today).count() == 9
    assert member_figures(ha.path, today)["total"] == total == 9


def test_the_split_page_fits_a_phone_one_card_per_member(phone, live_server, internal, tmp_path):
    _ha, branch, people = internal
    login(phone, live_server, "office-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/orgs/{branch.code}/split/")
    expect(phone.locator("h1")).to_contain_text("拆分 内科党支部")
    assert_page_sound(phone, "split form")
    cards = phone.locator(".card").filter(has=phone.locator("select[name^=person_]"))
    expect(cards).to_have_count(len(people))
    boxes = [cards.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"]  # stacked, one a row
    assert boxes[0]["width"] > 300
    phone.screenshot(path=str(tmp_path / "split-phone.png"))
    cards.nth(0).scroll_into_view_if_needed()
    phone.screenshot(path=str(tmp_path / "split-phone-members.png"))
