"""Reminders of the task ledger through the notice inbox: the owners of a task and the
secretaries over its responsible organisation are told when its deadline is within
`rules.REMIND_DAYS` days, and again once it is overdue.

Each reminder is sent once per recipient: its identity (task, kind, deadline) lives in
the notice's link, so a rerun or a second worker sends nothing twice (the pattern of
dues/reminders.py). A changed deadline is a new reminder.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice

from .models import WorkTask
from .queries import due_soon_tasks, overdue_tasks
from .rules import REMIND_DAYS

REMINDER_KIND = "task_due"


def reminder_link(task: WorkTask, overdue: bool) -> str:
    what = "overdue" if overdue else "due"
    return f"{reverse('tasks:detail', args=[task.pk])}#{what}-{task.due_on.isoformat()}"


@transaction.atomic
def send_task_reminders(today: dt.date | None = None) -> int:
    """Returns the number of notices sent. A fixed number of reads (tasks, owners,
    secretaries, notices already sent), then one insert per reminder."""
    today = today or timezone.localdate()
    open_tasks = WorkTask.objects.prefetch_related("owners__user")
    plans = [(t, True) for t in overdue_tasks(open_tasks, today)]
    plans += [(t, False) for t in due_soon_tasks(open_tasks, today, REMIND_DAYS)]
    if not plans:
        return 0
    secretaries = list(
        RoleGrant.objects.filter(role=Role.SECRETARY, user__is_active=True).select_related(
            "user", "organization"
        )
    )
    messages = []
    for task, overdue in plans:
        users = {p.user.pk: p.user for p in task.owners.all() if p.user and p.user.is_active}
        users.update(
            (g.user_id, g.user)
            for g in secretaries
            if task.responsible_org.path.startswith(g.organization.path)
        )
        if users:
            messages.append((task, overdue, users, reminder_link(task, overdue)))
    already = already_notified(
        REMINDER_KIND, [m[3] for m in messages], {pk for m in messages for pk in m[2]}
    )
    sent = 0
    for task, overdue, users, link in messages:
        fresh = [u for pk, u in users.items() if (pk, link) not in already]
        if fresh:
            title, body = _message(task, overdue, today)
            sent += send_notice(fresh, title, body, link=link, kind=REMINDER_KIND)
    return sent


def _message(task: WorkTask, overdue: bool, today: dt.date) -> tuple[str, str]:
    values = {"title": task.title, "due": task.due_on.isoformat(), "org": task.responsible_org.name}
    if overdue:
        return (
            _("任务逾期提醒：%(title)s") % values,
            _(
                "%(org)s承担的任务“%(title)s”应于 %(due)s 前完成，已逾期尚未销号，请抓紧推进并申请销号。"
            )
            % values,
        )
    return (
        _("任务到期提醒：%(title)s") % values,
        _("%(org)s承担的任务“%(title)s”将于 %(due)s 到期，请及时登记推进台账，完成后申请销号。")
        % values,
    )
