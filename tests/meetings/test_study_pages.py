"""Study pages: members against 32 hours, recording a study, a member's own record."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.meetings.models import Study
from dangjian.meetings.services import record_study
from tests.factories import make_member, make_user
from tests.pages.scoped import count_queries

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year


def _study(person, hours, day=None):
    day = day or dt.date(YEAR, 1, 2)
    return record_study(person, kind="self_study", title="示例学习", studied_on=day, hours=hours)


def test_the_list_shows_hours_against_the_target_and_hides_other_hospitals(client, world):
    member = make_member(world.ha_b1, name="甲学习")
    _study(member, 10)
    _study(member, 2.5)
    make_member(world.hb_b1, name="乙外院")
    client.force_login(world.user("office"))
    page = client.get(
        reverse("meetings:study"), {"org": world.ha.code, "year": YEAR}
    ).content.decode()
    assert "甲学习" in page and "12.5 / 32" in page and "乙外院" not in page
    assert client.get(reverse("meetings:study"), {"org": world.hb.code}).status_code == 404


def test_the_list_keeps_its_query_count_as_members_grow(client, world):
    client.force_login(world.user("office"))
    url = reverse("meetings:study") + f"?org={world.ha.code}"
    make_member(world.ha_b1)
    before, _ = count_queries(client, url)
    for _ in range(5):
        _study(make_member(world.ha_b2), 3)
    after, _ = count_queries(client, url)
    assert after == before


def test_recording_a_study_and_refusing_bad_hours(client, world):
    member = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("meetings:study_record", args=[member.pk])
    bad = client.post(
        url, {"kind": "training", "title": "集中培训", "studied_on": f"{YEAR}-01-05", "hours": "0"}
    )
    assert bad.status_code == 200 and not Study.objects.exists()
    good = client.post(
        url, {"kind": "training", "title": "集中培训", "studied_on": f"{YEAR}-01-05", "hours": "8"}
    )
    assert good.status_code == 302 and Study.objects.get().hours == 8


def test_recording_needs_write_scope_and_another_hospital_gets_404(client, world):
    member = make_member(world.ha_b1)
    url = reverse("meetings:study_record", args=[member.pk])
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    assert client.get(url).status_code == 403


def test_a_member_sees_their_own_hours(client, world):
    member = make_member(world.ha_b1)
    user = make_user("member-self", Role.MEMBER, world.ha_b1)
    member.user = user
    member.save()
    _study(member, 16)
    client.force_login(user)
    page = client.get(reverse("meetings:my_study")).content.decode()
    assert "已学 16.0 学时" in page and "50%" in page
    assert client.get(reverse("meetings:study")).status_code == 302


def test_a_calendar_entry_opens_the_plan_form_filled_in(client, world):
    make_member(world.ha_b1)
    client.force_login(world.user("office"))
    calendar = client.get(reverse("meetings:calendar"), {"org": world.ha_b1.code}).content.decode()
    assert reverse("meetings:new") + f"?org={world.ha_b1.code}&amp;kind=" in calendar
    form = client.get(
        reverse("meetings:new"),
        {"org": world.ha_b1.code, "kind": "theme_day", "date": "2024-05-15"},
    ).context["form"]
    assert form.initial == {"kind": "theme_day", "planned_on": "2024-05-15", "topic": "主题党日"}
    listing = client.get(reverse("meetings:list"), {"org": world.ha.code}).content.decode()
    assert reverse("meetings:calendar") in listing and reverse("meetings:study") in listing
