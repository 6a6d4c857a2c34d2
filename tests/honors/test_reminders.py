"""Reminders of a round's deadlines: the offices of units that have not recommended, the
panel members who have not scored everything; once per deadline, a moved deadline is a
new reminder, and the organiser's own office is not asked to recommend to itself."""

import datetime as dt

import pytest

from dangjian.accounts.models import Role
from dangjian.honors import rounds
from dangjian.honors.reminders import REMINDER_KIND, send_round_reminders
from dangjian.honors.tasks import round_reminders
from tests.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _round(world, recommend_by):
    data = rounds.RoundInput(
        "全市四强党支部评选", "四强", "city", recommend_by, [("four_strong", "", 2)]
    )
    return rounds.open_round(world.guidance, data, today=TODAY)


def _titles(user):
    return list(user.notices.filter(kind=REMINDER_KIND).values_list("title", flat=True))


def test_units_that_have_not_recommended_are_reminded_once(world, monkeypatch):
    round_ = _round(world, TODAY + dt.timedelta(days=3))
    office_a, office_b = world.user(Role.OFFICE, "A"), world.user(Role.OFFICE, "B")
    guide = world.user(Role.GUIDANCE, "CITY")
    rounds.recommend(
        rounds.NominationInput(round_.categories.get(), world.ha, None, world.ha_b1, "事迹", []),
        today=TODAY,
    )
    assert send_round_reminders(TODAY - dt.timedelta(days=1)) == 0  # four days ahead
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)
    assert round_reminders.call_local() == 1  # the daily job
    assert _titles(office_b) == ["推荐截止提醒：全市四强党支部评选"]
    assert _titles(office_a) == [] and _titles(guide) == []
    assert send_round_reminders(TODAY + dt.timedelta(days=1)) == 0  # told already
    assert send_round_reminders(TODAY + dt.timedelta(days=4)) == 0  # past the deadline


def test_panel_members_with_unscored_recommendations_are_reminded(world):
    round_ = _round(world, TODAY)
    category = round_.categories.get()
    a = rounds.recommend(
        rounds.NominationInput(category, world.ha, None, world.ha_b1, "事迹", []), today=TODAY
    )
    rounds.recommend(
        rounds.NominationInput(category, world.hb, None, world.hb_b1, "事迹", []), today=TODAY
    )
    busy, idle = (make_user(n, Role.GUIDANCE, world.guidance) for n in ("busy", "idle"))
    done = make_user("done", Role.GUIDANCE, world.guidance)
    rounds.close_recommendations(round_, [busy, idle, done], TODAY + dt.timedelta(days=2),
                                 today=TODAY)  # fmt: skip
    rounds.review(a, "90", "", by=busy, today=TODAY)
    for nomination in round_.categories.get().nominations.all():
        rounds.review(nomination, "88", "", by=done, today=TODAY)
    assert send_round_reminders(TODAY) == 2
    assert _titles(busy) == _titles(idle) == ["评审截止提醒：全市四强党支部评选"]
    assert _titles(done) == []
    rounds.change_panel(round_, [busy, idle, done], TODAY + dt.timedelta(days=3), today=TODAY)
    assert send_round_reminders(TODAY) == 2  # the moved deadline is a new reminder
