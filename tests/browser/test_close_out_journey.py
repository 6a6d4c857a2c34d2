"""JOURNEYS, secretary step 5 and office step 5 in Debian's Chromium: the branch secretary
closes a task from the hospital's list (销号) on a phone with a photo of the result; the
Party office approves it; then the office records a Party committee vote and the page
refuses it for want of a quorum."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.decisions import services as decisions
from dangjian.orgs.models import CommitteePost
from dangjian.tasks import services
from dangjian.tasks.models import TaskState, WorkTask
from tests.factories import TEST_PASSWORD, add_seat, make_member, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
TODAY = timezone.localdate()


@pytest.fixture
def task(two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    make_user("sec-phone", Role.SECRETARY, ha_b1)
    make_user("office-desk", Role.OFFICE, ha)
    target = services.create_target_list(ha, year=TODAY.year)
    area = services.add_area(target, "组织建设")
    return services.add_task(
        area,
        services.TaskInput(
            title="完成支部换届选举", responsible_org=ha_b1, starts_on=dt.date(TODAY.year, 1, 1),
            due_on=TODAY + dt.timedelta(days=20),
        ),
    )  # fmt: skip


def test_secretary_closes_a_task_with_a_photo_and_the_office_approves(
    phone, desktop, live_server, task, tmp_path
):
    photo = tmp_path / "换届大会.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 fictitious photo")
    login(phone, live_server, "sec-phone", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse('tasks:detail', args=[task.pk])}")
    assert_page_sound(phone, "task")
    phone.locator("form:has(input[value=apply]) textarea").fill("已召开党员大会完成换届")
    phone.locator("form:has(input[value=apply]) input[type=file]").set_input_files(str(photo))
    phone.get_by_role("button", name="提交销号申请").tap()
    expect(phone.locator("body")).to_contain_text("换届大会.jpg")
    expect(phone.locator("body")).to_contain_text("待审核")
    assert_page_sound(phone, "closure applied")

    login(desktop, live_server, "office-desk", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('tasks:detail', args=[task.pk])}")
    assert_page_sound(desktop, "task to approve")
    desktop.get_by_role("button", name="提交审核").click()
    expect(desktop.locator("body")).to_contain_text("重新打开任务")
    assert_page_sound(desktop, "task closed")
    assert WorkTask.objects.get(pk=task.pk).state == TaskState.CLOSED


def test_the_page_refuses_a_vote_without_quorum(desktop, live_server, two_hospitals):
    _guidance, (ha, _, _), _b = two_hospitals
    make_user("office-vote", Role.OFFICE, ha)
    members = [make_member(ha) for _ in range(5)]
    for person in members:
        add_seat(ha, person, CommitteePost.ORGANIZATION, started_on=dt.date(2020, 1, 1))
    meeting = decisions.plan_meeting(
        ha, body="party_committee_meeting", title="第3次党委会", held_on=TODAY
    )
    for person in members[2:]:
        decisions.set_attendance(meeting, person, state="leave", reason="公出")
    matter = decisions.register_matter(
        ha, decisions.MatterInput(category="major_decision", title="年度预算方案",
                                  proposer="财务科", proposed_on=TODAY),
    )  # fmt: skip
    decisions.add_agenda_item(meeting, matter)
    login(desktop, live_server, "office-vote", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('decisions:meeting', args=[meeting.pk])}")
    expect(desktop.get_by_role("status")).to_contain_text("应到 5 人，实到 2 人")
    assert_page_sound(desktop, "committee meeting")
    desktop.locator("input[name=votes_for]").fill("2")
    desktop.locator("input[name=decision]").fill("同意")
    desktop.get_by_role("button", name="登记结果").click()
    expect(desktop.locator(".alert-danger").first).to_contain_text("未达到法定人数")
    assert_page_sound(desktop, "vote refused")
    matter.refresh_from_db()
    assert matter.status == "proposed"
