"""The meeting pages: list, plan, detail (attendance, quorum, minutes, files, QR code),
the phone check-in page and attachment download. Each renders for hospital A, does not
exist for hospital B, keeps a fixed query count, and shows the services' refusals with
nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingAttachment
from dangjian.meetings.rules import MeetingKind
from dangjian.people.models import Status
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
K = MeetingKind


def plan(org, kind=K.THEME_DAY, topic="学习党章", day=TODAY, **details):
    return services.plan_meeting(org, kind=kind, topic=topic, planned_on=day, **details)


def branch_meeting(world, kind=K.THEME_DAY, members=3, day=TODAY):
    """A meeting of hospital A's first branch, made once per world and kind."""
    made = world.__dict__.setdefault("meetings", {})
    if kind not in made:
        for _ in range(members):
            make_member(world.ha_b1)
        made[kind] = plan(world.ha_b1, kind=kind, topic="学习新党章", day=day, place="三楼会议室")
    return made[kind]


def member_user(org, username, **person):
    """A member of `org` who can log in with the member role."""
    member = make_member(org, **person)
    user = make_user(username, Role.MEMBER, org)
    member.user = user
    member.save(update_fields=["user"])
    return member, user


# ---- every page: renders in A, 404 in B, fixed query count ---------------------------
class TestMeetingList(ScopedPageTest):
    expected_text = ("组织生活", "主题党日", "学习党章", "HA心内科党支部", "已计划", "安排会议")

    def url(self, world):
        return reverse("meetings:list") + f"?org={world.ha.code}"

    def grow(self, world, n):
        make_member(world.ha_b1)
        for _ in range(n):
            plan(world.ha_b1)
            plan(world.ha_b2, kind=K.PARTY_LECTURE, topic="党课")


class TestMeetingListFiltered(TestMeetingList):
    expected_text = ("党课", "HA行政党支部")

    def url(self, world):
        return reverse("meetings:list") + f"?org={world.ha.code}&kind=party_lecture&status=planned"


class TestPlanForm(ScopedPageTest):
    expected_text = ("安排会议", "计划日期", "授课人")

    def url(self, world):
        return reverse("meetings:new") + f"?org={world.ha_b1.code}"

    def grow(self, world, n):
        for _ in range(n):
            make_member(world.ha_b1)


class TestMeetingDetail(ScopedPageTest):
    expected_text = ("学习新党章", "出席情况", "三楼会议室", "扫码签到", "<svg", "应到有表决权党员")

    def url(self, world):
        return reverse("meetings:detail", args=[branch_meeting(world, K.GENERAL_ASSEMBLY).pk])

    def grow(self, world, n):
        meeting = branch_meeting(world, K.GENERAL_ASSEMBLY)
        for i in range(n):
            person = make_member(world.ha_b1)
            Attendance.objects.create(meeting=meeting, person=person, state=AttendanceState.PRESENT)
            MeetingAttachment.objects.create(
                meeting=meeting,
                file=SimpleUploadedFile(f"照片{i}.jpg", b"jpeg"),
                original_name=f"照片{i}.jpg",
                size=4,
            )
        meeting.expected_voters = meeting.attendance.count()
        meeting.save(update_fields=["expected_voters"])


def test_list_filters_and_counts_attendance(client, world):
    meeting = branch_meeting(world)
    plan(world.ha_b2, kind=K.PARTY_LECTURE, topic="专题党课")
    services.check_in(services.check_in_token(meeting), meeting.attendance.first().person)
    client.force_login(world.user(Role.SECRETARY))
    page = client.get(reverse("meetings:list") + f"?org={world.ha_b1.code}").content.decode()
    assert "学习新党章" in page and "专题党课" not in page
    assert "1 / 3" in page
    page = client.get(reverse("meetings:list") + f"?org={world.ha.code}&kind=party_lecture")
    assert "专题党课" in page.content.decode()
    assert "学习新党章" not in page.content.decode()
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(reverse("meetings:list") + f"?org={world.ha.code}").status_code == 404
    assert "学习新党章" not in client.get(reverse("meetings:list")).content.decode()


# ---- planning ------------------------------------------------------------------------
def _plan_post(**overrides):
    data = {
        "kind": K.THEME_DAY,
        "topic": "重温入党誓词",
        "planned_on": TODAY.isoformat(),
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "门诊楼五楼",
        "host": "示例主持",
        "lecturer": "",
    }
    return {**data, **overrides}


