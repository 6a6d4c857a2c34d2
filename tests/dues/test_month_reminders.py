"""The open month's unpaid bill reaches the member from the 10th, once a month; paid,
zero and other hospitals' bills are not reminded; the reads are fixed."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.models import Notice
from dangjian.dues import rules, services
from dangjian.dues.reminders import KIND_LABELS, MONTH_KIND, send_month_reminders
from dangjian.dues.tasks import month_reminders
from dangjian.people.models import Person
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)
MAY = dt.date(2024, 5, 1)


def payer(org, name, account=True):
    person = make_member(org, name=name)
    services.fix_base(person, category="in_service", base="4500", effective_from=JAN)
    user = None
    if account:
        user = make_user(f"self-{person.pk}")
        Person.objects.filter(pk=person.pk).update(user=user)
    return person, user


def inbox(user):
    return list(Notice.objects.filter(recipient=user, kind=MONTH_KIND).order_by("pk"))


@pytest.fixture
def payers(world):
    jia, jia_user = payer(world.ha_b1, "甲")
    yi, yi_user = payer(world.ha_b2, "乙")
    ding, ding_user = payer(world.hb_b1, "丁")
    payer(world.ha_b1, "丙", account=False)
    services.generate_bills(MAY)
    services.record_payment(yi, [MAY], paid_on=dt.date(2024, 5, 3), method="cash")
    return jia_user, yi_user, ding_user


def test_the_open_month_is_reminded_from_the_10th_once(payers):
    jia, yi, ding = payers
    assert rules.MONTH_REMIND_DAY == 10
    assert send_month_reminders(dt.date(2024, 5, 9)) == 0
    assert send_month_reminders(dt.date(2024, 5, 10)) == 2  # 甲 and 丁; 乙 paid, 丙 no account
    (notice,) = inbox(jia)
    assert notice.title == "党费交纳提醒：2024年05月应交 45.00 元"
    assert "05月31日 前" in notice.body
    assert notice.link.startswith("/dues/mine/#month-2024-05-")
    assert not inbox(yi)
    assert len(inbox(ding)) == 1
    assert send_month_reminders(dt.date(2024, 5, 10)) == 0
    assert send_month_reminders(dt.date(2024, 5, 20)) == 0  # once a month


def test_next_month_is_a_new_reminder_and_paying_stops_it(payers, world):
    jia, yi, _ = payers
    send_month_reminders(dt.date(2024, 5, 10))
    june = dt.date(2024, 6, 1)
    services.generate_bills(june)
    jia_person = Person.objects.get(name="甲")
    services.record_payment(jia_person, [june], paid_on=dt.date(2024, 6, 5), method="cash")
    send_month_reminders(dt.date(2024, 6, 10))
    assert len(inbox(jia)) == 1  # June is paid
    assert [n.title for n in inbox(yi)] == ["党费交纳提醒：2024年06月应交 45.00 元"]


def test_label():
    assert str(KIND_LABELS[MONTH_KIND]) == "本月党费交纳提醒"


def test_reads_fixed_as_members_grow(payers, world, monkeypatch):
    from dangjian.dues import reminders

    monkeypatch.setattr(reminders, "send_notice", lambda users, *a, **k: len(users))
    with CaptureQueriesContext(connection) as few:
        assert send_month_reminders(dt.date(2024, 5, 10)) == 2
    for i in range(5):
        payer(world.ha_b1, f"新{i}")
        payer(world.hb_b2, f"新乙{i}")
    services.generate_bills(MAY)
    with CaptureQueriesContext(connection) as many:
        assert send_month_reminders(dt.date(2024, 5, 10)) == 12
    assert len(many) == len(few)


def test_daily_task_runs(payers, monkeypatch):
    from django.utils import timezone

    jia, *_ = payers
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 5, 11))
    assert month_reminders.call_local() == 2
    assert inbox(jia)
