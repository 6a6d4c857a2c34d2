"""Compliance findings (SPEC.md §4) at their boundaries, `dangjian check`, the compliance
page and the nightly reminders to secretaries."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.compliance import tasks
from dangjian.compliance.findings import collect, findings
from dangjian.core.dates import add_months
from dangjian.core.models import Notice
from dangjian.development.services import StepInput, record_step
from dangjian.development.steps import StepCode
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.meetings.rules import QUORUM_KINDS
from dangjian.meetings.rules import MeetingKind as K
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization, OrgKind
from dangjian.people.models import Status
from tests.development.builders import new_applicant
from tests.factories import add_org, add_seat, make_member, make_user
from tests.pages.scoped import ScopedPageTest
from tests.pages.world import add_members

D = dt.date
TODAY = D(2025, 7, 10)
COMMITTEE = (CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PUBLICITY)


def kinds(org, today=TODAY, code=None):
    code = code or org.code
    return [f["kind"] for f in findings(org, today) if f["org"] == code]


def of_kind(org, kind, today=TODAY):
    return [f for f in findings(org, today) if f["kind"] == kind]


# ---- size ---------------------------------------------------------------------------
@pytest.mark.parametrize(("full", "too_small"), [(2, True), (3, False)])
def test_branch_too_small_at_three_full_members(world, full, too_small):
    branch = world.ha_b1
    add_members(branch, full)
    add_members(branch, 2, status=Status.PROBATIONARY)  # probationary ones do not count
    assert ("branch_too_small" in kinds(branch)) is too_small


def test_full_members_of_groups_count_for_their_branch(world):
    branch = world.ha_b1
    group = add_org(branch, "HA-B1-G1", OrgKind.GROUP, "第一党小组")
    add_members(branch, 1)
    add_members(group, 2)
    assert "branch_too_small" not in kinds(branch)


def test_status_as_of_today_counts(world):
    branch = world.ha_b1
    add_members(branch, 2)
    make_member(branch, since=D(2026, 1, 1))  # full only from next year
    assert "branch_too_small" in kinds(branch)


@pytest.mark.parametrize(("members", "too_large"), [(50, False), (51, True)])
def test_branch_too_large_above_fifty_members(world, members, too_large):
    branch = world.ha_b1
    add_members(branch, 45)
    add_members(branch, members - 45, status=Status.PROBATIONARY)
    found = of_kind(branch, "branch_too_large")
    assert bool(found) is too_large
    if too_large:
        assert found[0]["severity"] == "yellow"
        assert "51" in found[0]["message"]


@pytest.mark.parametrize(
    ("full", "seats", "missing"), [(6, 0, False), (7, 0, True), (7, 2, True), (7, 3, False)]
)
def test_committee_missing_from_seven_full_members(world, full, seats, missing):
    branch = world.ha_b1
    people = add_members(branch, full)
    for person, post in zip(people, COMMITTEE[:seats], strict=False):
        add_seat(branch, person, post)
    assert ("committee_missing" in kinds(branch)) is missing


ALL_POSTS = [
    CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY, CommitteePost.ORGANIZATION,
    CommitteePost.PUBLICITY, CommitteePost.DISCIPLINE, CommitteePost.YOUTH,
    CommitteePost.DEPUTY_SECRETARY, CommitteePost.ORGANIZATION,
]  # fmt: skip


@pytest.mark.parametrize(("seats", "too_large"), [(5, False), (7, False), (8, True)])
def test_a_committee_of_more_than_seven_is_found(world, seats, too_large):
    branch = world.ha_b1
    people = add_members(branch, 20)
    for person, post in zip(people, ALL_POSTS[:seats], strict=False):
        add_seat(branch, person, post)
    found = of_kind(branch, "committee_too_large")
    assert bool(found) is too_large
    if too_large:
        assert found[0]["severity"] == "red" and "8 名委员" in found[0]["message"]


@pytest.mark.parametrize(
    ("full", "posts", "found"),
    [
        (6, [CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY], False),
        (6, [CommitteePost.SECRETARY, CommitteePost.ORGANIZATION], True),
        (6, COMMITTEE, True),
        (7, COMMITTEE, False),  # seven full members: a committee is right
    ],
)
def test_a_committee_in_a_branch_under_seven_full_members_is_found(world, full, posts, found):
    branch = world.ha_b1
    people = add_members(branch, full)
    for person, post in zip(people, posts, strict=False):
        add_seat(branch, person, post)
    assert bool(of_kind(branch, "committee_not_allowed")) is found


@pytest.mark.parametrize(("members", "found"), [(50, True), (51, False)])
def test_a_general_branch_of_fifty_or_fewer_members_is_found(world, members, found):
    general = add_org(world.ha, "HA-Z", OrgKind.GENERAL_BRANCH, "HA第一党总支")
    branch = add_org(general, "HA-Z-B1", OrgKind.BRANCH, "HA总支第一支部")
    add_members(branch, members)
    rows = [f for f in of_kind(world.ha, "org_form_mismatch") if f["org"] == "HA-Z"]
    assert bool(rows) is found
    if found:
        assert rows[0]["severity"] == "yellow" and "一般设党支部而不设党总支" in rows[0]["message"]


@pytest.mark.parametrize(("members", "form"), [(99, "党总支"), (40, "党支部"), (100, None)])
def test_a_party_committee_under_a_hundred_members_is_found(world, members, form):
    add_members(world.ha_b1, members)
    rows = [f for f in of_kind(world.ha, "org_form_mismatch") if f["org"] == world.ha.code]
    if form is None:
        assert rows == []
    else:
        assert f"不足 100 名，一般设{form}" in rows[0]["message"]


def test_ended_seats_do_not_make_a_committee(world):
    branch = world.ha_b1
    people = add_members(branch, 7)
    for person, post in zip(people[:3], COMMITTEE, strict=True):
        seat = add_seat(branch, person, post)
        seat.ended_on = D(2025, 1, 1)
        seat.save()
    assert "committee_missing" in kinds(branch)


# ---- re-election ----------------------------------------------------------------------
def term(org, ends_on):
    return CommitteeTerm.objects.create(
        organization=org, started_on=ends_on.replace(year=ends_on.year - 3), ends_on=ends_on
    )


@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        (add_months(TODAY, 3), "reelection_due"),
        (add_months(TODAY, 3) + dt.timedelta(days=1), None),
        (TODAY, "reelection_due"),
        (TODAY - dt.timedelta(days=1), "reelection_overdue"),
    ],
)
def test_reelection_boundaries(world, ends_on, expected):
    branch = world.ha_b1
    term(branch, ends_on)
    found = {k for k in kinds(branch) if k.startswith("reelection")}
    assert found == ({expected} if expected else set())


def test_only_the_latest_term_counts(world):
    branch = world.ha_b1
    term(branch, D(2022, 7, 1))  # the previous term, long over
    term(branch, D(2028, 7, 1))
    assert not [k for k in kinds(branch) if k.startswith("reelection")]


def test_hospital_committee_reelection_is_found_too(world):
    term(world.ha, D(2025, 8, 1))
    assert "reelection_due" in kinds(world.ha)


# ---- meetings ---------------------------------------------------------------------------
def filed(org, kind, day, present=1, voters=1):
    """A filed meeting; for the kinds that count only with a quorum, `present` of
    `voters` voting members attended (a quorum by default)."""
    meeting = Meeting.objects.create(
        organization=org,
        kind=kind,
        topic="测试",
        planned_on=day,
        held_on=day,
        status=MeetingStatus.FILED,
        expected_voters=voters if kind in QUORUM_KINDS else None,
    )
    for i in range(voters if kind in QUORUM_KINDS else 0):
        state = AttendanceState.PRESENT if i < present else AttendanceState.ABSENT
        Attendance.objects.create(meeting=meeting, person=make_member(org), state=state)
    return meeting


def test_meetings_missing_lists_the_missed_quarters(world):
    branch = world.ha_b1
    Organization.objects.filter(pk=branch.pk).update(founded_on=D(2025, 1, 1))
    filed(branch, K.GENERAL_ASSEMBLY, D(2025, 3, 31))
    assembly = [f for f in of_kind(branch, "meetings_missing") if "支部党员大会" in f["message"]]
    assert len(assembly) == 1
    assert "2025年第2季度" in assembly[0]["message"]
    assert "第1季度" not in assembly[0]["message"]
    filed(branch, K.GENERAL_ASSEMBLY, D(2025, 6, 30))
    assert not [f for f in of_kind(branch, "meetings_missing") if "支部党员大会" in f["message"]]


def test_a_quarter_ending_today_is_not_yet_missed(world):
    branch = world.ha_b1
    Organization.objects.filter(pk=branch.pk).update(founded_on=D(2025, 1, 1))
    messages = [f["message"] for f in of_kind(branch, "meetings_missing", D(2025, 6, 30))]
    assembly = [m for m in messages if "支部党员大会" in m]
    assert "第1季度" in assembly[0] and "第2季度" not in assembly[0]
    messages = [f["message"] for f in of_kind(branch, "meetings_missing", D(2025, 7, 1))]
    assert "第2季度" in next(m for m in messages if "支部党员大会" in m)


def missing(org, on, label):
    """The periods named in the meetings_missing finding of one kind (label), or []."""
    for f in of_kind(org, "meetings_missing", on):
        if label in f["message"]:
            return f["message"].split("（")[1].rstrip("）").split("、")
    return []


@pytest.mark.parametrize("on", [D(2025, 1, 1), D(2025, 1, 15), D(2025, 12, 31)])
def test_last_years_periods_are_found_in_the_new_year(world, on):
    """A branch with no 组织生活会 in 2024, no December theme day and no fourth-quarter
    assembly is reported on 1 January 2025 and after (SPEC.md §4b)."""
    branch = world.ha_b1
    Organization.objects.filter(pk=branch.pk).update(founded_on=D(2024, 1, 1))
    for month in range(1, 12):
        filed(branch, K.THEME_DAY, D(2024, month, 15))
    for day in (D(2024, 3, 1), D(2024, 6, 1), D(2024, 9, 1)):
        filed(branch, K.GENERAL_ASSEMBLY, day)
    assert missing(branch, on, "组织生活会") == ["2024年"]
    assert "2024年12月" in missing(branch, on, "主题党日")
    assert "2024年11月" not in missing(branch, on, "主题党日")
    assert "2024年第4季度" in missing(branch, on, "支部党员大会")
    assert "2024年第3季度" not in missing(branch, on, "支部党员大会")


def test_nothing_of_last_year_is_found_when_it_was_all_held(world):
    branch = world.ha_b1
    Organization.objects.filter(pk=branch.pk).update(founded_on=D(2024, 12, 1))
    for kind in (K.THEME_DAY, K.GENERAL_ASSEMBLY, K.PARTY_LECTURE, K.LIFE_MEETING, K.APPRAISAL,
                 K.HEART_TALK):  # fmt: skip
        filed(branch, kind, D(2024, 12, 20))
    # 31 December 2024: December ends today, nothing is missed yet.
    assert missing(branch, D(2024, 12, 31), "主题党日") == []
    assert of_kind(branch, "meetings_missing", D(2025, 1, 1)) == []
    # February 2025: January's theme day was missed, nothing of 2024.
    assert missing(branch, D(2025, 2, 1), "主题党日") == ["2025年1月"]


def test_check_on_a_date_reports_as_of_that_day_and_writes_nothing(world):
    from dangjian.core.models import AuditEntry

    branch = world.ha_b1
    Organization.objects.filter(pk=branch.pk).update(founded_on=D(2024, 1, 1))
    before = (Meeting.objects.count(), Notice.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("check", "--org", branch.code, "--on", "2025-01-15", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    life = [r for r in rows if r["kind"] == "meetings_missing" and "组织生活会" in r["message"]]
    assert life and "2024年" in life[0]["message"]
    assert before == (Meeting.objects.count(), Notice.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="检查日期格式应为 YYYY-MM-DD：2025-13-01"):
        call_command("check", "--org", branch.code, "--on", "2025-13-01")
    with pytest.raises(CommandError, match="--on 须与 --org 一起使用"):
        call_command("check", "--on", "2025-01-15")


def lecture(branch, day, lecturer):
    return Meeting.objects.create(
        organization=branch, kind=K.PARTY_LECTURE, topic="党课", planned_on=day, held_on=day,
        status=MeetingStatus.FILED, lecturer=lecturer,
    )  # fmt: skip


def test_a_branch_whose_secretary_gave_no_lecture_last_year_is_found(world):
    branch = world.ha_b1
    secretary, other = add_members(branch, 2)
    add_seat(branch, secretary, CommitteePost.SECRETARY, started_on=D(2020, 1, 1))
    lecture(branch, D(2024, 5, 10), other)  # someone else's lecture does not count
    lecture(branch, D(2025, 3, 10), secretary)  # this year's does not count for last year
    (found,) = [f for f in of_kind(world.ha, "secretary_lecture_missing") if f["org"] == "HA-B1"]
    assert found["severity"] == "yellow" and "2024年支部书记未讲党课" in found["message"]
    lecture(branch, D(2024, 11, 20), secretary)
    assert not [f for f in of_kind(world.ha, "secretary_lecture_missing") if f["org"] == "HA-B1"]


def test_a_lecture_by_last_years_secretary_counts(world):
    branch = world.ha_b1
    old, new = add_members(branch, 2)
    seat = add_seat(branch, old, CommitteePost.SECRETARY, started_on=D(2020, 1, 1))
    seat.ended_on = D(2024, 9, 1)
    seat.save()
    add_seat(branch, new, CommitteePost.SECRETARY, started_on=D(2024, 9, 1))
    lecture(branch, D(2024, 4, 1), old)
    assert not [f for f in of_kind(world.ha, "secretary_lecture_missing") if f["org"] == "HA-B1"]


def test_theme_days_off_the_fixed_day_are_found(world):
    from dangjian.meetings.models import CalendarSettings

    branch = world.ha_b1
    filed(branch, K.THEME_DAY, D(2025, 5, 15))  # the default day
    filed(branch, K.THEME_DAY, D(2025, 6, 18))
    (found,) = of_kind(branch, "theme_day_off_schedule")
    assert found["severity"] == "yellow" and "2025-06-18" in found["message"]
    assert "2025-05-15" not in found["message"]
    # The hospital fixes the 18th: now May is off and June is on.
    CalendarSettings.objects.create(organization=world.ha, theme_day=18)
    (found,) = of_kind(branch, "theme_day_off_schedule")
    assert "2025-05-15" in found["message"] and "2025-06-18" not in found["message"]
    # A branch's own fixed day comes first.
    CalendarSettings.objects.create(organization=branch, theme_day=15)
    (found,) = of_kind(branch, "theme_day_off_schedule")
    assert "2025-06-18" in found["message"]


# ---- six months absent ---------------------------------------------------------------
def meeting_with(org, day, person, state):
    meeting = filed(org, K.THEME_DAY, day)
    Attendance.objects.create(meeting=meeting, person=person, state=state)
    return meeting


@pytest.mark.parametrize(("months", "absent"), [(5, False), (6, True)])
def test_member_absent_for_six_consecutive_months(world, months, absent):
    branch = world.ha_b1
    member = make_member(branch, name="缺席测试")
    for i in range(months):
        meeting_with(branch, D(2025, 1 + i, 15), member, AttendanceState.ABSENT)
    found = of_kind(branch, "member_absent_6_months")
    assert bool(found) is absent
    if absent:
        assert "缺席测试" in found[0]["message"]


def test_one_meeting_attended_or_on_leave_in_a_month_breaks_the_run(world):
    branch = world.ha_b1
    member = make_member(branch)
    for i in range(6):
        meeting_with(branch, D(2025, 1 + i, 15), member, AttendanceState.ABSENT)
    meeting_with(branch, D(2025, 3, 20), member, AttendanceState.LEAVE)
    assert not of_kind(branch, "member_absent_6_months")


def test_a_month_without_meetings_does_not_break_the_run(world):
    """No meeting in April: the member who missed every meeting from December to June has
    missed six months of organisational life in a row."""
    branch = world.ha_b1
    member = make_member(branch, name="缺席测试")
    for day in (D(2024, 12, 15), *(D(2025, m, 15) for m in (1, 2, 3, 5, 6))):
        meeting_with(branch, day, member, AttendanceState.ABSENT)
    (found,) = of_kind(branch, "member_absent_6_months")
    assert "缺席测试：自 2024年12月起" in found["message"]


def test_five_missed_months_around_a_gap_are_not_six(world):
    branch = world.ha_b1
    member = make_member(branch)
    for month in (1, 2, 3, 5, 6):
        meeting_with(branch, D(2025, month, 15), member, AttendanceState.ABSENT)
    assert not of_kind(branch, "member_absent_6_months")


def test_planned_meetings_and_non_members_do_not_count(world):
    branch = world.ha_b1
    member = make_member(branch)
    masses = make_member(branch, status=Status.LEFT)
    for i in range(6):
        meeting = meeting_with(branch, D(2025, 1 + i, 15), masses, AttendanceState.ABSENT)
        planned = Meeting.objects.create(
            organization=branch, kind=K.THEME_DAY, topic="计划", planned_on=meeting.planned_on
        )
        Attendance.objects.create(meeting=planned, person=member)
    assert not of_kind(branch, "member_absent_6_months")


# ---- development ---------------------------------------------------------------------
def test_development_overdue_but_not_due_later(world):
    today = timezone.localdate()
    late = new_applicant(world.ha_b1, name="逾期申请人")
    day = today - dt.timedelta(days=60)
    record_step(late, StepInput(StepCode.APPLICATION, day), today=day)
    fresh = new_applicant(world.ha_b1, name="新申请人")
    record_step(fresh, StepInput(StepCode.APPLICATION, today), today=today)
    found = of_kind(world.ha, "development_overdue", today)
    assert [f["severity"] for f in found] == ["red"]
    assert "逾期申请人" in found[0]["message"]
    assert found[0]["org"] == world.ha_b1.code


# ---- scope of a check, query count -----------------------------------------------------
def test_check_stays_in_its_subtree(world):
    add_members(world.hb_b1, 1)
    found = findings(world.ha, TODAY)
    assert found and all(f["org"].startswith("HA") for f in found)
    assert set(found[0]) == {"org", "kind", "severity", "message"}


def grow(hospital, n, prefix="X"):
    """n more branches, each with members, a secretary, a term ending soon, an absence
    and an assembly."""
    start = Organization.objects.filter(code__startswith=f"{hospital.code}-{prefix}").count()
    for i in range(start, start + n):
        hospital.refresh_from_db()
        branch = add_org(hospital, f"{hospital.code}-{prefix}{i}", OrgKind.BRANCH, f"新增支部{i}")
        people = add_members(branch, 8)
        add_seat(branch, people[0], CommitteePost.SECRETARY)
        term(branch, D(2025, 9, 1))
        meeting_with(branch, D(2025, 2, 15), people[1], AttendanceState.ABSENT)
        filed(branch, K.GENERAL_ASSEMBLY, D(2025, 2, 1))


def test_query_count_does_not_grow_with_branches(world):
    grow(world.ha, 1)
    with CaptureQueriesContext(connection) as few:
        small = collect(world.ha, TODAY)
    grow(world.ha, 4, prefix="Y")
    with CaptureQueriesContext(connection) as many:
        large = collect(world.ha, TODAY)
    assert len(large) > len(small)
    assert len(many) == len(few)


# ---- command -------------------------------------------------------------------------
def test_check_command_json(world):
    add_members(world.ha_b1, 2)
    out = io.StringIO()
    call_command("check", "--org", world.ha.code, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {"org": "HA-B1", "kind": "branch_too_small", "severity": "red"}.items() <= next(
        r for r in rows if r["org"] == "HA-B1" and r["kind"] == "branch_too_small"
    ).items()
    assert all(set(r) == {"org", "kind", "severity", "message"} for r in rows)
    assert all(r["severity"] in ("red", "yellow") for r in rows)


def test_check_command_table(world):
    out = io.StringIO()
    call_command("check", "--org", world.ha_b1.code, stdout=out)
    text = out.getvalue()
    assert "合规检查" in text and "branch_too_small" in text


def test_check_command_bad_org(db):
    with pytest.raises(CommandError, match="组织编码不存在：NOPE"):
        call_command("check", "--org", "NOPE", "--json")


def test_check_without_org_is_django_system_check(db):
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "System check identified no issues" in out.getvalue()


# ---- compliance page ---------------------------------------------------------------
def test_compliance_page_shows_required_met_and_findings(client, world):
    filed(world.ha_b1, K.GENERAL_ASSEMBLY, D(2024, 2, 1))
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(f"/meetings/compliance/?org={world.ha.code}&year=2024")
    assert response.status_code == 200
    page = response.content.decode()
    assert world.ha_b1.name in page and "支部党员大会" in page
    assert "2024年第2季度" in page  # a missed period
    assert "正式党员仅 0 名" in page  # a finding


def test_compliance_page_other_hospital_404(client, world):
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(f"/meetings/compliance/?org={world.ha.code}").status_code == 404
    assert client.get(f"/meetings/compliance/?org={world.ha_b1.code}").status_code == 404


def test_compliance_page_not_for_members(client, world):
    client.force_login(world.user(Role.MEMBER, "A"))
    assert client.get(f"/meetings/compliance/?org={world.ha.code}").status_code == 403


def test_compliance_page_for_a_branch_secretary(client, world):
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    assert client.get("/meetings/compliance/").status_code == 200  # their own branch
    assert client.get(f"/meetings/compliance/?org={world.ha_b2.code}").status_code == 404


def test_compliance_page_query_count_fixed(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    url = f"/meetings/compliance/?org={world.ha.code}&year=2024"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(world.ha, 3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# ---- nightly reminders ----------------------------------------------------------------
def test_reminders_go_to_secretaries_over_the_branch_once(world):
    add_members(world.ha_b1, 2)
    branch_secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    hospital_secretary = make_user("sec-ha", Role.SECRETARY, world.ha)
    other_branch = make_user("sec-b2", Role.SECRETARY, world.ha_b2)
    office = world.user(Role.OFFICE, "A")
    other_hospital = make_user("sec-hb", Role.SECRETARY, world.hb)
    sent = tasks.send_compliance_reminders(TODAY)
    assert sent > 0

    def titles(user):
        return list(
            Notice.objects.filter(recipient=user, kind="compliance").values_list("body", flat=True)
        )

    assert any("HA-B1" in t or world.ha_b1.name in t for t in titles(branch_secretary))
    assert not any(world.ha_b2.name in t for t in titles(branch_secretary))
    assert any(world.ha_b1.name in t for t in titles(hospital_secretary))
    assert not any(world.ha_b1.name in t for t in titles(other_branch))
    assert titles(office) == []
    assert not any(world.ha_b1.name in t for t in titles(other_hospital))
    assert tasks.send_compliance_reminders(TODAY) == 0  # never the same finding twice


def test_reminder_sent_again_for_a_new_term(world):
    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    term(world.ha_b1, D(2025, 8, 1))
    tasks.send_compliance_reminders(TODAY)
    first = Notice.objects.filter(recipient=secretary, body__contains="2025-08-01").count()
    assert first == 1
    tasks.send_compliance_reminders(TODAY + dt.timedelta(days=1))
    assert Notice.objects.filter(recipient=secretary, body__contains="2025-08-01").count() == 1


class TestCompliancePageScope(ScopedPageTest):
    expected_text = ("组织生活合规情况", "支部党员大会")

    def url(self, world):
        return f"/meetings/compliance/?org={world.ha.code}&year=2024"

    def grow(self, world, n):
        grow(world.ha, n)


def test_nightly_task_runs_and_is_scheduled(world):
    add_members(world.ha_b1, 2)
    make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    assert tasks.compliance_reminders.call_local() > 0
    assert tasks.compliance_reminders.call_local() == 0
    job = tasks.compliance_reminders.s()
    assert job.validate_datetime(dt.datetime(2026, 3, 2, 2, 30))
    assert not job.validate_datetime(dt.datetime(2026, 3, 2, 6, 40))


def test_no_secretary_no_reminder(world):
    add_members(world.ha_b1, 2)
    world.user(Role.OFFICE, "A")
    assert tasks.send_compliance_reminders(TODAY) == 0
    assert not Notice.objects.filter(kind="compliance").exists()


# ---- the two leading posts ----------------------------------------------------------------
def test_a_hospital_whose_secretary_is_also_the_president_is_found(world):
    secretary = make_member(world.ha_b1, name="书记甲", admin_title="党委书记、院长")
    add_seat(world.ha, secretary, CommitteePost.SECRETARY)
    (found,) = of_kind(world.ha, "secretary_is_president")
    assert found["org"] == world.ha.code and found["severity"] == "red"
    assert "书记甲" in found["message"] and "应分设" in found["message"]
    assert of_kind(world.hb, "secretary_is_president") == []  # another hospital's check
    secretary.admin_title = "党委书记、副院长"
    secretary.save(update_fields=["admin_title"])
    assert of_kind(world.ha, "secretary_is_president") == []
