"""The guidance committee's city overview: one row per hospital with the figures the
committee compares them on (members, branches, dual-leader ratio, branches meeting the
organisational-life frequencies, dues arrears, overdue tasks, 三重一大 items this year),
the city's figures on top, the hospitals behind the city flagged; the committee lands
there; scoped, and as many queries for 4 hospitals as for 9."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.home.city import COLUMNS, city_overview
from dangjian.meetings.models import AttendanceState
from dangjian.meetings.queries import meeting_figures
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.models import Organization
from tests.factories import hospital_tree, make_member
from tests.meetings.test_services import _held  # a filed meeting, everyone present
from tests.pages.scoped import ScopedPageTest
from tests.pages.world import add_dual_branch, add_members
from tests.tasks.builders import a_list, a_task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _cells(row) -> dict:
    return {cell.column.key: cell for cell in row.cells}


def _city(world):
    """HA: a dual-leader branch, four members and a task not yet due; HB: a linked branch
    without a dual leader, two members and an overdue task carried over from last year."""
    add_dual_branch(world.ha, "HA-D1")
    add_members(world.ha_b1, 3)
    add_members(world.hb_b1, 2)
    _target, area = a_list(world.ha, year=TODAY.year)
    a_task(area, world.ha_b1, due=dt.date(TODAY.year, 12, 31), title="按期任务")
    _target, area = a_list(world.hb, year=TODAY.year - 1)
    a_task(area, world.hb_b1, due=dt.date(TODAY.year - 1, 12, 1), title="逾期任务")
    return Organization.objects.get(pk=world.guidance.pk)


def test_each_hospital_is_compared_with_the_city(world):
    city = _city(world)
    overview = city_overview(city, TODAY)
    rows = {row.org.code: _cells(row) for row in overview["rows"]}
    assert list(rows) == ["HA", "HB"]
    totals = {cell.column.key: cell for cell in overview["totals"]}
    assert totals["members.total"].text == "6" and rows["HA"]["members.total"].text == "4"
    assert totals["organizations.branches"].value == 5
    # HA: HA-D1 of HA-B1 and HA-D1 (linked); HB: none of HB-B1; the city: 1 of 3.
    assert rows["HA"]["branches.dual_leader_ratio"].text == "50.0%"
    assert rows["HA"]["branches.dual_leader_ratio"].detail == "1 / 2"
    assert totals["branches.dual_leader_ratio"].text == "33.3%"
    assert not rows["HA"]["branches.dual_leader_ratio"].lagging
    assert rows["HB"]["branches.dual_leader_ratio"].lagging  # 0 % below the city's 33.3 %
    assert rows["HB"]["tasks.overdue"].value == 1 and rows["HB"]["tasks.overdue"].lagging
    assert rows["HA"]["tasks.overdue"].text == "0" and not rows["HA"]["tasks.overdue"].lagging
    assert totals["tasks.overdue"].value == 1
    assert [c.key for c in overview["columns"]] == [c.key for c in COLUMNS]


def test_a_branch_meets_the_frequencies_when_it_missed_no_period(world):
    """In January only the monthly theme day is due: HA-B1 held it, HA-B2 did not."""
    make_member(world.ha_b1)
    meeting = _held(world.ha_b1, MeetingKind.THEME_DAY, dt.date(2024, 1, 15))
    assert meeting.attendance.filter(state=AttendanceState.PRESENT).exists()
    start, day = dt.date(2024, 1, 1), dt.date(2024, 1, 31)
    parts = meeting_figures.unit_parts(world.guidance.path, start, day)
    assert parts[world.ha.path]["branches_measured"] == 2
    assert parts[world.ha.path]["branches_compliant"] == 1
    overview = city_overview(Organization.objects.get(pk=world.guidance.pk), day)
    ha = _cells(overview["rows"][0])["meetings.compliant_branches_ratio"]
    assert (ha.text, ha.detail) == ("50.0%", "1 / 2")
    hb = _cells(overview["rows"][1])["meetings.compliant_branches_ratio"]
    assert (hb.text, hb.detail, hb.lagging) == ("0.0%", "0 / 2", True)


def test_the_committee_lands_on_it_with_its_nav_item(client, world):
    _city(world)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home:city")
    page = response.content.decode()
    assert "全市概览" in page and "HA医院党委" in page and "HB医院党委" in page
    assert f'href="{reverse("dashboard:home")}?org=HB"' in page  # drills down to the hospital
    assert 'class="text-end dj-laggard"' in page
    assert "0.333" not in page and "33.3%" in page


def test_it_is_for_the_organisations_above_the_hospitals(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get(reverse("home:city")).status_code == 404  # a hospital: its dashboard
    assert client.get(reverse("home:city"), {"org": "CITY"}).status_code == 404
    assert "全市概览" not in client.get(reverse("home:office")).content.decode()


class TestCityPage(ScopedPageTest):
    viewer_role = Role.GUIDANCE
    viewer_hospital = "CITY"
    expected_text = ("全市概览", "HA医院党委", "“双带头人”比例")

    def url(self, world):
        return f"{reverse('home:city')}?org=CITY"

    def grow(self, world, n):
        """n more hospitals, each with members, a dual-leader branch and a task."""
        for _ in range(n):
            city = Organization.objects.get(pk=world.guidance.pk)
            code = f"HX{Organization.objects.count()}"
            hospital, b1, _b2 = hospital_tree(code, city)
            add_members(b1, 2)
            add_dual_branch(hospital, f"{code}-D")
            _target, area = a_list(hospital, year=TODAY.year)
            a_task(area, b1, due=dt.date(TODAY.year, 12, 31))
