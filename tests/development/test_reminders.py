"""Reminders of due development steps: to the secretaries over the person's branch and
to the hospital's Party office, never to another hospital, each reminder once."""

import datetime as dt
import io
import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.core.models import Notice
from dangjian.development import tasks
from dangjian.development.services import StepInput, record_step
from dangjian.development.steps import StepCode
from dangjian.development.tasks import REMINDER_KIND, send_due_reminders
from dangjian.orgs.queries import hospitals
from tests.factories import add_org, make_user

from .builders import new_applicant

pytestmark = pytest.mark.django_db
S = StepCode
TODAY = timezone.localdate()


def applicant(org, days_ago: int, **person):
    """An application `days_ago` days ago: the talk is due a month after it."""
    person = new_applicant(org, **person)
    day = TODAY - dt.timedelta(days=days_ago)
    record_step(person, StepInput(S.APPLICATION, day), today=day)
    return person


def talk_due(days_ago: int) -> dt.date:
    return add_months(TODAY - dt.timedelta(days=days_ago), 1)


def inbox(user) -> list[tuple[str, str]]:
    return sorted(Notice.objects.filter(recipient=user).values_list("kind", "link"))


def link(person, days_ago: int) -> str:
    timeline = reverse("development:person", args=[person.pk])
    return f"{timeline}#due-application_talk-{talk_due(days_ago).isoformat()}"


@pytest.fixture
def staff(world):
    """The people who may be reminded in both hospitals, and some who may not."""
    return {
        "a_office": world.user(Role.OFFICE, "A"),
        "a_b1_secretary": make_user("sec-a-b1", Role.SECRETARY, world.ha_b1),
        "a_b2_secretary": make_user("sec-a-b2", Role.SECRETARY, world.ha_b2),
        "a_auditor": world.user(Role.AUDITOR, "A"),
        "a_member": make_user("member-a-b1", Role.MEMBER, world.ha_b1),
        "b_office": world.user(Role.OFFICE, "B"),
        "b_b1_secretary": make_user("sec-b-b1", Role.SECRETARY, world.hb_b1),
        "city": world.user(Role.GUIDANCE, "CITY"),
    }


def test_due_and_overdue_items_go_to_the_branch_secretary_and_the_office(world, staff):
    late = applicant(world.ha_b1, days_ago=60, name="逾期甲")  # overdue
    soon = applicant(world.ha_b1, days_ago=26, name="将到期乙")  # due within the week
    applicant(world.ha_b1, days_ago=10, name="远期丙")  # due in about 20 days: not yet
    other = applicant(world.hb_b1, days_ago=60, name="他院丁")

    assert send_due_reminders(TODAY) == 6
    ours = sorted([(REMINDER_KIND, link(late, 60)), (REMINDER_KIND, link(soon, 26))])
    assert inbox(staff["a_b1_secretary"]) == ours
    assert inbox(staff["a_office"]) == ours
    theirs = [(REMINDER_KIND, link(other, 60))]
    assert inbox(staff["b_b1_secretary"]) == theirs and inbox(staff["b_office"]) == theirs
    for nobody in ("a_b2_secretary", "a_auditor", "a_member", "city"):
        assert inbox(staff[nobody]) == [], nobody


def test_the_message_says_who_what_and_by_when(world, staff):
    applicant(world.ha_b1, days_ago=60, name="逾期甲")
    applicant(world.ha_b1, days_ago=26, name="将到期乙")
    send_due_reminders(TODAY)
    notices = {n.title: n for n in Notice.objects.filter(recipient=staff["a_b1_secretary"])}
    late = notices["发展党员事项已逾期：逾期甲 派人谈话"]
    days_late = (TODAY - talk_due(60)).days
    assert late.body == (
        f"{world.ha_b1.name} 逾期甲（入党申请人）：“党组织派人谈话”应于 "
        f"{talk_due(60).isoformat()} 前完成，已逾期 {days_late} 天。"
    )
    soon = notices["发展党员事项即将到期：将到期乙 派人谈话"]
    assert f"还有 {(talk_due(26) - TODAY).days} 天" in soon.body
    assert soon.read_at is None


def test_a_reminder_is_sent_once(world, staff):
    soon = applicant(world.ha_b1, days_ago=26)
    later = applicant(world.ha_b1, days_ago=10)
    assert send_due_reminders(TODAY) == 2
    assert send_due_reminders(TODAY) == 0
    # Days later the first item is overdue: the same reminder, not sent again; the second
    # has come within the week and is sent now.
    assert send_due_reminders(TODAY + dt.timedelta(days=17)) == 2
    assert inbox(staff["a_office"]) == sorted(
        [(REMINDER_KIND, link(soon, 26)), (REMINDER_KIND, link(later, 10))]
    )
    assert Notice.objects.count() == 4


