"""The findings `dangjian check` reports from dues and the task ledger: dues_arrears
(yellow from 3 unpaid months, red at 6) and task_overdue (across a year end)."""

import datetime as dt

import pytest

from dangjian.compliance import tasks as nightly
from dangjian.compliance.findings import findings
from dangjian.core.dates import add_months
from dangjian.dues import services as dues
from dangjian.tasks import services as ledger
from dangjian.tasks.services import TaskInput
from tests.factories import make_member

pytestmark = pytest.mark.django_db
JAN = dt.date(2025, 1, 1)


def of_kind(org, kind, today):
    return [f for f in findings(org, today) if f["kind"] == kind]


def test_dues_arrears_yellow_at_three_red_at_six(world):
    person = make_member(world.ha_b1, name="丙欠交")
    dues.fix_base(person, category="in_service", base="4500", effective_from=JAN)
    for i in range(7):
        dues.generate_bills(add_months(JAN, i), world.ha.path)
    # As of 15 March two months have ended unpaid: nothing yet.
    assert of_kind(world.ha, "dues_arrears", dt.date(2025, 3, 15)) == []
    (three,) = of_kind(world.ha, "dues_arrears", dt.date(2025, 4, 15))
    assert three["severity"] == "yellow" and "有 3 个月" in three["message"]
    assert three["org"] == world.ha_b1.code
    (six,) = of_kind(world.ha, "dues_arrears", dt.date(2025, 7, 15))
    assert six["severity"] == "red" and "有 6 个月" in six["message"]
    # Another hospital's check does not see it.
    assert of_kind(world.hb, "dues_arrears", dt.date(2025, 7, 15)) == []
    # Paying the latest month leaves the six older ones: still red on 15 August.
    dues.record_payment(person, [add_months(JAN, 6)], paid_on=dt.date(2025, 8, 1), method="cash")
    (still,) = of_kind(world.ha, "dues_arrears", dt.date(2025, 8, 15))
    assert still["severity"] == "red" and "有 6 个月" in still["message"]


def test_task_overdue_from_the_day_after_the_deadline_across_the_year_end(world):
    target = ledger.create_target_list(world.ha, year=2025)
    area = ledger.add_area(target, "组织建设")
    task = ledger.add_task(
        area,
        TaskInput(
            title="完成支部换届",
            responsible_org=world.ha_b1,
            starts_on=dt.date(2025, 1, 1),
            due_on=dt.date(2025, 12, 31),
        ),  # fmt: skip
    )
    assert of_kind(world.ha, "task_overdue", dt.date(2025, 12, 31)) == []
    (found,) = of_kind(world.ha, "task_overdue", dt.date(2026, 1, 1))
    assert found["org"] == world.ha_b1.code and "完成支部换届" in found["message"]
    assert found["severity"] == "red"
    # Closed (销号) tasks are not overdue.
    task.state, task.closed_on = "closed", dt.date(2025, 12, 20)
    task.save()
    assert of_kind(world.ha, "task_overdue", dt.date(2026, 1, 1)) == []


def test_nightly_compliance_reminders_leave_overdue_tasks_to_their_own_job(world):
    from dangjian.accounts.models import Role
    from dangjian.core.models import Notice

    secretary = world.user(Role.SECRETARY, "A")
    target = ledger.create_target_list(world.ha, year=2025)
    ledger.add_task(
        ledger.add_area(target, "组织建设"),
        TaskInput(
            title="完成支部换届",
            responsible_org=world.ha_b1,
            starts_on=dt.date(2025, 1, 1),
            due_on=dt.date(2025, 3, 31),
        ),  # fmt: skip
    )
    nightly.remind_hospital(world.ha, dt.date(2025, 4, 10))
    titles = list(Notice.objects.filter(recipient=secretary).values_list("title", flat=True))
    assert titles, "the hospital's other findings are still sent"
    assert not [t for t in titles if "任务逾期" in t]
