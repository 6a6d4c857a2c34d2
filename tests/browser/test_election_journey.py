"""JOURNEYS (issue 16): the Party office records the election (换届选举) of its hospital's
Party committee, candidates drawn from the branches, confirms it and sees the new
committee on the organisation page; the form fits a phone. Runs in Debian's Chromium."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.core.dates import add_years
from dangjian.orgs.models import CommitteePost, CommitteeSeat, Election
from tests.factories import TEST_PASSWORD, add_seat, add_term, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# Where the phone screenshot goes; a person looks at it (SCREENSHOT_DIR to keep it).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/dangjian-screenshots"))


@pytest.fixture
def hospital(two_hospitals):
    """HA, its 党委 in its last term with a secretary, and candidates in its branches."""
    _guidance, (ha, ha_b1, ha_b2), (_hb, hb_b1, _) = two_hospitals
    add_term(ha, dt.date(2022, 1, 10))
    add_seat(ha, make_member(ha_b1, name="周前任"), CommitteePost.SECRETARY, dt.date(2022, 1, 10))
    for name, branch in [("陈书记", ha_b1), ("林副书记", ha_b2), ("黄委员", ha_b1),
                         ("吴候选", ha_b2)]:  # fmt: skip
        make_member(branch, name=name)
    make_member(hb_b1, name="外院某")
    make_user("office-a", "office", ha)
    return ha


CANDIDATES = [
    ("陈书记", "书记", "26"),
    ("林副书记", "副书记", "24"),
    ("黄委员", "委员", "20"),
    ("吴候选", "委员", "15"),  # exactly half of 30: not elected
]


def fill_election(page, held_on: str):
    page.fill("input[name=held_on]", held_on)
    page.select_option("select[name=term_years]", "5")
    for name, value in [("entitled", "30"), ("present", "27"), ("ballots_issued", "27"),
                        ("ballots_returned", "27")]:  # fmt: skip
        page.fill(f"input[name={name}]", value)
    page.fill("textarea[name=note]", "第三次党员代表大会")
    for i, (person, post, votes) in enumerate(CANDIDATES):
        page.select_option(f"select[name=form-{i}-person]", label=person)
        page.select_option(f"select[name=form-{i}-post]", label=post)
        page.fill(f"input[name=form-{i}-votes]", votes)


def test_the_office_records_the_hospital_committees_election(desktop, live_server, hospital):
    held_on = timezone.localdate() - dt.timedelta(days=2)
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/orgs/{hospital.code}/")
    expect(desktop.locator("body")).to_contain_text("周前任")
    assert_page_sound(desktop, "hospital committee page")
    desktop.get_by_role("link", name="换届选举").click()
    expect(desktop.locator("h1")).to_contain_text("换届选举")
    picker = desktop.locator("select[name=form-0-person]")
    expect(picker).to_contain_text("陈书记")
    expect(picker).not_to_contain_text("外院某")  # another hospital's member is not offered
    assert_page_sound(desktop, "election form")

    fill_election(desktop, held_on.isoformat())
    desktop.get_by_role("button", name="下一步：确认").click()
    expect(desktop.locator(".alert-warning")).to_contain_text("确认登记")
    results = desktop.locator("table")
    expect(results.locator("tr", has_text="陈书记")).to_contain_text("当选")
    expect(results.locator("tr", has_text="吴候选")).to_contain_text("未当选")
    expect(desktop.locator("body")).to_contain_text("至少 25 人")  # more than 4/5 of 30
    expect(desktop.locator("body")).to_contain_text("至少 16 票")  # more than half of 30
    expect(desktop.locator("body")).to_contain_text("周前任（书记）")  # leaves that day
    assert_page_sound(desktop, "election confirmation")
    assert not Election.objects.exists()

    desktop.get_by_role("button", name="确认登记").click()
    expect(desktop).to_have_url(f"{live_server.url}/orgs/{hospital.code}/")
    expect(desktop.locator(".dj-messages")).to_contain_text("当选：陈书记、林副书记、黄委员")
    committee = desktop.locator(".card", has_text="委员会组成")
    for name in ("陈书记", "林副书记", "黄委员"):
        expect(committee).to_contain_text(name)
    expect(committee).not_to_contain_text("周前任")
    expect(committee).not_to_contain_text("吴候选")
    ends = add_years(held_on, 5).isoformat()
    expect(desktop.locator("body")).to_contain_text(f"{held_on.isoformat()} 至 {ends}（5 年）")
    history = desktop.locator(".card", has_text="历次换届选举")
    expect(history).to_contain_text("陈书记（书记，26 票）")
    expect(history).to_contain_text("未当选 吴候选（15 票）")
    assert_page_sound(desktop, "new committee")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desktop.screenshot(path=str(SCREENSHOTS / "election-org-page.png"), full_page=True)
    open_seats = CommitteeSeat.objects.filter(organization=hospital, ended_on__isnull=True)
    assert {s.person.name for s in open_seats} == {"陈书记", "林副书记", "黄委员"}

    # 延期换届 from the same page, with its approval.
    term = Election.objects.get().term
    until = term.ends_on + dt.timedelta(days=90)
    desktop.locator("summary", has_text="延期换届").click()
    desktop.fill("input[name=until]", until.isoformat())
    desktop.fill("input[name=approval]", "市卫健委党委〔2031〕8号")
    desktop.get_by_role("button", name="登记延期").click()
    expect(desktop.locator(".dj-messages")).to_contain_text(f"换届日期延至 {until.isoformat()}")
    expect(desktop.locator("body")).to_contain_text("市卫健委党委〔2031〕8号")
    assert_page_sound(desktop, "term extended")


def test_the_election_form_fits_a_phone(phone, live_server, hospital):
    login(phone, live_server, "office-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}/orgs/{hospital.code}/election/")
    fill_election(phone, (timezone.localdate() - dt.timedelta(days=2)).isoformat())
    assert_page_sound(phone, "election form")
    picker = phone.locator("select[name=form-0-person]").bounding_box()
    assert picker["width"] >= 300  # a full-width picker, easy to tap
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "election-form-390.png"), full_page=True)
    phone.get_by_role("button", name="下一步：确认").click()
    expect(phone.locator(".alert-warning")).to_contain_text("确认登记")
    assert_page_sound(phone, "election confirmation")
    phone.screenshot(path=str(SCREENSHOTS / "election-confirm-390.png"), full_page=True)
