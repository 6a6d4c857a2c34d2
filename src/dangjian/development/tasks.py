"""Daily reminders of development steps that fall due (RULES.md §4: "reminders for due
steps"): for each hospital, every item due within a week or already overdue goes to the
inbox of the secretaries over the person's branch and of the hospital's Party office.

A reminder is sent once per recipient, person, step and due date. The key lives in the
notice's link (the person's timeline with a fragment naming the step and the date), so
a rerun, a retry or a second worker sends nothing twice and no table is needed.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospitals
from dangjian.people.models import Person, Status

from .queries import DueEntry, due_within
from .steps import label

REMINDER_KIND = "development_due"
REMIND_DAYS_AHEAD = 7
RECIPIENT_ROLES = (Role.SECRETARY, Role.OFFICE)


def reminder_link(entry: DueEntry) -> str:
    """The person's timeline; the fragment is the reminder's identity for deduplication."""
    due = entry.due
    timeline = reverse("development:person", args=[entry.person.pk])
    return f"{timeline}#due-{due.code}-{due.due_on.isoformat()}"


def send_due_reminders(today: dt.date | None = None) -> int:
    """Send what is due within REMIND_DAYS_AHEAD days or overdue, hospital by hospital;
    returns the number of notices sent. A fixed number of reads per hospital, then one
    insert per reminder that someone has not had yet."""
    today = today or timezone.localdate()
    return sum(remind_hospital(hospital, today) for hospital in hospitals())


@transaction.atomic
def remind_hospital(hospital: Organization, today: dt.date) -> int:
    people = Person.objects.filter(organization__path__startswith=hospital.path)
    entries = due_within(people, today, REMIND_DAYS_AHEAD)
    if not entries:
        return 0
    grants = list(
        RoleGrant.objects.filter(
            role__in=RECIPIENT_ROLES,
            organization__path__startswith=hospital.path,
            user__is_active=True,
        ).select_related("user", "organization")
    )
    if not grants:
        return 0
    links = {id(entry): reminder_link(entry) for entry in entries}
    already = already_notified(
        REMINDER_KIND, list(links.values()), {grant.user_id for grant in grants}
    )
    sent = 0
    for entry in entries:
        link = links[id(entry)]
        recipients = {
            grant.user_id: grant.user
            for grant in grants
            if entry.person.organization.path.startswith(grant.organization.path)
            and (grant.user_id, link) not in already
        }
        if recipients:
            title, body = _message(entry, today)
            sent += send_notice(recipients.values(), title, body, link=link, kind=REMINDER_KIND)
    return sent


def _message(entry: DueEntry, today: dt.date) -> tuple[str, str]:
    person, due = entry.person, entry.due
    step = label(due.code)
    if due.overdue(today):
        title = _("发展党员事项已逾期：%(name)s %(what)s") % {"name": person.name, "what": due.what}
        when = _("应于 %(day)s 前完成，已逾期 %(n)d 天。") % {
            "day": due.due_on.isoformat(),
            "n": (today - due.due_on).days,
        }
    else:
        title = _("发展党员事项即将到期：%(name)s %(what)s") % {
            "name": person.name,
            "what": due.what,
        }
        when = _("应于 %(day)s 前完成，还有 %(n)d 天。") % {
            "day": due.due_on.isoformat(),
            "n": (due.due_on - today).days,
        }
    body = _("%(org)s %(name)s（%(stage)s）：“%(step)s”%(when)s") % {
        "org": person.organization.name,
        "name": person.name,
        "stage": Status(person.status).label,
        "step": step,
        "when": when,
    }
    return title, body


@db_periodic_task(crontab(hour="6", minute="40"))
def development_due_reminders() -> int:
    """Every morning, before the working day starts. The lock keeps two workers from
    running it at once (each would read the other's notices as not yet sent)."""
    with lock_task("development-due-reminders"):
        return send_due_reminders()