def test_plan_creates_meeting_with_expected_members(client, world):
    lecturer = make_member(world.ha_b1, name="王讲师")
    make_member(world.ha_b1)
    client.force_login(world.user(Role.SECRETARY))
    url = reverse("meetings:new") + f"?org={world.ha_b1.code}"
    response = client.post(url, _plan_post(lecturer=lecturer.pk, kind=K.PARTY_LECTURE))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.lecturer == lecturer and meeting.attendance.count() == 2
    assert timezone.localtime(meeting.starts_at).hour == 14


def test_plan_refusal_is_shown_and_nothing_written(client, world):
    client.force_login(world.user(Role.OFFICE))
    url = reverse("meetings:new") + f"?org={world.ha_b1.code}"
    response = client.post(url, _plan_post(kind=K.GROUP_MEETING))
    assert response.status_code == 200
    assert "党小组会须由党小组召开" in response.content.decode()
    response = client.post(url, _plan_post(starts_at="16:00", ends_at="15:00"))
    assert "结束时间须晚于开始时间" in response.content.decode()
    assert not Meeting.objects.exists()


def test_plan_needs_write_scope(client, world):
    url = reverse("meetings:new") + f"?org={world.ha_b1.code}"
    stranger = make_member(world.hb_b1)
    for role, hospital in ((Role.GUIDANCE, "CITY"), (Role.AUDITOR, "A")):
        client.force_login(world.user(role, hospital))
        assert client.get(url).status_code == 403
        assert client.post(url, _plan_post()).status_code == 403
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, _plan_post()).status_code == 404
    # A lecturer from another hospital is not offered and not accepted.
    client.force_login(world.user(Role.OFFICE))
    response = client.post(url, _plan_post(lecturer=stranger.pk))
    assert "lecturer" in response.context["form"].errors
    assert not Meeting.objects.exists()


# ---- detail: read-only roles, members, the other hospital ----------------------------
def test_detail_for_readers_has_no_forms_and_posts_are_forbidden(client, world):
    meeting = branch_meeting(world)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    page = client.get(url).content.decode()
    assert "学习新党章" in page and "<svg" not in page and "check-in" not in page
    post = {"action": "held", "held_on": TODAY.isoformat(), "minutes": "记录"}
    assert client.post(url, post).status_code == 403
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, post).status_code == 404
    meeting.refresh_from_db()
    assert meeting.held_on is None


def test_member_sees_only_own_row(client, world):
    meeting = branch_meeting(world)
    member, user = member_user(world.ha_b1, "member-me", name="李自己")
    Attendance.objects.create(meeting=meeting, person=member)
    client.force_login(user)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert [row.person for row in response.context["rows"]] == [member]
    assert "<svg" not in response.content.decode()


# ---- attendance correction -----------------------------------------------------------
def _attendance_post(meeting, changes):
    data = {"action": "attendance"}
    for row in meeting.attendance.all():
        state, reason = changes.get(row.pk, (row.state, row.reason))
        data[f"state_{row.pk}"], data[f"reason_{row.pk}"] = state, reason
    return data


def test_attendance_correction_is_audited(client, world):
    meeting = branch_meeting(world)
    first, second, _third = meeting.attendance.order_by("pk")
    secretary = world.user(Role.SECRETARY)
    client.force_login(secretary)
    url = reverse("meetings:detail", args=[meeting.pk])
    changes = {first.pk: ("present", ""), second.pk: ("leave", "出差")}
    assert client.post(url, _attendance_post(meeting, changes)).status_code == 302
    second.refresh_from_db()
    assert (second.state, second.reason, second.corrected_by) == ("leave", "出差", secretary)
    entries = AuditEntry.objects.filter(action="meeting.attendance", actor=secretary)
    assert entries.count() == 2


def test_attendance_refusal_writes_nothing(client, world):
    meeting = branch_meeting(world)
    first, second, _third = meeting.attendance.order_by("pk")
    client.force_login(world.user(Role.SECRETARY))
    url = reverse("meetings:detail", args=[meeting.pk])
    changes = {first.pk: ("present", ""), second.pk: ("leave", "")}
    response = client.post(url, _attendance_post(meeting, changes))
    assert response.status_code == 200
    assert "请假须填写事由" in response.content.decode()
    assert not meeting.attendance.exclude(state=AttendanceState.PENDING).exists()
    assert not AuditEntry.objects.filter(action="meeting.attendance").exists()


