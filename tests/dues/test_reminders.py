import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.dues import services
from dangjian.dues.reminders import REMINDER_KIND, send_arrears_reminders
from dangjian.dues.tasks import arrears_reminders
from dangjian.people.models import Person, Status, StatusPeriod
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)
MONTHS = [dt.date(2024, m, 1) for m in range(1, 9)]


@pytest.fixture
def dues(world):
    """甲 (HA-B1) never pays; 乙 (HA-B2) pays up to May; 丙 (HB-B1) never pays."""
    jia = make_member(world.ha_b1, name="甲")
    yi = make_member(world.ha_b2, name="乙")
    bing = make_member(world.hb_b1, name="丙")
    users = {}
    for person in (jia, yi, bing):
        services.fix_base(person, category="in_service", base="4500", effective_from=JAN)
        users[person.name] = make_user(f"self-{person.pk}")
        Person.objects.filter(pk=person.pk).update(user=users[person.name])
    for month in MONTHS:
        services.generate_bills(month)
    services.record_payment(yi, MONTHS[:5], paid_on=dt.date(2024, 5, 20), method="cash")
    secretary_b1 = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    secretary_b2 = make_user("sec-b2", Role.SECRETARY, world.ha_b2)
    office = world.user(Role.OFFICE, "A")
    office_b = world.user(Role.OFFICE, "B")
    return world, users, secretary_b1, secretary_b2, office, office_b


def _inbox(user):
    return list(Notice.objects.filter(recipient=user, kind=REMINDER_KIND).order_by("pk"))


def test_three_months_remind_the_member_only(dues):
    world, users, sec_b1, sec_b2, office, _ = dues
    # As of 10 April: 甲 owes January–March (3), 乙 owes nothing.
    assert send_arrears_reminders(dt.date(2024, 4, 10)) == 2  # 甲 and 丙, one each
    (notice,) = _inbox(users["甲"])
    assert "有 3 个月未交纳党费" in notice.title and "2024年01月" in notice.body
    assert not _inbox(users["乙"])
    assert not _inbox(sec_b1) and not _inbox(office)


def test_each_reminder_goes_once(dues):
    world, users, *_ = dues
    send_arrears_reminders(dt.date(2024, 4, 10))
    assert send_arrears_reminders(dt.date(2024, 4, 10)) == 0
    assert send_arrears_reminders(dt.date(2024, 5, 10)) == 0  # 4 months: the same run
    assert len(_inbox(users["甲"])) == 1


def test_six_months_go_to_the_branch_secretaries_and_the_office(dues):
    world, users, sec_b1, sec_b2, office, office_b = dues
    send_arrears_reminders(dt.date(2024, 4, 10))
    # As of 10 July: 甲 owes January–June (6); 乙 owes June (1).
    sent = send_arrears_reminders(dt.date(2024, 7, 10))
    assert sent == 2 + 1  # 甲: secretary of HA-B1 and the office; 丙: the office of B
    (handle,) = _inbox(sec_b1)
    assert "须按规定处理" in handle.title and "甲" in handle.title
    assert "不会自动变更其党籍" in handle.body
    assert [n.title for n in _inbox(office)] == [handle.title]
    assert not _inbox(sec_b2)  # 甲 is not in their branch
    assert all("甲" not in n.title for n in _inbox(office_b))  # B hears only of B
    assert len(_inbox(office_b)) == 1
    assert send_arrears_reminders(dt.date(2024, 8, 10)) == 0
    # Membership is never changed by the reminders.
    assert StatusPeriod.objects.filter(person__name="甲", status=Status.FULL).exists()


def test_a_new_run_is_reminded_again(dues):
    world, users, *_ = dues
    send_arrears_reminders(dt.date(2024, 4, 10))
    jia = Person.objects.get(name="甲")
    services.record_payment(jia, MONTHS[:3], paid_on=dt.date(2024, 4, 12), method="cash")
    # 乙 owes June–August as of September: a first reminder.
    assert len(_inbox(users["乙"])) == 0
    send_arrears_reminders(dt.date(2024, 9, 10))
    assert len(_inbox(users["乙"])) == 1
    # 甲 paid January–March: April–August is a new debt of 5 months, reminded again.
    assert len(_inbox(users["甲"])) == 2


def test_paying_the_latest_month_does_not_end_the_debt(dues):
    """Every unpaid month counts, whatever was paid after it (SPEC.md §4b): 甲 owes
    January–June and pays July; at 6 unpaid months the case must still be handled."""
    world, users, sec_b1, *_ = dues
    jia = Person.objects.get(name="甲")
    services.record_payment(jia, [MONTHS[6]], paid_on=dt.date(2024, 8, 2), method="cash")
    send_arrears_reminders(dt.date(2024, 8, 10))
    (member,) = _inbox(users["甲"])
    # August 10th: January–July have ended, July is paid: six unpaid months.
    assert "有 6 个月未交纳党费" in member.title and "2024年01月" in member.body
    (handle,) = _inbox(sec_b1)
    assert "甲" in handle.title and "6 个月" in handle.title


def test_the_monthly_task_runs_the_reminders(dues, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 4, 10))
    assert arrears_reminders.call_local() == 2
