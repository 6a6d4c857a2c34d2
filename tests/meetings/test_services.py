"""Organisational life through the services: expected attendance, QR check-in tokens
(expiry, forgery, reuse), quorum before a resolution, uploads, compliance counting."""

import datetime as dt

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.meetings import services
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.meetings.queries import compliance, meeting_report
from dangjian.meetings.rules import MeetingKind, Tally
from dangjian.meetings.services import MeetingError
from dangjian.orgs.models import CommitteePost, OrgKind
from dangjian.people.models import Status
from tests.factories import add_org, add_seat, make_member

pytestmark = pytest.mark.django_db
K = MeetingKind
DAY = dt.date(2024, 5, 15)


@pytest.fixture
def branch(two_hospitals):
    _, (_, b1, _), _ = two_hospitals
    return b1


def _assembly(branch, full=4, probationary=1, day=DAY):
    people = [make_member(branch) for _ in range(full)]
    people += [
        make_member(branch, status=Status.PROBATIONARY, since=dt.date(2024, 1, 1))
        for _ in range(probationary)
    ]
    meeting = services.plan_meeting(
        branch, kind=K.GENERAL_ASSEMBLY, topic="示例：季度党员大会", planned_on=day
    )
    return meeting, people


def test_planning_expects_the_members_and_only_full_members_vote(branch):
    meeting, people = _assembly(branch, full=4, probationary=1)
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("person", "is_voter"))
    assert rows == {p.pk: p is not people[-1] for p in people}
    assert meeting.expected_voters == 4
    assert set(Attendance.objects.filter(meeting=meeting).values_list("state", flat=True)) == {
        "pending"
    }


def test_a_committee_meeting_expects_the_committee(branch):
    secretary, deputy, _member = make_member(branch), make_member(branch), make_member(branch)
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    add_seat(branch, deputy, CommitteePost.DEPUTY_SECRETARY)
    meeting = services.plan_meeting(
        branch, kind=K.COMMITTEE_MEETING, topic="支委会", planned_on=DAY
    )
    assert set(meeting.attendance.values_list("person", flat=True)) == {secretary.pk, deputy.pk}


def test_group_meetings_belong_to_groups(branch):
    with pytest.raises(MeetingError, match="党小组"):
        services.plan_meeting(branch, kind=K.GROUP_MEETING, topic="小组会", planned_on=DAY)
    group = add_org(branch, f"{branch.code}-G1", OrgKind.GROUP, "第一党小组")
    assert services.plan_meeting(group, kind=K.GROUP_MEETING, topic="小组会", planned_on=DAY).pk


# ---- check-in ------------------------------------------------------------------------
def _now(meeting, hours=10):
    return timezone.make_aware(dt.datetime.combine(meeting.planned_on, dt.time(hours)))


def test_check_in_marks_the_member_present_once(branch):
    meeting, people = _assembly(branch)
    token = services.check_in_token(meeting)
    row = services.check_in(token, people[0], now=_now(meeting))
    assert row.state == AttendanceState.PRESENT and row.checked_in_at == _now(meeting)
    with pytest.raises(MeetingError, match="无需重复签到"):
        services.check_in(token, people[0], now=_now(meeting, 11))
    assert Attendance.objects.get(pk=row.pk).checked_in_at == _now(meeting)


def test_an_expired_token_is_refused(branch):
    meeting, people = _assembly(branch)
    token = services.check_in_token(meeting)
    next_day = _now(meeting) + dt.timedelta(days=1)
    with pytest.raises(MeetingError, match="已过期"):
        services.check_in(token, people[0], now=next_day)
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


def test_the_token_lasts_until_the_meeting_ends(branch):
    meeting, people = _assembly(branch)
    meeting.ends_at = _now(meeting, 12)
    meeting.save()
    token = services.check_in_token(meeting)
    with pytest.raises(MeetingError, match="已过期"):
        services.check_in(token, people[0], now=_now(meeting, 12) + dt.timedelta(seconds=1))
    assert services.check_in(token, people[0], now=_now(meeting, 12)).state == "present"