def test_a_newly_appointed_secretary_gets_what_is_still_due(world, staff):
    person = applicant(world.ha_b1, days_ago=60)
    send_due_reminders(TODAY)
    newcomer = make_user("sec-a-b1-new", Role.SECRETARY, world.ha_b1)
    assert send_due_reminders(TODAY) == 1
    assert inbox(newcomer) == [(REMINDER_KIND, link(person, 60))]


def test_a_done_step_is_no_longer_reminded(world, staff):
    person = applicant(world.ha_b1, days_ago=60)
    record_step(person, StepInput(S.APPLICATION_TALK, TODAY))
    assert send_due_reminders(TODAY) == 0


def test_inactive_users_and_a_secretary_of_a_group_are_not_reminded(world, staff):
    applicant(world.ha_b1, days_ago=60)
    staff["a_office"].is_active = False
    staff["a_office"].save()
    group = add_org(world.ha_b1, "HA-B1-G1", "group", "第一党小组")
    group_leader = make_user("sec-a-b1-g1", Role.SECRETARY, group)
    assert send_due_reminders(TODAY) == 1  # the branch secretary only
    assert inbox(staff["a_office"]) == [] and inbox(group_leader) == []


def test_a_hospital_at_the_root_of_the_tree_is_reminded_too(db):
    hospital = add_org(None, "SOLO", "committee", "独立医院党委")
    branch = add_org(hospital, "SOLO-B1", "branch", "独立医院党支部")
    office = make_user("solo-office", Role.OFFICE, hospital)
    person = applicant(branch, days_ago=60)
    assert [h.code for h in hospitals()] == ["SOLO"]
    assert send_due_reminders(TODAY) == 1
    assert inbox(office) == [(REMINDER_KIND, link(person, 60))]


def test_the_number_of_reads_does_not_grow_with_the_people(world, staff):
    def grow(n):
        for _ in range(n):
            applicant(world.ha_b1, days_ago=60)
            applicant(world.hb_b2, days_ago=26)

    def queries_of_a_rerun():
        send_due_reminders(TODAY)
        with CaptureQueriesContext(connection) as ctx:
            assert send_due_reminders(TODAY) == 0
        return len(ctx)

    grow(1)
    small = queries_of_a_rerun()
    grow(5)
    assert queries_of_a_rerun() == small


def test_the_daily_job_runs_the_reminders(world, staff):
    applicant(world.ha_b1, days_ago=60)
    assert tasks.development_due_reminders.call_local() == 2
    assert tasks.development_due_reminders.call_local() == 0
    job = tasks.development_due_reminders.s()
    assert job.validate_datetime(dt.datetime(2026, 3, 2, 6, 40))
    assert not job.validate_datetime(dt.datetime(2026, 3, 2, 7, 40))


# ---- the command ---------------------------------------------------------------------
def test_the_command_prints_the_due_list_as_a_table_and_as_json(world):
    late = applicant(world.ha_b1, days_ago=60, name="逾期甲")
    applicant(world.ha_b2, days_ago=26, name="将到期乙")
    applicant(world.hb_b1, days_ago=60, name="他院丁")
    out = io.StringIO()
    call_command("development-due", "--org", world.ha.code, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["person"], r["org"], r["overdue"]) for r in rows] == [
        ("逾期甲", world.ha_b1.code, True),
        ("将到期乙", world.ha_b2.code, False),
    ]
    assert rows[0] == {
        "org": world.ha_b1.code,
        "person": "逾期甲",
        "person_id": late.pk,
        "step": "application_talk",
        "label": "党组织派人谈话",
        "what": "派人谈话",
        "due_on": talk_due(60).isoformat(),
        "overdue": True,
    }
    out = io.StringIO()
    call_command("development-due", "--org", world.ha_b2.code, "--days", "3", stdout=out)
    assert "共 0 项" in out.getvalue() and "没有到期事项" in out.getvalue()
    out = io.StringIO()
    call_command("development-due", "--org", world.ha.code, stdout=out)
    text = out.getvalue()
    assert "共 2 项，其中已逾期 1 项" in text
    assert f"{talk_due(60).isoformat()}\t已逾期\t{world.ha_b1.code}\t逾期甲\t派人谈话" in text


def test_the_command_refuses_an_unknown_org_or_bad_days(world):
    with pytest.raises(CommandError, match="组织编码不存在：NOPE"):
        call_command("development-due", "--org", "NOPE")
    with pytest.raises(CommandError, match="天数须为 1 至 366 之间的整数：0"):
        call_command("development-due", "--org", world.ha.code, "--days", "0")


def test_the_console_script_exits_non_zero_with_one_chinese_line(db, capsys, monkeypatch):
    # Django closes the connections after a command; the test's transaction needs its own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(["dangjian", "development-due", "--org", "NOPE"]).execute()
    assert exit.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["CommandError: 组织编码不存在：NOPE"]