# ---- recording the meeting held: the quorum ------------------------------------------
def test_resolution_refused_without_quorum(client, world):
    meeting = branch_meeting(world, K.GENERAL_ASSEMBLY, members=4)
    client.force_login(world.user(Role.SECRETARY))
    url = reverse("meetings:detail", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "应到有表决权党员 4 人，实到 0 人" in page
    post = {
        "action": "held",
        "held_on": TODAY.isoformat(),
        "minutes": "会议记录",
        "resolution": "同意",
    }
    response = client.post(url, post)
    assert response.status_code == 200
    assert "半数以上有表决权的党员到会" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.resolution) == (None, "")
    # Three of four present: the quorum is met; the resolution needs its tally.
    for row in meeting.attendance.all()[:3]:
        services.set_attendance(meeting, row.person, AttendanceState.PRESENT)
    response = client.post(url, post)
    assert response.status_code == 200 and "须登记表决情况" in response.content.decode()
    tally = {"votes_yes": "3", "votes_no": "0", "votes_abstain": "0"}
    assert client.post(url, {**post, **tally}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.resolution, meeting.votes_yes) == ("filed", "同意", 3)
    page = client.get(url).content.decode()
    assert "表决：赞成 3 票，反对 0 票，弃权 0 票" in page


def test_a_meeting_held_without_quorum_says_it_does_not_count(client, world):
    meeting = branch_meeting(world, K.GENERAL_ASSEMBLY, members=4)
    for row in meeting.attendance.all()[:2]:  # exactly half: no quorum
        services.set_attendance(meeting, row.person, AttendanceState.PRESENT)
    services.record_held(meeting, held_on=TODAY, minutes="会议记录")
    client.force_login(world.user(Role.SECRETARY))
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "应到有表决权党员 4 人，实到 2 人" in page
    assert "不计入组织生活按期开展情况" in page
    services.set_attendance(meeting, meeting.attendance.filter(state="absent")[0].person,
                            AttendanceState.PRESENT)  # fmt: skip
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "已达到法定人数" in page and "不计入" not in page


# ---- attachments ---------------------------------------------------------------------
def _upload(client, meeting, name, content, size=None):
    upload = SimpleUploadedFile(name, content)
    if size is not None:
        upload.size = size
    url = reverse("meetings:detail", args=[meeting.pk])
    return client.post(url, {"action": "upload", "file": upload})


def test_several_photos_upload_at_once_or_none_when_one_is_refused(client, world):
    meeting = branch_meeting(world)
    client.force_login(world.user(Role.SECRETARY))
    url = reverse("meetings:detail", args=[meeting.pk])
    photos = [SimpleUploadedFile(f"现场{i}.jpg", b"\xff\xd8 photo") for i in range(3)]
    bad = SimpleUploadedFile("病毒.exe", b"MZ")
    response = client.post(url, {"action": "upload", "file": [*photos[:2], bad]})
    assert "不支持的文件类型" in response.content.decode()
    assert not MeetingAttachment.objects.exists()  # none of the three
    for photo in photos:
        photo.seek(0)
    response = client.post(url, {"action": "upload", "file": photos}, follow=True)
    assert "已上传 3 个附件" in response.content.decode()
    assert sorted(MeetingAttachment.objects.values_list("original_name", flat=True)) == [
        "现场0.jpg",
        "现场1.jpg",
        "现场2.jpg",
    ]
    assert "multiple" in client.get(url).content.decode()  # the picker takes several


def test_upload_refusals_and_scoped_audited_download(client, world, settings):
    settings.DANGJIAN_MAX_UPLOAD_MB = 1
    meeting = branch_meeting(world)
    client.force_login(world.user(Role.SECRETARY))
    response = _upload(client, meeting, "病毒.exe", b"MZ")
    assert "不支持的文件类型" in response.content.decode()
    response = _upload(client, meeting, "大照片.jpg", b"x" * (1024 * 1024 + 1))
    assert "超过 1 MB 的大小限制" in response.content.decode()
    assert not MeetingAttachment.objects.exists()
    assert _upload(client, meeting, "签到表.pdf", b"%PDF-1.4 list").status_code == 302
    item = MeetingAttachment.objects.get()
    url = reverse("meetings:attachment", args=[item.pk])
    assert url in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 list"
    assert AuditEntry.objects.filter(action="meeting.export").count() == 1
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="meeting.export").count() == 1