def test_a_forged_token_is_refused(branch):
    meeting, people = _assembly(branch)
    forged = signing.dumps({"m": meeting.pk, "e": 9999999999}, salt="another-salt")
    with pytest.raises(MeetingError, match="无效"):
        services.check_in(forged, people[0], now=_now(meeting))
    tampered = services.check_in_token(meeting)[:-2] + "xx"
    with pytest.raises(MeetingError, match="无效"):
        services.check_in(tampered, people[0], now=_now(meeting))


def test_a_member_not_expected_cannot_check_in(branch, two_hospitals):
    meeting, _ = _assembly(branch)
    stranger = make_member(two_hospitals[2][1])
    with pytest.raises(MeetingError, match="应到人员名单"):
        services.check_in(services.check_in_token(meeting), stranger, now=_now(meeting))
    assert not Attendance.objects.filter(person=stranger).exists()


# ---- attendance, quorum, holding -----------------------------------------------------
def test_leave_needs_a_reason_and_corrections_are_audited(branch):
    meeting, people = _assembly(branch)
    with pytest.raises(MeetingError, match="请假须填写事由"):
        services.set_attendance(meeting, people[0], AttendanceState.LEAVE, "")
    services.set_attendance(meeting, people[0], AttendanceState.LEAVE, "值夜班")
    entry = AuditEntry.objects.filter(action="meeting.attendance").get()
    assert entry.summary["to"] == "leave" and entry.summary["reason"] == "值夜班"


def test_a_resolution_needs_more_than_half_of_the_voters(branch):
    meeting, people = _assembly(branch, full=4, probationary=1)
    for person in people[:2]:  # 2 of 4 voters: exactly half
        services.set_attendance(meeting, person, AttendanceState.PRESENT)
    services.set_attendance(meeting, people[-1], AttendanceState.PRESENT)  # no vote
    with pytest.raises(MeetingError, match="至少需 3 人"):
        services.record_held(meeting, held_on=DAY, minutes="记录", resolution="通过某事项")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.resolution == ""
    services.set_attendance(meeting, people[2], AttendanceState.PRESENT)
    with pytest.raises(MeetingError, match="须登记表决情况"):
        services.record_held(meeting, held_on=DAY, minutes="记录", resolution="通过某事项")
    held = services.record_held(
        meeting, held_on=DAY, minutes="记录", resolution="通过某事项", tally=Tally(3, 0, 0)
    )
    assert held.status == MeetingStatus.FILED
    assert (held.votes_yes, held.votes_no, held.votes_abstain) == (3, 0, 0)


@pytest.mark.parametrize(
    ("tally", "problem"),
    [
        ((3, 0, 0), None),  # 3 of the 4 who should attend
        ((2, 1, 0), "半数以上同意（应到 4，实到 3，赞成 2）"),  # exactly half is not more
        ((2, 0, 1), "半数以上同意"),
        ((3, 1, 0), "共 4 票，多于实到的有表决权党员 3 人"),
        ((-1, 0, 0), "票数不能为负数"),
    ],
)
def test_a_resolution_passes_with_yes_votes_over_half_of_those_who_should_attend(
    branch, tally, problem
):
    meeting, people = _assembly(branch, full=4, probationary=1)
    for person in people[:3]:
        services.set_attendance(meeting, person, AttendanceState.PRESENT)
    record = lambda: services.record_held(  # noqa: E731
        meeting, held_on=DAY, minutes="记录", resolution="通过某事项", tally=Tally(*tally)
    )
    if problem is None:
        assert record().votes_yes == tally[0]
    else:
        with pytest.raises(MeetingError, match=problem):
            record()
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.PLANNED and meeting.votes_yes is None


def test_a_tally_without_a_resolution_is_refused(branch):
    meeting, _ = _assembly(branch)
    with pytest.raises(MeetingError, match="不登记表决票数"):
        services.record_held(meeting, held_on=DAY, minutes="记录", tally=Tally(1, 0, 0))


