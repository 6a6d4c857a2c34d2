"""The subscribed calendar feeds, parsed back with `icalendar`: timed meetings in
Asia/Shanghai with a VTIMEZONE, LOCATION, alarms and a description; titles without the
kind twice; the window six months back and a year ahead; the subtree feeds of a hospital
office and a guidance committee; the member's own feed; scope and revoked links → 404;
renewing a link from the page that shows it."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
from django.core import signing

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.models import AuditEntry
from dangjian.meetings import calendar, services, views_calendar
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.meetings.rules import MeetingKind as K
from dangjian.meetings.views_calendar import FEED_SALT, feed_token, member_feed_token
from dangjian.people.models import Person
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 12, 4)
D = dt.date


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(views_calendar.timezone, "localdate", lambda *a, **k: TODAY)


def at(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def meeting(org, day, topic="学习党的二十大报告", kind=K.THEME_DAY, timed=True, **extra):
    if timed:
        extra.setdefault("starts_at", at(day, 14, 30))
        extra.setdefault("ends_at", at(day, 16, 0))
    return Meeting.objects.create(organization=org, kind=kind, topic=topic, planned_on=day, **extra)


def feed(client, org, user):
    response = client.get(f"/meetings/calendar/{org.code}.ics?token={feed_token(user, org)}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(cal, prefix="meeting-"):
    return {str(e["UID"]): e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(prefix)}


def uid(m):
    return f"meeting-{m.pk}@dangjian"


def test_timed_meeting_keeps_its_times_place_alarms_and_description(client, world):
    m = meeting(
        world.ha_b1, D(2026, 12, 10), place="门诊楼三楼会议室", host="王书记",
        topic="12月主题党日：重温入党誓词",
    )  # fmt: skip
    cal = feed(client, world.ha_b1, world.user(Role.SECRETARY, "A"))
    event = events(cal)[uid(m)]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == at(D(2026, 12, 10), 14, 30) and end == at(D(2026, 12, 10), 16, 0)
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    assert str(event["LOCATION"]) == "门诊楼三楼会议室"
    assert str(event["SUMMARY"]) == "12月主题党日：重温入党誓词"  # not 主题党日：12月主题党日
    description = str(event["DESCRIPTION"])
    assert "HA心内科党支部" in description and "主持人：王书记" in description
    assert f"http://testserver/meetings/{m.pk}/" in description
    assert str(event["URL"]) == f"http://testserver/meetings/{m.pk}/"
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in event.walk("VALARM"))
    # 20:00 the evening before (18.5 hours before 14:30) and 30 minutes before
    assert triggers == [-dt.timedelta(hours=18, minutes=30), -dt.timedelta(minutes=30)]


def test_title_gets_the_kind_when_the_topic_lacks_it(client, world):
    m = meeting(world.ha_b1, D(2026, 12, 10), topic="学习党的二十大报告", kind=K.PARTY_LECTURE)
    event = events(feed(client, world.ha_b1, world.user(Role.SECRETARY, "A")))[uid(m)]
    assert str(event["SUMMARY"]) == "党课：学习党的二十大报告"


def test_untimed_meeting_is_all_day_with_the_evening_alarm(client, world):
    m = meeting(world.ha_b1, D(2026, 12, 10), timed=False)
    event = events(feed(client, world.ha_b1, world.user(Role.SECRETARY, "A")))[uid(m)]
    assert event.decoded("DTSTART") == D(2026, 12, 10)
    assert not isinstance(event.decoded("DTSTART"), dt.datetime)
    assert "LOCATION" not in event
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=4)  # 20:00 the day before


def test_held_meeting_has_no_alarm(client, world):
    m = meeting(world.ha_b1, D(2026, 11, 10), status=MeetingStatus.FILED, held_on=D(2026, 11, 10))
    event = events(feed(client, world.ha_b1, world.user(Role.SECRETARY, "A")))[uid(m)]
    assert event.decoded("DTSTART") == at(D(2026, 11, 10), 14, 30)
    assert not list(event.walk("VALARM"))


def test_window_six_months_back_a_year_ahead(client, world):
    assert calendar.feed_window(TODAY) == (D(2026, 6, 1), D(2027, 12, 31))
    inside = [meeting(world.ha_b1, day) for day in (D(2026, 6, 1), D(2027, 12, 31))]
    inside.append(
        meeting(world.ha_b1, D(2027, 6, 1), timed=False, held_on=D(2027, 6, 2))  # moved
    )
    outside = [meeting(world.ha_b1, day) for day in (D(2026, 5, 31), D(2028, 1, 1))]
    cal = feed(client, world.ha_b1, world.user(Role.SECRETARY, "A"))
    found = events(cal)
    assert {uid(m) for m in inside} <= set(found)
    assert not {uid(m) for m in outside} & set(found)
    required = events(cal, "required-")
    expected = calendar.year_activities(world.ha_b1, 2026, TODAY)
    expected += calendar.year_activities(world.ha_b1, 2027, TODAY)
    assert len(required) == len(expected)
    years = {e.decoded("DTSTART").year for e in required.values()}
    assert years == {2026, 2027}


def test_download_of_one_year_keeps_that_year(client, world):
    meeting(world.ha_b1, D(2025, 3, 5))
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(f"/meetings/calendar/{world.ha_b1.code}.ics?year=2025")
    cal = icalendar.Calendar.from_ical(response.content)
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert starts and all(s.year == 2025 for s in starts)


def test_office_and_guidance_get_their_subtree(client, world):
    a1 = meeting(world.ha_b1, D(2026, 12, 10), place="A1")
    a2 = meeting(world.ha_b2, D(2026, 12, 11))
    b1 = meeting(world.hb_b1, D(2026, 12, 12))
    office_feed = feed(client, world.ha, world.user(Role.OFFICE, "A"))
    found = events(office_feed)
    assert set(found) == {uid(a1), uid(a2)}
    assert str(found[uid(a2)]["SUMMARY"]).startswith("HA行政党支部 · ")
    assert not events(office_feed, "required-")  # required activities: branch feeds only
    guidance_feed = feed(client, world.guidance, world.user(Role.GUIDANCE, "CITY"))
    assert set(events(guidance_feed)) == {uid(a1), uid(a2), uid(b1)}


def test_scope_of_a_token(client, world):
    office_a = world.user(Role.OFFICE, "A")
    url = f"/meetings/calendar/{world.hb.code}.ics"
    # another hospital's organisation
    assert client.get(f"{url}?token={feed_token(office_a, world.hb)}").status_code == 404
    # an organisation the user no longer reads
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    token = feed_token(secretary, world.ha_b1)
    branch_url = f"/meetings/calendar/{world.ha_b1.code}.ics?token={token}"
    assert client.get(branch_url).status_code == 200
    RoleGrant.objects.filter(user=secretary).delete()
    assert client.get(branch_url).status_code == 404


def test_renew_from_the_calendar_page_revokes_the_old_link(client, world):
    user = world.user(Role.SECRETARY, "A")
    old = feed_token(user, world.ha_b1)
    url = f"/meetings/calendar/{world.ha_b1.code}.ics"
    client.force_login(user)
    page = client.get(f"/meetings/calendar/?org={world.ha_b1.code}").content.decode()
    # The signed token carries the second it was made: compare what it says, not its text.
    shown = re.search(r"token=([^\"&<\s]+)", page).group(1)
    assert "作废旧链接并生成新链接" in page
    assert signing.loads(shown, salt=FEED_SALT) == signing.loads(old, salt=FEED_SALT)
    response = client.post("/meetings/calendar/feed/renew/", {"org": world.ha_b1.code})
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/calendar/?org={world.ha_b1.code}#feed"
    assert AuditEntry.objects.filter(action="calendar.feed_revoke").count() == 1
    page = client.get(response["Location"]).content.decode()
    new = re.search(r"\.ics\?token=([^\"&]+)", page).group(1)
    assert new != old
    assert "原订阅链接已全部作废" in page
    client.logout()
    assert client.get(f"{url}?token={old}").status_code == 404
    assert client.get(f"{url}?token={new}").status_code == 200


def test_renew_needs_a_post_and_a_login(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get("/meetings/calendar/feed/renew/").status_code == 405
    client.logout()
    assert client.post("/meetings/calendar/feed/renew/").status_code == 302
    assert not AuditEntry.objects.filter(action="calendar.feed_revoke").exists()


def test_renew_with_another_hospitals_org_goes_to_the_tokens_page(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.post("/meetings/calendar/feed/renew/", {"org": world.hb.code})
    assert response["Location"] == "/accounts/tokens/"


def test_tokens_page_leads_to_the_calendar_pages(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    page = client.get("/accounts/tokens/").content.decode()
    assert "/meetings/calendar/" in page


# ---- the member's own feed ---------------------------------------------------------------
@pytest.fixture
def member(world):
    person = make_member(world.ha_b1, name="甲")
    user = make_user("member-a", Role.MEMBER, world.ha_b1)
    Person.objects.filter(pk=person.pk).update(user=user)
    return user


def test_member_feed_has_the_meetings_they_are_expected_at(client, world, member):
    mine = services.plan_meeting(
        world.ha_b1, kind=K.THEME_DAY, topic="主题党日", planned_on=D(2026, 12, 10),
        starts_at=at(D(2026, 12, 10), 9, 0), place="会议室",
    )  # fmt: skip
    not_mine = meeting(world.ha_b2, D(2026, 12, 10))
    token = member_feed_token(member)
    response = client.get(f"/meetings/calendar/me/feed.ics?token={token}")
    cal = icalendar.Calendar.from_ical(response.content)
    found = events(cal)
    assert set(found) == {uid(mine)}
    event = found[uid(mine)]
    assert event.decoded("DTSTART") == at(D(2026, 12, 10), 9, 0)
    assert event.decoded("DTEND") == at(D(2026, 12, 10), 10, 0)  # an hour without an end
    assert str(event["LOCATION"]) == "会议室"
    assert uid(not_mine) not in found


def test_member_page_shows_and_renews_the_link(client, world, member):
    client.force_login(member)
    page = client.get("/meetings/calendar/me/").content.decode()
    old = member_feed_token(member)
    assert f"token={old}" in page
    response = client.post("/meetings/calendar/feed/renew/", {"mine": "1"})
    assert response["Location"] == "/meetings/calendar/me/#feed"
    client.logout()
    assert client.get(f"/meetings/calendar/me/feed.ics?token={old}").status_code == 404
    member.refresh_from_db()
    fresh = member_feed_token(member)
    assert client.get(f"/meetings/calendar/me/feed.ics?token={fresh}").status_code == 200


def test_member_feed_refused_without_a_member(client, world, member):
    office = world.user(Role.OFFICE, "B")
    assert client.get("/meetings/calendar/me/feed.ics").status_code == 404
    assert client.get("/meetings/calendar/me/feed.ics?token=garbage").status_code == 404
    org_token = feed_token(member, world.ha_b1)  # an organisation's token is not a member's
    assert client.get(f"/meetings/calendar/me/feed.ics?token={org_token}").status_code == 404
    client.force_login(office)  # another hospital's office: no person of its own
    assert client.get("/meetings/calendar/me/").status_code == 404
    assert client.get("/meetings/calendar/me/feed.ics").status_code == 404
    member.is_active = False
    member.save()
    token = member_feed_token(member)
    client.logout()
    assert client.get(f"/meetings/calendar/me/feed.ics?token={token}").status_code == 404


def test_feed_queries_fixed_as_meetings_grow(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = world.user(Role.OFFICE, "A")
    secretary = world.user(Role.SECRETARY, "A")
    meeting(world.ha_b1, D(2026, 12, 10))

    def count(org, user):
        with CaptureQueriesContext(connection) as queries:
            feed(client, org, user)
        return len(queries)

    few = (count(world.ha, office), count(world.ha_b1, secretary))
    for i in range(8):
        meeting(world.ha_b1, D(2026, 12, 1 + i), place=f"会议室{i}")
        meeting(world.ha_b2, D(2027, 1, 1 + i), timed=False)
    assert (count(world.ha, office), count(world.ha_b1, secretary)) == few
