import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.tasks import services
from dangjian.tasks.reminders import send_task_reminders
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
