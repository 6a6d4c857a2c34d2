"""The Party-building calendar: required activities at period boundaries, the month page,
the iCalendar export with its subscription token, and scope."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.meetings import calendar
from dangjian.meetings.calendar import plan_year, required_kinds
from dangjian.meetings.models import CalendarSettings, Meeting, MeetingStatus
from dangjian.meetings.rules import MeetingKind as K
from dangjian.meetings.rules import summary_for
from dangjian.meetings.views_calendar import feed_token
from dangjian.orgs.models import CommitteePost, OrgKind
from tests.factories import add_org, add_seat, make_member
from tests.pages.scoped import ScopedPageTest

D = dt.date


def dues(activities, kind):
    return [a.due_on for a in activities if a.kind == kind]


# ---- pure generation ------------------------------------------------------------------
def test_quarterly_kinds_fall_due_on_quarter_ends():
    acts = plan_year([K.GENERAL_ASSEMBLY, K.PARTY_LECTURE], 2025)
    quarter_ends = [D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)]
    assert dues(acts, K.GENERAL_ASSEMBLY) == quarter_ends
    assert dues(acts, K.PARTY_LECTURE) == quarter_ends


def test_assembly_on_quarter_end_counts_for_that_quarter_only():
    held = {K.GENERAL_ASSEMBLY: [D(2025, 3, 31), D(2025, 10, 1)]}
    acts = [a for a in plan_year([K.GENERAL_ASSEMBLY], 2025, held=held)]
    assert [a.done for a in acts] == [True, False, False, True]


def test_yearly_kinds_due_on_31_december():
    acts = plan_year([K.LIFE_MEETING, K.APPRAISAL, K.HEART_TALK], 2024)
    assert [a.due_on for a in acts] == [D(2024, 12, 31)] * 3
    assert all(a.period.start == D(2024, 1, 1) for a in acts)


@pytest.mark.parametrize(
    ("year", "theme_day", "february"),
    [
        (2024, 30, D(2024, 2, 29)),
        (2025, 30, D(2025, 2, 28)),
        (2024, 29, D(2024, 2, 29)),
        (2025, 29, D(2025, 2, 28)),
        (2024, 31, D(2024, 2, 29)),
        (2025, 15, D(2025, 2, 15)),
    ],
)
def test_theme_day_in_february_of_leap_and_common_years(year, theme_day, february):
    acts = plan_year([K.THEME_DAY], year, theme_day=theme_day)
    assert dues(acts, K.THEME_DAY)[1] == february


def test_theme_day_31_clips_in_30_day_months():
    days = dues(plan_year([K.THEME_DAY], 2025, theme_day=31), K.THEME_DAY)
    assert len(days) == 12
    assert days[3] == D(2025, 4, 30)
    assert days[5] == D(2025, 6, 30)
    assert days[8] == D(2025, 9, 30)
    assert days[10] == D(2025, 11, 30)
    assert days[0] == D(2025, 1, 31) and days[11] == D(2025, 12, 31)


def test_theme_day_done_by_a_meeting_in_its_month_not_the_next():
    held = {K.THEME_DAY: [D(2024, 2, 29), D(2024, 4, 1)]}
    acts = plan_year([K.THEME_DAY], 2024, theme_day=31, held=held)
    assert [a.done for a in acts][:4] == [False, True, False, True]


def test_required_kinds_by_level_and_committee():
    assert required_kinds(OrgKind.GROUP, False) == [K.GROUP_MEETING]
    assert K.COMMITTEE_MEETING not in required_kinds(OrgKind.BRANCH, False)
    assert K.COMMITTEE_MEETING in required_kinds(OrgKind.BRANCH, True)
    assert K.GROUP_MEETING not in required_kinds(OrgKind.BRANCH, True)
    assert required_kinds(OrgKind.COMMITTEE, True) == []


def test_monthly_count_and_overdue_state():
    acts = plan_year([K.COMMITTEE_MEETING], 2025)
    assert len(acts) == 12
    march = acts[2]
    assert march.due_on == D(2025, 3, 31)
    assert march.state(D(2025, 3, 31)) == "pending"
    assert march.state(D(2025, 4, 1)) == "overdue"


def test_periods_before_founding_are_not_required():
    acts = plan_year([K.GENERAL_ASSEMBLY], 2025, founded_on=D(2025, 5, 10))
    assert dues(acts, K.GENERAL_ASSEMBLY) == [D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)]


# ---- from the database ---------------------------------------------------------------
def filed(org, kind, day):
    return Meeting.objects.create(
        organization=org,
        kind=kind,
        topic="测试",
        planned_on=day,
        held_on=day,
        status=MeetingStatus.FILED,
    )


def test_year_activities_reads_settings_committee_and_filed_meetings(world):
    branch = world.ha_b1
    CalendarSettings.objects.create(organization=branch, theme_day=31)
    filed(branch, K.GENERAL_ASSEMBLY, D(2024, 3, 31))
    Meeting.objects.create(  # planned only: does not count
        organization=branch, kind=K.GENERAL_ASSEMBLY, topic="计划", planned_on=D(2024, 6, 1)
    )
    acts = calendar.year_activities(branch, 2024)
    assert K.COMMITTEE_MEETING not in {a.kind for a in acts}
    assert dues(acts, K.THEME_DAY)[1] == D(2024, 2, 29)
    assert [a.done for a in acts if a.kind == K.GENERAL_ASSEMBLY] == [True, False, False, False]
    for post in (CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PUBLICITY):
        add_seat(branch, make_member(branch), post)
    acts = calendar.year_activities(branch, 2024)
    assert len(dues(acts, K.COMMITTEE_MEETING)) == 12


def test_year_activities_query_count_fixed(world):
    branch = world.ha_b1
    with CaptureQueriesContext(connection) as few:
        calendar.year_activities(branch, 2024)
    for month in range(1, 13):
        filed(branch, K.THEME_DAY, D(2024, month, 15))
        filed(branch, K.GENERAL_ASSEMBLY, D(2024, month, 3))
    with CaptureQueriesContext(connection) as many:
        acts = calendar.year_activities(branch, 2024)
    assert len(many) == len(few)
    assert all(a.done for a in acts if a.kind in (K.THEME_DAY, K.GENERAL_ASSEMBLY))


def test_group_calendar_has_group_meetings(world):
    world.ha_b1.refresh_from_db()
    group = add_org(world.ha_b1, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    acts = calendar.year_activities(group, 2025)
    assert {a.kind for a in acts} == {K.GROUP_MEETING}
    assert len(acts) == 12


# ---- pages ---------------------------------------------------------------------------
def test_calendar_page_shows_month_grid(client, world):
    branch = world.ha_b1
    filed(branch, K.THEME_DAY, D(2024, 2, 15))
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(f"/meetings/calendar/?org={branch.code}&year=2024&month=2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "主题党日" in page
    assert "2024年2月" in page
    assert "token=" in page  # the subscription link


def test_calendar_page_bad_month_falls_back(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(f"/meetings/calendar/?org={world.ha_b1.code}&year=abc&month=13")
    assert response.status_code == 200


def test_calendar_page_other_hospital_404(client, world):
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(f"/meetings/calendar/?org={world.ha_b1.code}").status_code == 404


def test_calendar_page_needs_login(client, world):
    response = client.get(f"/meetings/calendar/?org={world.ha_b1.code}")
    assert response.status_code == 302


def parse_ics(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_ics_export_parses_back(client, world):
    branch = world.ha_b1
    CalendarSettings.objects.create(organization=branch, theme_day=30)
    filed(branch, K.THEME_DAY, D(2024, 1, 30))
    client.force_login(world.user(Role.OFFICE, "A"))
    cal = parse_ics(client.get(f"/meetings/calendar/{branch.code}.ics?year=2024"))
    events = list(cal.walk("VEVENT"))
    expected = calendar.year_activities(branch, 2024)
    required = [e for e in events if str(e["UID"]).startswith("required-")]
    assert len(required) == len(expected)
    uids = {str(e["UID"]) for e in events}
    assert len(uids) == len(events)
    themes = sorted(e.decoded("DTSTART") for e in required if "主题党日" in str(e["SUMMARY"]))
    assert themes[1] == D(2024, 2, 29)  # all-day, clipped to the leap day
    assert all(isinstance(e.decoded("DTSTART"), dt.date) for e in required)
    january = next(e for e in required if e.decoded("DTSTART") == D(2024, 1, 30))
    assert "已完成" in str(january["DESCRIPTION"])
    # the meeting itself is an event too
    assert any(str(e["UID"]).startswith("meeting-") for e in events)


def test_ics_other_hospital_404(client, world):
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(f"/meetings/calendar/{world.ha_b1.code}.ics").status_code == 404


def test_ics_unknown_org_404(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get("/meetings/calendar/NOPE.ics").status_code == 404


def test_ics_with_token_needs_no_login(client, world):
    user = world.user(Role.SECRETARY, "A")
    token = feed_token(user, world.ha_b1)
    response = client.get(f"/meetings/calendar/{world.ha_b1.code}.ics?token={token}")
    assert len(list(parse_ics(response).walk("VEVENT"))) > 0


def test_ics_forged_or_misused_token_404(client, world):
    a_user = world.user(Role.SECRETARY, "A")
    b_user = world.user(Role.SECRETARY, "B")
    token = feed_token(a_user, world.ha_b1)
    url = f"/meetings/calendar/{world.ha_b1.code}.ics"
    assert client.get(f"{url}?token={token[:-2]}xx").status_code == 404
    assert client.get(f"{url}?token=garbage").status_code == 404
    # a valid token for one branch does not open another
    assert client.get(f"/meetings/calendar/{world.ha_b2.code}.ics?token={token}").status_code == 404
    # a token naming a user who cannot read the org (hospital B's secretary)
    assert client.get(f"{url}?token={feed_token(b_user, world.ha_b1)}").status_code == 404
    # without login or token
    assert client.get(url).status_code == 404
    # a deactivated user's feed stops
    a_user.is_active = False
    a_user.save()
    assert client.get(f"{url}?token={token}").status_code == 404


class TestCalendarPageScope(ScopedPageTest):
    viewer_role = Role.SECRETARY
    expected_text = ("党建日历", "支部党员大会", "订阅党建日历")

    def url(self, world):
        return f"/meetings/calendar/?org={world.ha_b1.code}&year=2024&month=3"

    def grow(self, world, n):
        start = Meeting.objects.filter(organization=world.ha_b1).count()
        for i in range(start, start + n):
            filed(world.ha_b1, K.THEME_DAY, D(2024, 3, 1 + i % 28))
            Meeting.objects.create(
                organization=world.ha_b1,
                kind=K.PARTY_LECTURE,
                topic=f"党课{i}",
                planned_on=D(2024, 3, 1 + i % 28),
            )


@pytest.mark.parametrize(
    ("kind", "topic", "summary"),
    [
        (K.THEME_DAY, "3月主题党日：参观红色教育基地", "3月主题党日：参观红色教育基地"),
        (K.THEME_DAY, "参观红色教育基地", "主题党日：参观红色教育基地"),
        (K.COMMITTEE_MEETING, "12月支委会：研究本月支部工作", "12月支委会：研究本月支部工作"),
        (K.GENERAL_ASSEMBLY, "2026年第4季度支部党员大会", "2026年第4季度支部党员大会"),
        (K.PARTY_LECTURE, "弘扬伟大建党精神", "党课：弘扬伟大建党精神"),
        (K.LIFE_MEETING, "2025年度组织生活会", "2025年度组织生活会"),
    ],
)
def test_titles_do_not_repeat_the_kind(kind, topic, summary):
    assert summary_for(kind, topic) == summary
