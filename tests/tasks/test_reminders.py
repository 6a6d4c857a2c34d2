import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.tasks import services
from dangjian.tasks.models import WorkTask
from dangjian.tasks.reminders import send_task_reminders
from dangjian.tasks.tasks import task_reminders
from tests.factories import make_member, make_user

from .builders import a_list, a_task, evidence

pytestmark = pytest.mark.django_db
D = dt.date


def test_owners_and_secretaries_are_told_once_when_due_and_once_when_overdue(world):
    owner = make_member(world.ha_b1)
    owner.user = make_user("owner", Role.MEMBER, world.ha_b1)
    owner.save()
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    other = make_user("sec-hb", Role.SECRETARY, world.hb_b1)
    _, area = a_list(world.ha)
    task = a_task(area, world.ha_b1, owners=[owner], due=D(2025, 6, 30))
    assert send_task_reminders(D(2025, 6, 20)) == 0  # ten days ahead: not yet
    assert send_task_reminders(D(2025, 6, 24)) == 2
    assert send_task_reminders(D(2025, 6, 25)) == 0  # never twice
    titles = set(Notice.objects.filter(recipient=secretary).values_list("title", flat=True))
    assert titles == {"任务到期提醒：完成支部换届"}
    assert send_task_reminders(D(2025, 7, 1)) == 2
    assert Notice.objects.filter(recipient=owner.user, title__startswith="任务逾期").count() == 1
    assert not Notice.objects.filter(recipient=other).exists()
    services.apply_close(task, summary="完成", files=[evidence()], today=D(2025, 7, 2))
    services.approve_close(task, today=D(2025, 7, 2))
    Notice.objects.all().delete()
    assert send_task_reminders(D(2025, 7, 3)) == 0  # closed tasks are quiet


def test_who_is_told_a_moved_deadline_and_the_daily_job(world, monkeypatch):
    hospital_secretary = make_user("sec-ha", Role.SECRETARY, world.ha)
    branch_2 = make_user("sec-b2", Role.SECRETARY, world.ha_b2)
    office = world.user(Role.OFFICE, "A")
    retired = make_user("sec-old", Role.SECRETARY, world.ha_b1, is_active=False)
    no_account = make_member(world.ha_b1)  # an owner without a login is simply skipped
    _, area = a_list(world.ha)
    task = a_task(area, world.ha_b1, owners=[no_account], due=D(2025, 6, 30))
    assert send_task_reminders(D(2025, 6, 28)) == 1
    told = set(Notice.objects.values_list("recipient__username", flat=True))
    assert told == {hospital_secretary.username}
    assert not Notice.objects.filter(recipient__in=[branch_2, office, retired]).exists()
    notice = Notice.objects.get()
    assert notice.link.startswith(f"/tasks/{task.pk}/") and "2025-06-30" in notice.link
    # The deadline moves: a new reminder for the new date, once.
    WorkTask.objects.filter(pk=task.pk).update(due_on=D(2025, 7, 5))
    assert send_task_reminders(D(2025, 6, 29)) == 1
    assert send_task_reminders(D(2025, 6, 30)) == 0
    # The daily huey job sends what is due today.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: D(2025, 7, 6))
    assert task_reminders.call_local() == 1
    assert task_reminders.call_local() == 0
    assert Notice.objects.filter(title__startswith="任务逾期").count() == 1


def test_nothing_due_sends_nothing(world):
    _, area = a_list(world.ha)
    a_task(area, world.ha_b1, due=D(2025, 9, 30), owners=[make_member(world.ha_b1)])
    make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    assert send_task_reminders(D(2025, 6, 1)) == 0
    assert not Notice.objects.exists()
