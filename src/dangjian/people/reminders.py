"""政治生日: on the anniversary of the day a member joined the Party the member is greeted
in their inbox and the secretaries over their branch are told (a RoleGrant of role
secretary on the branch or on an organisation above it inside the hospital, as
dues/reminders.py finds its handlers), so the branch can mark the day.

The day joined is 入党日期: the day the member was admitted as a probationary member
(the start of their probationary status period). It is the date the Party counts as
joining (党章 第七条: 入党 is admission as a probationary member; 党龄 from 转正 is a
different count) and the one every member's record holds (the roster requires it of a
full member, people/stages.py). After a re-admission the latest such day counts.

A member who joined on 29 February is greeted on 28 February in common years; nobody is
greeted in the year they joined. Each greeting is sent once per person and year: the
year lives in the notice's link (the pattern of dues/reminders.py).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospitals

from .models import MEMBER_STATUSES, Person, Status, StatusPeriod
from .queries import current_status, has_open_relation

GREETING_KIND = "political_birthday"
SECRETARY_KIND = "political_birthday_branch"
KIND_LABELS = {
    GREETING_KIND: gettext_lazy("政治生日祝福"),
    SECRETARY_KIND: gettext_lazy("党员政治生日提醒（书记）"),
}


def anniversary_days(today: dt.date) -> Q:
    """The (month, day) of join dates whose anniversary falls on `today`: 28 February of a
    common year also stands for 29 February."""
    q = Q(joined_on__month=today.month, joined_on__day=today.day)
    if (today.month, today.day) == (2, 28) and not _is_leap(today.year):
        q |= Q(joined_on__month=2, joined_on__day=29)
    return q


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def years_since(joined_on: dt.date, today: dt.date) -> int:
    return today.year - joined_on.year


def joined_on_subquery(person_ref: str = "pk") -> Subquery:
    """入党日期: the start of the person's latest probationary status period."""
    return Subquery(
        StatusPeriod.objects.filter(person=OuterRef(person_ref), status=Status.PROBATIONARY)
        .order_by()
        .values("person")
        .annotate(day=Max("started_on"))
        .values("day")[:1]
    )


def birthday_members(path: str, today: dt.date):
    """Members of the subtree (probationary or full, with a relation in the system) whose
    political birthday is `today`, joined in an earlier year. One query."""
    return (
        Person.objects.filter(organization__path__startswith=path)
        .annotate(
            joined_on=joined_on_subquery(),
            status_now=current_status(),
            in_system=has_open_relation(),
        )
        .filter(anniversary_days(today), status_now__in=MEMBER_STATUSES, in_system=True)
        .filter(joined_on__year__lt=today.year)
        .select_related("organization", "user")
        .order_by("organization__path", "name", "pk")
    )


def member_link(person: Person, today: dt.date) -> str:
    return f"{reverse('home:member')}#political-birthday-{person.pk}-{today.year}"


def secretary_link(person: Person, today: dt.date) -> str:
    return f"{reverse('people:detail', args=[person.pk])}#political-birthday-{today.year}"


def send_political_birthdays(today: dt.date | None = None) -> int:
    """Greet today's members and tell their secretaries, hospital by hospital; returns the
    number of notices sent."""
    today = today or timezone.localdate()
    return sum(remind_hospital(hospital, today) for hospital in hospitals())


@transaction.atomic
def remind_hospital(hospital: Organization, today: dt.date) -> int:
    """A fixed number of reads (the members, the secretaries, the notices already sent
    of each kind), then one insert per notice."""
    people = list(birthday_members(hospital.path, today))
    if not people:
        return 0
    secretaries = list(
        RoleGrant.objects.filter(
            role=Role.SECRETARY,
            organization__path__startswith=hospital.path,
            user__is_active=True,
        ).select_related("user", "organization")
    )
    greetings = [
        (person, member_link(person, today))
        for person in people
        if person.user is not None and person.user.is_active
    ]
    told = []
    for person in people:
        users = {
            g.user_id: g.user
            for g in secretaries
            if person.organization.path.startswith(g.organization.path)
            and g.user_id != person.user_id  # a secretary's own day is their greeting
        }
        if users:
            told.append((person, users, secretary_link(person, today)))
    sent = 0
    if greetings:
        already = already_notified(
            GREETING_KIND, [link for _, link in greetings], {p.user_id for p, _ in greetings}
        )
        for person, link in greetings:
            if (person.user_id, link) not in already:
                title, body = _greeting(person, today)
                sent += send_notice([person.user], title, body, link=link, kind=GREETING_KIND)
    if told:
        already = already_notified(
            SECRETARY_KIND, [link for *_, link in told], {pk for _, u, _ in told for pk in u}
        )
        for person, users, link in told:
            fresh = [u for pk, u in users.items() if (pk, link) not in already]
            if fresh:
                title, body = _secretary_message(person, today)
                sent += send_notice(fresh, title, body, link=link, kind=SECRETARY_KIND)
    return sent


def _values(person: Person, today: dt.date) -> dict:
    return {
        "name": person.name,
        "org": person.organization.name,
        "n": years_since(person.joined_on, today),
        "joined": f"{person.joined_on:%Y年%m月%d日}",
    }


def _greeting(person: Person, today: dt.date) -> tuple[str, str]:
    values = _values(person, today)
    title = _("今天是您的政治生日：入党 %(n)d 周年") % values
    body = (
        _(
            "%(name)s同志：今天是您的政治生日。您于 %(joined)s 加入中国共产党，今天是您"
            "入党 %(n)d 周年。%(org)s祝您政治生日快乐！不忘初心、牢记使命，重温入党誓词，"
            "在本职岗位上继续发挥先锋模范作用。"
        )
        % values
    )
    return title, body


def _secretary_message(person: Person, today: dt.date) -> tuple[str, str]:
    values = _values(person, today)
    title = _("党员政治生日：%(name)s 入党 %(n)d 周年") % values
    body = (
        _(
            "%(org)s党员%(name)s于 %(joined)s 入党，今天是其入党 %(n)d 周年的政治生日。"
            "可送上祝福，或在主题党日组织重温入党誓词。"
        )
        % values
    )
    return title, body
