"""Every points page: renders for hospital A's users, 404 for hospital B's, and a query
count that does not grow with the members or records it shows."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.points import services
from dangjian.points.models import PointAdjustment
from tests.factories import make_member, make_member_user, make_user

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _active_member(world, org, name):
    """A member with a held meeting attended and an approved addition this year."""
    person = make_member(org, name=name)
    meeting = Meeting.objects.create(
        organization=org, kind="theme_day", topic="主题党日", planned_on=TODAY, held_on=TODAY,
        status=MeetingStatus.HELD,
    )  # fmt: skip
    Attendance.objects.create(meeting=meeting, person=person, state=AttendanceState.PRESENT)
    proposer = make_user(f"p-{person.pk}", Role.OFFICE, world.ha)
    adjustment = services.propose(person, Decimal(2), "表彰", TODAY, by=proposer)
    services.decide(adjustment, True, by=world.user(Role.OFFICE))
    return person


class TestRanking(ScopedPageTest):
    expected_text = ("党员积分", "甲院积分0", "导出 Excel")

    def url(self, world):
        return f"{reverse('points:ranking')}?org={world.ha.code}"

    def grow(self, world, n):
        count = PointAdjustment.objects.count()
        for i in range(n):
            _active_member(world, world.ha_b1, f"甲院积分{count + i}")


class TestPersonPoints(ScopedPageTest):
    expected_text = ("的积分", "表彰")

    def url(self, world):
        if not hasattr(world, "scored"):
            world.scored = _active_member(world, world.ha_b1, "积分甲")
        return reverse("points:person", args=[world.scored.pk])

    def grow(self, world, n):
        self.url(world)
        for _ in range(n):
            adjustment = services.propose(
                world.scored, Decimal(1), "再表彰", TODAY, by=world.user(Role.SECRETARY)
            )
            services.decide(adjustment, True, by=world.user(Role.OFFICE))


class TestMine(ScopedPageTest):
    """Hospital B's member account has no record of its own here: 404."""

    viewer_role = Role.MEMBER
    expected_text = ("的积分", "主题党日")

    def viewer(self, world):
        if not hasattr(world, "me"):
            world.me = make_member_user(world.ha_b1, "me")
        return world.me.user

    def url(self, world):
        return reverse("points:mine")

    def grow(self, world, n):
        me = self.viewer(world).person
        for _ in range(n):
            meeting = Meeting.objects.create(
                organization=world.ha_b1, kind="theme_day", topic="主题党日", planned_on=TODAY,
                held_on=TODAY, status=MeetingStatus.HELD,
            )  # fmt: skip
            Attendance.objects.create(meeting=meeting, person=me, state=AttendanceState.PRESENT)


class TestAdjustments(ScopedPageTest):
    expected_text = ("加减分", "待审核")

    def url(self, world):
        return f"{reverse('points:adjustments')}?org={world.ha.code}"

    def grow(self, world, n):
        for i in range(n):
            services.propose(
                make_member(world.ha_b1),
                Decimal(1),
                f"理由{i}",
                TODAY,
                by=world.user(Role.SECRETARY),
            )


def test_the_ranking_exports_a_workbook_with_ranks(client, world):
    _active_member(world, world.ha_b1, "积分甲")
    make_member(world.ha_b2, name="积分乙")
    client.force_login(world.user(Role.OFFICE))
    response = client.get(f"{reverse('points:ranking')}?org={world.ha.code}&export=1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[1] for row in values if row and row[1] in ("积分甲", "积分乙")]
    assert names == ["积分甲", "积分乙"]
    client.force_login(world.user(Role.OFFICE, "B"))
    response = client.get(f"{reverse('points:ranking')}?org={world.ha.code}&export=1")
    assert response.status_code == 404


def test_another_hospital_cannot_approve(client, world):
    person = make_member(world.ha_b1)
    adjustment = services.propose(person, Decimal(3), "表彰", TODAY, by=world.user(Role.SECRETARY))
    client.force_login(world.user(Role.OFFICE, "B"))
    response = client.post(
        reverse("points:adjustment_action", args=[adjustment.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    adjustment.refresh_from_db()
    assert adjustment.state == "pending"


class TestRules(ScopedPageTest):
    expected_text = ("积分规则", "参加组织生活", "上限周期")

    def url(self, world):
        return f"{reverse('points:rules')}?org={world.ha.code}"

    def grow(self, world, n):
        specs = services.rules_for(world.ha, TODAY.year)
        services.save_rules(world.ha, TODAY.year, specs[: max(1, len(specs) - n)])


def test_the_office_sets_this_years_rules_and_a_secretary_cannot(client, world):
    data = {"meeting_attended-points": "3", "meeting_attended-period": "month",
            "meeting_attended-cap": "12", "dues_arrears-points": "-1",
            "dues_arrears-period": "year"}  # fmt: skip
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    client.force_login(secretary)
    url = f"{reverse('points:rules')}?org={world.ha_b1.code}"
    assert client.post(url, data).status_code in (403, 404)
    client.force_login(world.user(Role.OFFICE))
    assert client.post(url, data).status_code == 302
    specs = services.rules_for(world.ha, TODAY.year)
    assert sorted((s.event, s.points, s.cap) for s in specs) == [
        ("dues_arrears", Decimal("-1"), None),
        ("meeting_attended", Decimal("3"), Decimal("12")),
    ]
    bad = {**data, "dues_arrears-cap": "5"}  # a deduction capped by a positive number
    response = client.post(url, bad)
    assert response.status_code == 200 and "同为加分或同为扣分" in response.content.decode()
