"""政治生日: the anniversary of 入党日期 (the probationary start) greets the member and
tells the secretaries over the branch; 29 February; the year joined; once a year; a
fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.people.models import Person, Status, StatusPeriod
from dangjian.people.reminders import (
    GREETING_KIND,
    KIND_LABELS,
    SECRETARY_KIND,
    send_political_birthdays,
    years_since,
)
from dangjian.people.tasks import political_birthdays
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
D = dt.date


def member(org, joined: D, name="甲", full_from: D | None = None, account=True):
    """A member admitted as probationary on `joined`, full a year later (as imported)."""
    person = make_member(org, status=Status.PROBATIONARY, since=joined, name=name)
    full_from = full_from or D(joined.year + 1, 3, 1)
    StatusPeriod.objects.filter(person=person).update(ended_on=full_from)
    StatusPeriod.objects.create(person=person, status=Status.FULL, started_on=full_from)
    user = None
    if account:
        user = make_user(f"m-{person.pk}")
        Person.objects.filter(pk=person.pk).update(user=user)
    return person, user


def inbox(user, kind):
    return list(Notice.objects.filter(recipient=user, kind=kind).order_by("pk"))


@pytest.mark.parametrize(
    ("joined", "today", "greeted"),
    [
        (D(2001, 7, 1), D(2026, 7, 1), True),
        (D(2001, 7, 1), D(2026, 7, 2), False),
        (D(2004, 2, 29), D(2026, 2, 28), True),  # common year: the 28th
        (D(2004, 2, 29), D(2028, 2, 28), False),  # leap year: wait for the 29th
        (D(2004, 2, 29), D(2028, 2, 29), True),
        (D(2004, 2, 28), D(2026, 2, 28), True),
        (D(2026, 3, 1), D(2026, 3, 1), False),  # joined today: no anniversary yet
    ],
)
def test_anniversary_maths(world, joined, today, greeted):
    _, user = member(world.ha_b1, joined, full_from=D(2027, 3, 2) if joined.year == 2026 else None)
    send_political_birthdays(today)
    assert bool(inbox(user, GREETING_KIND)) is greeted


def test_greeting_names_the_years_and_the_secretary_is_told(world):
    person, user = member(world.ha_b1, D(2001, 7, 1))
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    committee_secretary = make_user("sec-ha", Role.SECRETARY, world.ha)
    other_branch = make_user("sec-b2", Role.SECRETARY, world.ha_b2)
    other_hospital = make_user("sec-hb", Role.SECRETARY, world.hb)
    assert send_political_birthdays(D(2026, 7, 1)) == 3
    (greeting,) = inbox(user, GREETING_KIND)
    assert greeting.title == "今天是您的政治生日：入党 25 周年"
    assert "2001年07月01日" in greeting.body and "入党 25 周年" in greeting.body
    assert greeting.link.startswith("/home/me/")
    for told in (secretary, committee_secretary):
        (notice,) = inbox(told, SECRETARY_KIND)
        assert "甲" in notice.title and "25 周年" in notice.title
        assert notice.link.startswith(f"/people/{person.pk}/")
    assert not Notice.objects.filter(recipient__in=[other_branch, other_hospital]).exists()


def test_the_day_joined_is_the_probationary_start_not_the_full_one(world):
    _, user = member(world.ha_b1, D(2001, 7, 1), full_from=D(2002, 7, 15))
    assert send_political_birthdays(D(2026, 7, 15)) == 0
    assert send_political_birthdays(D(2026, 7, 1)) == 1
    assert years_since(D(2001, 7, 1), D(2026, 7, 1)) == 25


def test_sent_once_a_year(world):
    _, user = member(world.ha_b1, D(2001, 7, 1))
    make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    assert send_political_birthdays(D(2026, 7, 1)) == 2
    assert send_political_birthdays(D(2026, 7, 1)) == 0
    assert send_political_birthdays(D(2027, 7, 1)) == 2
    assert [n.title for n in inbox(user, GREETING_KIND)][-1].endswith("入党 26 周年")


def test_no_greeting_for_those_who_left_or_have_no_account(world):
    gone, gone_user = member(world.ha_b1, D(2001, 7, 1), name="乙")
    StatusPeriod.objects.filter(person=gone, ended_on__isnull=True).update(ended_on=D(2020, 1, 1))
    StatusPeriod.objects.create(person=gone, status=Status.LEFT, started_on=D(2020, 1, 1))
    no_account, _ = member(world.ha_b1, D(2001, 7, 1), name="丙", account=False)
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    assert send_political_birthdays(D(2026, 7, 1)) == 1  # the secretary, for 丙
    assert not inbox(gone_user, GREETING_KIND)
    (notice,) = inbox(secretary, SECRETARY_KIND)
    assert "丙" in notice.title


def test_kinds_have_chinese_labels():
    assert str(KIND_LABELS[GREETING_KIND]) == "政治生日祝福"
    assert "书记" in str(KIND_LABELS[SECRETARY_KIND])


def test_query_count_fixed_as_members_grow(world, monkeypatch):
    """The reads stay the same however many members have their day (the inserts are
    send_notice's, one per notice, counted apart)."""
    from dangjian.people import reminders

    sent_to = []

    def record(recipients, title, body="", *, link="", kind=""):
        sent_to.extend(recipients)
        return len(recipients)

    monkeypatch.setattr(reminders, "send_notice", record)
    member(world.ha_b1, D(2001, 7, 1))
    member(world.hb_b1, D(2001, 7, 1), name="丁")
    make_user("sec-a", Role.SECRETARY, world.ha_b1)
    make_user("sec-b", Role.SECRETARY, world.hb_b1)
    with CaptureQueriesContext(connection) as few:
        assert send_political_birthdays(D(2026, 7, 1)) == 4
    for i in range(5):
        member(world.ha_b1, D(1990 + i, 7, 1), name=f"新{i}")
        member(world.hb_b2, D(1990 + i, 7, 1), name=f"乙{i}")
    with CaptureQueriesContext(connection) as many:
        sent = send_political_birthdays(D(2026, 7, 1))
    assert sent == 2 * 6 + 6 + 1  # each greeted; sec-a told of 6, sec-b of 丁 only
    assert len(many) == len(few)


def test_periodic_task_runs(world, monkeypatch):
    from dangjian.people import reminders

    _, user = member(world.ha_b1, D(2001, 7, 1))
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: D(2026, 7, 1))
    political_birthdays()
    assert inbox(user, GREETING_KIND)