# ---- QR check-in ---------------------------------------------------------------------
def _check_in_url(meeting):
    return reverse("meetings:check_in", args=[services.check_in_token(meeting)])


def test_check_in_needs_login_and_comes_back(client, world):
    url = _check_in_url(branch_meeting(world))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=" in response.url


def test_check_in_success_then_reuse_refused(client, world):
    meeting = branch_meeting(world)
    member, user = member_user(world.ha_b1, "member-a", name="赵签到")
    Attendance.objects.create(meeting=meeting, person=member)
    client.force_login(user)
    url = _check_in_url(meeting)
    page = client.get(url).content.decode()
    assert "学习新党章" in page and "三楼会议室" in page and "签到" in page
    response = client.post(url)
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    row = Attendance.objects.get(meeting=meeting, person=member)
    assert row.state == AttendanceState.PRESENT and row.checked_in_at is not None
    first_time = row.checked_in_at
    page = client.get(url).content.decode()
    assert "您已签到" in page and ">签到</button>" not in page
    response = client.post(url)
    assert response.status_code == 400
    assert "无需重复签到" in response.content.decode()
    row.refresh_from_db()
    assert row.checked_in_at == first_time
    assert AuditEntry.objects.filter(action="meeting.check_in").count() == 1


def test_check_in_expired_and_forged_tokens_write_nothing(client, world):
    past = branch_meeting(world, day=TODAY - dt.timedelta(days=2))
    member, user = member_user(world.ha_b1, "member-b")
    Attendance.objects.create(meeting=past, person=member)
    client.force_login(user)
    response = client.post(_check_in_url(past))
    assert response.status_code == 400
    assert "签到二维码已过期" in response.content.decode()
    forged = services.check_in_token(past)[:-3] + "abc"
    response = client.post(reverse("meetings:check_in", args=[forged]))
    assert response.status_code == 400
    assert "签到二维码无效" in response.content.decode()
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="meeting.check_in").exists()


def test_a_past_meeting_shows_no_live_code_and_an_upcoming_one_says_when(client, world):
    from django.utils import timezone

    client.force_login(world.user(Role.SECRETARY))
    past = branch_meeting(world, day=TODAY - dt.timedelta(days=2))
    page = client.get(reverse("meetings:detail", args=[past.pk])).content.decode()
    assert 'id="check-in-qr"' not in page and "签到已关闭" in page
    soon = timezone.now() + dt.timedelta(hours=3)
    upcoming = plan(world.ha_b1, day=timezone.localdate(soon), starts_at=soon,
                    ends_at=soon + dt.timedelta(hours=1))  # fmt: skip
    page = client.get(reverse("meetings:detail", args=[upcoming.pk])).content.decode()
    opens = timezone.localtime(soon - dt.timedelta(minutes=30))
    assert 'id="check-in-qr"' in page and f"签到将于 {opens:%Y-%m-%d %H:%M} 开放" in page


def test_check_in_by_someone_not_expected_writes_nothing(client, world):
    meeting = branch_meeting(world)
    # An office user of hospital A sees the meeting, but their person is in another branch.
    office = world.user(Role.OFFICE)
    person = make_member(world.ha_b2, name="钱他支")
    person.user = office
    person.save(update_fields=["user"])
    client.force_login(office)
    response = client.post(_check_in_url(meeting))
    assert response.status_code == 400
    assert "不在本次会议的应到人员名单中" in response.content.decode()
    # A member of another branch cannot see the meeting at all.
    _member, user = member_user(world.ha_b2, "member-b2")
    client.force_login(user)
    response = client.post(_check_in_url(meeting))
    assert response.status_code == 404
    assert "学习新党章" not in response.content.decode()
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
    assert not Attendance.objects.filter(person=person).exists()


def test_check_in_other_hospital_and_no_person(client, world):
    meeting = branch_meeting(world)
    url = _check_in_url(meeting)
    _member, user = member_user(world.hb_b1, "member-hb", status=Status.FULL)
    client.force_login(user)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    # A user of hospital A without a person record is told why.
    client.force_login(world.user(Role.SECRETARY))
    response = client.post(url)
    assert response.status_code == 400
    assert "未关联党员信息" in response.content.decode()
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