def test_without_minutes_a_meeting_is_held_but_not_filed(branch):
    meeting, _ = _assembly(branch)
    assert services.record_held(meeting, held_on=DAY).status == MeetingStatus.HELD


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("会议记录.exe", 10, "不支持的文件类型"), ("照片.jpg", 21 * 1024 * 1024, "大小限制")],
)
def test_uploads_of_a_wrong_type_or_too_large_are_refused(branch, name, size, message):
    meeting, _ = _assembly(branch)
    upload = SimpleUploadedFile(name, b"x" * size)
    with pytest.raises(MeetingError, match=message):
        services.add_attachment(meeting, upload)
    assert not meeting.attachments.exists()


def test_an_allowed_upload_is_kept(branch):
    meeting, _ = _assembly(branch)
    attachment = services.add_attachment(meeting, SimpleUploadedFile("记录.pdf", b"%PDF-1.4"))
    assert attachment.size == 8 and attachment.file.read() == b"%PDF-1.4"


# ---- compliance ----------------------------------------------------------------------
def _held(branch, kind, day):
    """Planned, everyone present (the quorum that assemblies need to count), filed."""
    meeting = services.plan_meeting(branch, kind=kind, topic="示例", planned_on=day)
    meeting.attendance.update(state=AttendanceState.PRESENT)
    return services.record_held(meeting, held_on=day, minutes="示例记录")


def test_compliance_counts_filed_meetings_per_period(branch):
    make_member(branch)
    for month in range(1, 7):
        _held(branch, K.THEME_DAY, dt.date(2024, month, 15))
    _held(branch, K.GENERAL_ASSEMBLY, dt.date(2024, 3, 31))  # Q1 on its last day
    _held(branch, K.GENERAL_ASSEMBLY, dt.date(2024, 7, 1))  # Q3, not Q2
    rows = {r.kind: r for r in compliance(branch.path, dt.date(2024, 1, 1), dt.date(2024, 9, 30))}
    assert (rows[K.THEME_DAY].required, rows[K.THEME_DAY].met) == (9, 6)
    assert (rows[K.GENERAL_ASSEMBLY].required, rows[K.GENERAL_ASSEMBLY].met) == (3, 2)
    assert [p.start for p in rows[K.GENERAL_ASSEMBLY].missed] == [dt.date(2024, 4, 1)]
    assert K.COMMITTEE_MEETING not in rows  # no committee


