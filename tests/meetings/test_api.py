"""The meetings API: list, detail with attendance and quorum, planning, attendance, held
with the quorum check, QR check-in and study hours. The same scope as the pages (hospital
B's user gets 404 on hospital A's meetings, organisations and people; a reader gets 403
when writing), the services' Chinese refusals as 400, and nothing written when refused."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, Meeting, Study
from dangjian.meetings.rules import MeetingKind
from dangjian.people.models import Status
from tests.factories import TEST_PASSWORD, make_member, make_user
from tests.pages.world import add_members

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
API = "/api/v1"
K = MeetingKind


def auth(client, user) -> dict:
    response = client.post(
        f"{API}/auth/token",
        {"username": user.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def post(client, url, headers, **body):
    return client.post(f"{API}{url}", body, content_type="application/json", **headers)


def assembly(org, planned_on=TODAY, topic="学习党章，开展批评与自我批评"):
    return services.plan_meeting(org, kind=K.GENERAL_ASSEMBLY, topic=topic, planned_on=planned_on)


def member_user(org, username="member-a", **person):
    """A full member of `org` who logs in as a member (sees only themselves)."""
    person = make_member(org, **person)
    person.user = make_user(username, Role.MEMBER, org)
    person.save(update_fields=["user"])
    return person


def writes() -> tuple:
    """What a refused call must leave unchanged."""
    rows = Attendance.objects.order_by("pk").values_list("state", "reason", "checked_in_at")
    meetings = Meeting.objects.order_by("pk").values_list("status", "held_on", "resolution")
    studies = Study.objects.values_list("pk", flat=True)
    audited = AuditEntry.objects.filter(action__regex=r"^(meeting|study)\.").count()
    return list(rows), list(meetings), list(studies), audited


# ---- the contract --------------------------------------------------------------------
def test_the_endpoints_are_in_the_openapi_document(client, db, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False  # the document is public here
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {
        f"{API}/meetings",
        f"{API}/meetings/{{meeting_id}}",
        f"{API}/meetings/{{meeting_id}}/attendance",
        f"{API}/meetings/{{meeting_id}}/held",
        f"{API}/meetings/{{meeting_id}}/check-in-token",
        f"{API}/check-in",
        f"{API}/study",
    } <= paths.keys()
    assert {"get", "post"} <= paths[f"{API}/meetings"].keys()
    assert {"get", "post"} <= paths[f"{API}/study"].keys()


def test_no_token_answers_401(client, world):
    meeting = assembly(world.ha_b1)
    assert client.get(f"{API}/meetings").status_code == 401
    assert client.get(f"{API}/meetings/{meeting.pk}").status_code == 401
    assert post(client, "/check-in", {}, token="x").status_code == 401
    assert client.get(f"{API}/study").status_code == 401


# ---- scope: another hospital's records do not exist -----------------------------------
def test_every_endpoint_answers_404_to_another_hospital(client, world):
    person = add_members(world.ha_b1, 3)[0]
    meeting = assembly(world.ha_b1)
    token = services.check_in_token(meeting)
    headers = auth(client, world.user(Role.OFFICE, "B"))
    before = writes()
    for url in (
        f"/meetings?org={world.ha.code}",
        f"/meetings?org={world.ha_b1.code}",
        f"/meetings/{meeting.pk}",
        f"/meetings/{meeting.pk}/check-in-token",
        f"/study?org={world.ha.code}",
    ):
        response = client.get(f"{API}{url}", **headers)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "不存在"}
    calls = (
        ("/meetings", {"org": world.ha_b1.code, "kind": K.THEME_DAY, "topic": "主题党日",
                       "planned_on": str(TODAY)}),
        (f"/meetings/{meeting.pk}/attendance", {"person_id": person.pk, "state": "present"}),
        (f"/meetings/{meeting.pk}/held", {"held_on": str(TODAY), "minutes": "记录"}),
        ("/study", {"person_id": person.pk, "kind": "training", "title": "党史学习",
                    "studied_on": str(TODAY), "hours": 2}),
    )  # fmt: skip
    for url, body in calls:
        response = post(client, url, headers, **body)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "不存在"}
    # A member of hospital B with hospital A's QR token: that meeting does not exist.
    b_member = member_user(world.hb_b1, "member-b")
    response = post(client, "/check-in", auth(client, b_member.user), token=token)
    assert response.status_code == 404 and response.json() == {"detail": "不存在"}
    assert writes() == before


def test_lists_without_org_show_only_the_callers_hospital(client, world):
    add_members(world.ha_b1, 2)
    add_members(world.hb_b1, 2)
    assembly(world.ha_b1, topic="甲医院支部党员大会")
    assembly(world.hb_b1, topic="乙医院支部党员大会")
    headers = auth(client, world.user(Role.OFFICE, "B"))
    body = client.get(f"{API}/meetings", **headers).json()
    assert [m["topic"] for m in body["items"]] == ["乙医院支部党员大会"]
    study = client.get(f"{API}/study", **headers).json()
    assert {row["organization"] for row in study["items"]} == {world.hb_b1.code}


def test_readers_get_403_on_every_write_and_nothing_is_written(client, world):
    person = add_members(world.ha_b1, 3)[0]
    meeting = assembly(world.ha_b1)
    before = writes()
    for user in (world.user(Role.GUIDANCE, "CITY"), world.user(Role.AUDITOR)):
        headers = auth(client, user)
        assert client.get(f"{API}/meetings/{meeting.pk}", **headers).status_code == 200
        for url, body in (
            ("/meetings", {"org": world.ha_b1.code, "kind": K.THEME_DAY, "topic": "主题党日",
                           "planned_on": str(TODAY)}),
            (f"/meetings/{meeting.pk}/attendance", {"person_id": person.pk, "state": "present"}),
            (f"/meetings/{meeting.pk}/held", {"held_on": str(TODAY), "minutes": "记录"}),
            ("/study", {"person_id": person.pk, "kind": "training", "title": "党史学习",
                        "studied_on": str(TODAY), "hours": 2}),
        ):  # fmt: skip
            response = post(client, url, headers, **body)
            assert response.status_code == 403, (user.username, url)
            assert "权限" in response.json()["detail"]
        response = client.get(f"{API}/meetings/{meeting.pk}/check-in-token", **headers)
        assert response.status_code == 403
    assert writes() == before


def test_a_member_sees_own_meetings_and_own_attendance_only(client, world):
    add_members(world.ha_b1, 3)
    me = member_user(world.ha_b1)
    mine = assembly(world.ha_b1, topic="我应到的党员大会")
    assembly(world.ha_b2, topic="别的支部的党员大会")
    headers = auth(client, me.user)
    listed = client.get(f"{API}/meetings", **headers).json()["items"]
    assert [m["topic"] for m in listed] == ["我应到的党员大会"]
    detail = client.get(f"{API}/meetings/{mine.pk}", **headers).json()
    assert [row["person_id"] for row in detail["attendance"]] == [me.pk]
    assert detail["quorum"]["expected_voters"] == 4
    response = client.get(f"{API}/meetings/{mine.pk}/check-in-token", **headers)
    assert response.status_code == 403


# ---- list and detail -----------------------------------------------------------------
def test_list_filters_by_org_kind_and_dates(client, world):
    add_members(world.ha_b1, 2)
    old = assembly(world.ha_b1, planned_on=TODAY - dt.timedelta(days=60), topic="旧大会")
    services.record_held(old, held_on=TODAY - dt.timedelta(days=58), minutes="记录")
    assembly(world.ha_b1, topic="新大会")
    services.plan_meeting(world.ha_b2, kind=K.THEME_DAY, topic="主题党日", planned_on=TODAY)
    headers = auth(client, world.user(Role.OFFICE))

    def topics(query):
        response = client.get(f"{API}/meetings?{query}", **headers)
        assert response.status_code == 200, response.content
        return [m["topic"] for m in response.json()["items"]]

    assert topics("") == ["主题党日", "新大会", "旧大会"]  # latest day first, then latest made
    assert topics(f"org={world.ha_b1.code}") == ["新大会", "旧大会"]
    assert topics("kind=theme_day") == ["主题党日"]
    # `from`/`to` bound the day it was held (58 days ago), not the planned day.
    day = TODAY - dt.timedelta(days=58)
    assert topics(f"from={day}&to={day}") == ["旧大会"]
    assert topics(f"from={TODAY}&org={world.ha_b1.code}") == ["新大会"]
    bad = client.get(f"{API}/meetings?kind=party", **headers)
    assert bad.status_code == 400 and "未知的会议类别" in bad.json()["detail"]


def test_list_is_paginated_with_a_fixed_number_of_queries(client, world):
    add_members(world.ha_b1, 2)
    headers = auth(client, world.user(Role.OFFICE))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{API}/meetings?page_size=2", **headers)
            assert response.status_code == 200
        return len(ctx), response.json()

    for n in range(3):
        assembly(world.ha_b1, planned_on=TODAY - dt.timedelta(days=n))
    few, body = queries()
    assert body["count"] == 3 and len(body["items"]) == 2
    for n in range(3, 10):
        assembly(world.ha_b1, planned_on=TODAY - dt.timedelta(days=n))
    many, body = queries()
    assert body["count"] == 10 and many == few


def test_detail_shows_attendance_and_quorum(client, world):
    people = add_members(world.ha_b1, 4)
    probationary = make_member(world.ha_b1, status=Status.PROBATIONARY)
    meeting = assembly(world.ha_b1)
    for person in people[:2]:
        services.set_attendance(meeting, person, "present")
    services.set_attendance(meeting, people[2], "leave", "外出义诊")
    body = client.get(f"{API}/meetings/{meeting.pk}", **auth(client, world.user(Role.OFFICE)))
    body = body.json()
    assert body["kind"] == "general_assembly" and body["kind_label"] == "支部党员大会"
    assert body["organization"] == world.ha_b1.code and body["status"] == "planned"
    # Four full members vote; the probationary member attends without a vote.
    assert body["quorum"] == {
        "expected_voters": 4, "present_voters": 2, "met": False, "required": True
    }  # fmt: skip
    rows = {row["person_id"]: row for row in body["attendance"]}
    assert len(rows) == 5 and rows[probationary.pk]["is_voter"] is False
    assert rows[people[2].pk]["state"] == "leave" and rows[people[2].pk]["reason"] == "外出义诊"
    assert rows[people[3].pk]["state"] == "pending"  # not checked in yet


# ---- planning, attendance, held -------------------------------------------------------
def test_a_secretary_plans_in_the_own_branch_only(client, world):
    add_members(world.ha_b1, 3)
    headers = auth(client, make_user("secretary-b1", Role.SECRETARY, world.ha_b1))
    body = {"kind": K.THEME_DAY, "topic": "重温入党誓词", "planned_on": str(TODAY),
            "place": "三楼会议室", "host": "支部书记"}  # fmt: skip
    response = post(client, "/meetings", headers, org=world.ha_b1.code, **body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["place"] == "三楼会议室" and len(created["attendance"]) == 3
    assert AuditEntry.objects.filter(action="meeting.plan").count() == 1
    other = post(client, "/meetings", headers, org=world.ha_b2.code, **body)
    assert other.status_code == 404


def test_meeting_times_are_local_unless_an_offset_is_given_and_bounded(client, world):
    headers = auth(client, world.user(Role.OFFICE))
    body = {"org": world.ha_b1.code, "kind": K.THEME_DAY, "topic": "主题党日",
            "planned_on": "2024-05-10"}  # fmt: skip
    local = post(client, "/meetings", headers, **body, starts_at="2024-05-10T14:30:00")
    assert local.status_code == 201, local.content
    starts = Meeting.objects.get(pk=local.json()["id"]).starts_at
    assert timezone.localtime(starts).hour == 14 and starts.utcoffset() is not None
    offset = post(client, "/meetings", headers, **body, starts_at="2024-05-10T06:30:00+00:00")
    assert timezone.localtime(Meeting.objects.get(pk=offset.json()["id"]).starts_at).hour == 14
    before = writes()
    for value in ("9999-12-31T23:59:59", "1970-01-01T00:00:00", 0, "下午两点"):
        refused = post(client, "/meetings", headers, **body, starts_at=value)
        assert refused.status_code == 422, value
        assert refused.json()["errors"][0]["field"] == "starts_at"
    assert writes() == before


def test_planning_refusals_answer_400_and_write_nothing(client, world):
    headers = auth(client, world.user(Role.OFFICE))
    before = writes()
    for body, message in (
        ({"org": world.ha_b1.code, "kind": K.GROUP_MEETING}, "党小组会须由党小组召开"),
        ({"org": world.ha.code, "kind": "picnic"}, "未知的会议类别"),
        ({"org": world.ha_b1.code, "kind": K.THEME_DAY, "topic": "  "}, "请填写会议主题"),
        ({"org": world.ha_b1.code, "kind": K.PARTY_LECTURE, "lecturer_id": 999999}, "授课人"),
        ({"org": world.ha_b1.code, "kind": K.THEME_DAY, "topic": "长" * 201}, "主题不能超过 200"),
    ):
        payload = {"topic": "主题", "planned_on": str(TODAY), **body}
        response = post(client, "/meetings", headers, **payload)
        assert response.status_code == 400, body
        assert message in response.json()["detail"]
    assert writes() == before


def test_attendance_is_recorded_audited_and_refused_with_reasons(client, world):
    people = add_members(world.ha_b1, 3)
    outsider = make_member(world.ha_b2)
    meeting = assembly(world.ha_b1)
    headers = auth(client, world.user(Role.OFFICE))
    url = f"/meetings/{meeting.pk}/attendance"
    response = post(client, url, headers, person_id=people[0].pk, state="present")
    assert response.status_code == 200
    assert response.json()["quorum"]["present_voters"] == 1
    entry = AuditEntry.objects.filter(action="meeting.attendance").get()
    assert entry.summary["to"] == "present"
    before = writes()
    for body, message in (
        ({"person_id": people[1].pk, "state": "leave"}, "请假须填写事由"),
        ({"person_id": people[1].pk, "state": "late"}, "未知的出席情况"),
        ({"person_id": people[1].pk, "state": "leave", "reason": "病" * 201}, "不能超过 200"),
        ({"person_id": outsider.pk, "state": "present"}, "不在本次会议的应到人员名单中"),
    ):
        response = post(client, url, headers, **body)
        assert response.status_code == 400, body
        assert message in response.json()["detail"]
    assert writes() == before


def test_a_resolution_without_quorum_is_refused_with_the_rule(client, world):
    people = add_members(world.ha_b1, 4)
    meeting = assembly(world.ha_b1)
    headers = auth(client, world.user(Role.OFFICE))
    url = f"/meetings/{meeting.pk}/held"
    services.set_attendance(meeting, people[0], "present")
    services.set_attendance(meeting, people[1], "present")
    before = writes()
    response = post(client, url, headers, held_on=str(TODAY), minutes="记录", resolution="同意")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "不符合《中国共产党支部工作条例（试行）》：须有半数以上有表决权的党员到会"
        "（应到 4，实到 2，至少需 3 人）"
    )
    tomorrow = str(TODAY + dt.timedelta(days=1))
    response = post(client, url, headers, held_on=tomorrow, minutes="记录")
    assert response.status_code == 400 and "不能晚于今天" in response.json()["detail"]
    assert writes() == before
    services.set_attendance(meeting, people[2], "present")
    response = post(client, url, headers, held_on=str(TODAY), minutes="记录", resolution="同意",
                    tally={"yes": 2, "no": 1, "abstain": 0})  # fmt: skip
    assert response.status_code == 400 and "半数以上同意" in response.json()["detail"]
    response = post(client, url, headers, held_on=str(TODAY), minutes="记录", resolution="同意",
                    tally={"yes": 3, "no": 0, "abstain": 0})  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "filed" and body["resolution"] == "同意"
    assert body["tally"] == {"yes": 3, "no": 0, "abstain": 0}
    assert body["quorum"]["met"] is True


# ---- QR check-in ----------------------------------------------------------------------
def test_check_in_with_the_token_from_the_secretary(client, world):
    add_members(world.ha_b1, 2)
    me = member_user(world.ha_b1)
    meeting = services.plan_meeting(
        world.ha_b1, kind=K.THEME_DAY, topic="主题党日", planned_on=TODAY
    )
    secretary = auth(client, make_user("secretary-b1", Role.SECRETARY, world.ha_b1))
    response = client.get(f"{API}/meetings/{meeting.pk}/check-in-token", **secretary)
    assert response.status_code == 200
    body = response.json()
    assert body["url"] == f"http://testserver/meetings/check-in/{body['token']}/"
    assert client.get(body["url"]).status_code in (200, 302)  # the phone page exists
    assert services.meeting_for_token(body["token"]) == meeting
    headers = auth(client, me.user)
    response = post(client, "/check-in", headers, token=body["token"])
    assert response.status_code == 200, response.content
    assert response.json()["meeting_id"] == meeting.pk
    row = Attendance.objects.get(meeting=meeting, person=me)
    assert row.state == "present" and row.checked_in_at is not None
    before = writes()
    again = post(client, "/check-in", headers, token=body["token"])
    assert again.status_code == 400 and "无需重复签到" in again.json()["detail"]
    assert writes() == before


def test_no_check_in_token_once_the_meeting_has_ended(client, world):
    past = services.plan_meeting(
        world.ha_b1, kind=K.THEME_DAY, topic="过去的会", planned_on=dt.date(2024, 1, 15)
    )
    headers = auth(client, world.user(Role.SECRETARY))
    response = client.get(f"{API}/meetings/{past.pk}/check-in-token", **headers)
    assert response.status_code == 400 and "签到已关闭" in response.json()["detail"]


def test_check_in_refusals_answer_400_and_write_nothing(client, world):
    me = member_user(world.ha_b1)
    elsewhere = member_user(world.ha_b2, "member-b2")
    today = services.plan_meeting(world.ha_b1, kind=K.THEME_DAY, topic="今天", planned_on=TODAY)
    yesterday = services.plan_meeting(
        world.ha_b1, kind=K.THEME_DAY, topic="昨天", planned_on=TODAY - dt.timedelta(days=1)
    )
    token = services.check_in_token(today)
    no_person = make_user("office-no-person", Role.OFFICE, world.ha)
    before = writes()
    for user, sent, message in (
        (me.user, token[:-2] + "xx", "签到二维码无效"),
        (me.user, services.check_in_token(yesterday), "签到二维码已过期"),
        (elsewhere.user, token, "不在本次会议的应到人员名单中"),
        (no_person, token, "未关联党员信息"),
    ):
        response = post(client, "/check-in", auth(client, user), token=sent)
        assert response.status_code == 400, message
        assert message in response.json()["detail"]
    assert writes() == before


# ---- study ----------------------------------------------------------------------------
def test_study_hours_per_member_against_32(client, world):
    busy, idle = add_members(world.ha_b1, 2)
    make_member(world.ha_b1, status=Status.ACTIVIST)  # not a member: not listed
    for hours, day in ((20, dt.date(TODAY.year, 1, 1)), (12.5, TODAY), (24, dt.date(2020, 5, 1))):
        services.record_study(busy, kind="training", title="党纪学习", studied_on=day, hours=hours)
    headers = auth(client, world.user(Role.OFFICE))
    body = client.get(f"{API}/study?org={world.ha_b1.code}", **headers).json()
    rows = {row["person_id"]: row for row in body["items"]}
    assert rows.keys() == {busy.pk, idle.pk}
    assert rows[busy.pk]["hours"] == 32.5 and rows[busy.pk]["reached"] is True
    assert rows[idle.pk]["hours"] == 0 and rows[idle.pk]["reached"] is False
    assert rows[busy.pk]["target"] == 32
    past = client.get(f"{API}/study?org={world.ha_b1.code}&year=2020", **headers).json()
    assert {r["person_id"]: r["hours"] for r in past["items"]} == {busy.pk: 24, idle.pk: 0}
    bad = client.get(f"{API}/study?year=1900", **headers)
    assert bad.status_code == 400 and "年份" in bad.json()["detail"]


def test_study_list_costs_the_same_queries_for_more_members(client, world):
    headers = auth(client, world.user(Role.OFFICE))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/study?page_size=3", **headers).status_code == 200
        return len(ctx)

    for person in add_members(world.ha_b1, 3):
        services.record_study(person, kind="online", title="学习", studied_on=TODAY, hours=1)
    few = queries()
    for person in add_members(world.ha_b2, 6):
        services.record_study(person, kind="online", title="学习", studied_on=TODAY, hours=1)
    assert queries() == few


def test_a_member_records_own_study_and_a_secretary_records_for_members(client, world):
    other = add_members(world.ha_b1, 1)[0]
    me = member_user(world.ha_b1)
    body = {"kind": "self_study", "title": "学习《党章》", "studied_on": str(TODAY), "hours": 1.5}
    response = post(client, "/study", auth(client, me.user), person_id=me.pk, **body)
    assert response.status_code == 201, response.content
    assert response.json()["hours"] == 1.5
    # Another member of the same branch does not exist for a member.
    response = post(client, "/study", auth(client, me.user), person_id=other.pk, **body)
    assert response.status_code == 404
    secretary = auth(client, make_user("secretary-b1", Role.SECRETARY, world.ha_b1))
    assert post(client, "/study", secretary, person_id=other.pk, **body).status_code == 201
    assert Study.objects.filter(person=me).count() == Study.objects.filter(person=other).count()


def test_study_refusals_answer_400_and_write_nothing(client, world):
    person = add_members(world.ha_b1, 1)[0]
    headers = auth(client, world.user(Role.OFFICE))
    before = writes()
    ok = {"kind": "training", "title": "党史学习", "studied_on": str(TODAY), "hours": 2}
    for change, message in (
        ({"hours": 0}, "学时须大于 0"),
        ({"studied_on": str(TODAY + dt.timedelta(days=1))}, "不能晚于今天"),
        ({"title": "   "}, "请填写学习内容"),
        ({"kind": "napping"}, "未知的学习方式"),
        ({"title": "学" * 201}, "学习内容不能超过 200 个字"),
    ):
        response = post(client, "/study", headers, person_id=person.pk, **{**ok, **change})
        assert response.status_code == 400, change
        assert message in response.json()["detail"]
    assert writes() == before


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (0, "YYYY-MM-DD"),  # not read as seconds since 1970
        (1704067200, "YYYY-MM-DD"),
        ("1999-12-31", "2000-01-01 至 2100-12-31"),
        ("2024-02-30", "YYYY-MM-DD"),
    ],
)
def test_dates_are_iso_text_within_sensible_years(client, world, held_on, message):
    meeting = assembly(world.ha_b1)
    headers = auth(client, world.user(Role.OFFICE))
    response = post(client, f"/meetings/{meeting.pk}/held", headers, held_on=held_on)
    assert response.status_code == 422 and message in str(response.json())
    meeting.refresh_from_db()
    assert meeting.held_on is None


def test_a_filed_meeting_cannot_be_held_again(client, world):
    meeting = assembly(world.ha_b1)
    services.record_held(meeting, held_on=TODAY, minutes="记录")
    headers = auth(client, world.user(Role.OFFICE))
    response = post(client, f"/meetings/{meeting.pk}/held", headers, held_on=str(TODAY),
                    minutes="改写的记录")  # fmt: skip
    assert response.status_code == 400 and "已归档" in response.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.minutes == "记录"
    client.force_login(world.user(Role.OFFICE))
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="held-form"' not in page
