"""Reminders of selection rounds through the notice inbox, REMIND_DAYS before a
deadline: the Party offices of the units under the organiser that have not recommended
yet (推荐截止), and the panel members who have not scored every recommendation (评审截止).

Each reminder is sent once per recipient and deadline: its identity lives in the
notice's link (the pattern of tasks/reminders.py), so a rerun sends nothing twice and a
moved deadline is a new reminder. A fixed number of queries whatever the rounds."""

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice

from .models import Nomination, Review, RoundState, SelectionRound
from .permissions import is_recused
from .rules import REMIND_DAYS

REMINDER_KIND = "honors_deadline"


def _link(round_: SelectionRound, what: str, deadline: dt.date) -> str:
    return f"{reverse('honors:round', args=[round_.pk])}#{what}-{deadline.isoformat()}"


def _recommend_plans(today: dt.date) -> list:
    """(round, users, link, title, body) for the units that have not recommended."""
    closing = list(
        SelectionRound.objects.filter(
            state=RoundState.OPEN, recommend_by__range=(today, today + dt.timedelta(REMIND_DAYS))
        ).select_related("organization")
    )
    if not closing:
        return []
    offices = list(
        RoleGrant.objects.filter(role=Role.OFFICE, user__is_active=True).select_related(
            "user", "organization"
        )
    )
    done = set(
        Nomination.objects.filter(round_category__selection_round__in=closing)
        .values_list("round_category__selection_round_id", "unit_id")
        .distinct()
    )
    plans = []
    for round_ in closing:
        users = {
            g.user_id: g.user
            for g in offices
            if g.organization.path.startswith(round_.organization.path)
            and g.organization_id != round_.organization_id
            and (round_.pk, g.organization_id) not in done
        }
        values = {"title": round_.title, "day": round_.recommend_by.isoformat()}
        plans.append((
            users, _link(round_, "recommend", round_.recommend_by),
            _("推荐截止提醒：%(title)s") % values,
            _("“%(title)s”推荐将于 %(day)s 截止，本单位尚未推荐，请及时提交推荐材料。") % values,
        ))  # fmt: skip
    return plans


def _review_plans(today: dt.date) -> list:
    """The panel members who have not scored every recommendation of their round."""
    closing = list(
        SelectionRound.objects.filter(
            state=RoundState.REVIEWING, review_by__range=(today, today + dt.timedelta(REMIND_DAYS))
        )
        .select_related("organization")
        .prefetch_related("reviewers__grants__organization", "reviewers__organization")
    )
    if not closing:
        return []
    nominations = list(
        Nomination.objects.filter(round_category__selection_round__in=closing).select_related(
            "round_category", "person__organization", "organization"
        )
    )
    scored = {
        (round_id, reviewer_id): n
        for round_id, reviewer_id, n in Review.objects.filter(
            nomination__round_category__selection_round__in=closing
        )
        .order_by()
        .values_list("nomination__round_category__selection_round_id", "reviewer_id")
        .annotate(Count("pk"))
    }
    plans = []
    for round_ in closing:
        own = [n for n in nominations if n.round_category.selection_round_id == round_.pk]
        users = {
            u.pk: u
            for u in round_.reviewers.all()
            if u.is_active
            and scored.get((round_.pk, u.pk), 0)
            < sum(1 for n in own if not is_recused(u, n, round_.organization))
        }
        values = {"title": round_.title, "day": round_.review_by.isoformat()}
        plans.append((
            users, _link(round_, "review", round_.review_by),
            _("评审截止提醒：%(title)s") % values,
            _("“%(title)s”评审将于 %(day)s 截止，您尚有推荐未评分，请及时评审。") % values,
        ))  # fmt: skip
    return plans


@transaction.atomic
def send_round_reminders(today: dt.date | None = None) -> int:
    """Returns the number of notices sent."""
    today = today or timezone.localdate()
    plans = [p for p in _recommend_plans(today) + _review_plans(today) if p[0]]
    if not plans:
        return 0
    already = already_notified(
        REMINDER_KIND, [p[1] for p in plans], {pk for p in plans for pk in p[0]}
    )
    sent = 0
    for users, link, title, body in plans:
        fresh = [u for pk, u in users.items() if (pk, link) not in already]
        if fresh:
            sent += send_notice(fresh, title, body, link=link, kind=REMINDER_KIND)
    return sent