@pytest.mark.parametrize(
    "kind, voters, present, counted",
    [
        (K.GENERAL_ASSEMBLY, 4, 2, False),  # exactly half is not more than half
        (K.GENERAL_ASSEMBLY, 4, 3, True),
        (K.GENERAL_ASSEMBLY, 5, 3, True),  # 3 of 5: more than half
        (K.GENERAL_ASSEMBLY, 5, 2, False),
        (K.COMMITTEE_MEETING, 3, 1, False),
        (K.COMMITTEE_MEETING, 3, 2, True),
        (K.THEME_DAY, 4, 0, True),  # no quorum rule: held and filed is enough
    ],
)
def test_a_meeting_counts_only_with_its_quorum(branch, kind, voters, present, counted):
    for post in ("secretary", "deputy_secretary", "organization"):
        add_seat(branch, make_member(branch), post)  # a committee, so the kind is required
    meeting = Meeting.objects.create(
        organization=branch, kind=kind, topic="示例", planned_on=dt.date(2024, 2, 5),
        held_on=dt.date(2024, 2, 5), status=MeetingStatus.FILED, minutes="记录",
        expected_voters=voters,
    )  # fmt: skip
    for i in range(voters):
        state = AttendanceState.PRESENT if i < present else AttendanceState.LEAVE
        Attendance.objects.create(
            meeting=meeting, person=make_member(branch), state=state, reason="出差"
        )
    rows = {r.kind: r for r in compliance(branch.path, dt.date(2024, 1, 1), dt.date(2024, 3, 31))}
    assert rows[kind].met == (1 if counted else 0)
    # A voter on the roll who has no vote (a probationary member) does not make the quorum.
    if not counted and kind != K.THEME_DAY:
        Attendance.objects.create(
            meeting=meeting, person=make_member(branch), state="present", is_voter=False
        )
        rows = {
            r.kind: r for r in compliance(branch.path, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
        }
        assert rows[kind].met == 0


def test_an_assembly_without_a_roll_of_voters_does_not_count(branch):
    Meeting.objects.create(
        organization=branch, kind=K.GENERAL_ASSEMBLY, topic="示例", planned_on=dt.date(2024, 3, 5),
        held_on=dt.date(2024, 3, 5), status=MeetingStatus.FILED, minutes="记录",
    )  # fmt: skip
    (row,) = [
        r
        for r in compliance(branch.path, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
        if r.kind == K.GENERAL_ASSEMBLY
    ]
    assert (row.required, row.met) == (1, 0)


def test_meeting_figures_give_the_compliance_ratio_and_counts(branch):
    make_member(branch)
    _held(branch, K.THEME_DAY, dt.date(2024, 1, 15))
    figures = meeting_report(branch.path, dt.date(2024, 1, 1), dt.date(2024, 1, 31)).figures
    assert figures["held_theme_day"] == 1
    assert figures["required"] == 1 and figures["compliance_ratio"] == 1.0


def test_the_dashboard_compares_children_on_compliance(client, two_hospitals):
    from tests.factories import make_user

    _, (ha, b1, b2), _ = two_hospitals
    make_member(b1)
    make_member(b2)
    _held(b1, K.THEME_DAY, dt.date(2024, 1, 15))
    client.force_login(make_user("office-a", "office", ha))
    response = client.get("/dashboard/", {"org": ha.code, "from": "2024-01-01", "to": "2024-01-31"})
    chart = response.context["charts"]["children"]
    ratios = dict(zip(chart["categories"], chart["series"][-1]["data"], strict=True))
    assert chart["series"][-1]["name"] == "组织生活按期开展率"
    assert ratios == {b1.name: 100.0, b2.name: 0.0}


# ---- the check-in window -----------------------------------------------------------------
def _timed(branch, start_hm=(10, 0), end_hm=(11, 30)):
    from django.utils import timezone

    day = dt.date(2024, 5, 20)
    at = lambda h, m: timezone.make_aware(dt.datetime.combine(day, dt.time(h, m)))  # noqa: E731
    meeting = services.plan_meeting(
        branch, kind=K.THEME_DAY, topic="示例", planned_on=day,
        starts_at=at(*start_hm), ends_at=at(*end_hm),
    )  # fmt: skip
    return meeting, at


@pytest.mark.parametrize(
    "now_hm, second, outcome",
    [
        ((9, 29), 59, "尚未开始"),  # 30 minutes and one second before the start
        ((9, 30), 0, "ok"),  # check-in opens 30 minutes before the start
        ((10, 45), 0, "ok"),
        ((11, 30), 0, "ok"),  # until the end
        ((11, 30), 1, "已过期"),
    ],
)
def test_check_in_opens_shortly_before_the_start_and_closes_at_the_end(
    branch, now_hm, second, outcome
):
    person = make_member(branch)
    meeting, at = _timed(branch)
    now = at(*now_hm) + dt.timedelta(seconds=second)
    token = services.check_in_token(meeting)
    if outcome == "ok":
        assert services.check_in(token, person, now=now).state == AttendanceState.PRESENT
    else:
        with pytest.raises(MeetingError, match=outcome):
            services.check_in(token, person, now=now)
        assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


def test_the_check_in_window_is_a_setting(branch, settings):
    settings.DANGJIAN_CHECK_IN_OPENS_MINUTES = 60
    person = make_member(branch)
    meeting, at = _timed(branch)
    token = services.check_in_token(meeting)
    assert services.check_in_state(meeting, at(8, 59)) == "upcoming"
    assert services.check_in(token, person, now=at(9, 0)).checked_in_at == at(9, 0)


def test_a_meeting_moved_later_keeps_its_old_code_closed_until_the_new_window(branch):
    person = make_member(branch)
    meeting, at = _timed(branch)
    token = services.check_in_token(meeting)
    meeting.starts_at, meeting.ends_at = at(15, 0), at(16, 0)
    meeting.save(update_fields=["starts_at", "ends_at"])
    with pytest.raises(MeetingError, match="14:30 起可以签到"):
        services.check_in(token, person, now=at(10, 0))
