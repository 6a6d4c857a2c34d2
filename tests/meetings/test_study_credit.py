"""Class hours credited by attendance: the rules (which hours a meeting credits), the
hospital's settings per kind, crediting when a meeting is held (once per person and
meeting), and a later correction adding or taking back the credit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.meetings import rules, services, study_credit
from dangjian.meetings.models import AttendanceState, Study, StudyCredit, StudyKind
from dangjian.meetings.rules import MeetingKind
from dangjian.meetings.study_credit import CreditError
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
K = MeetingKind
DAY = dt.date(2024, 5, 15)


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2024, 5, 15, hour, minute))


@pytest.mark.parametrize(
    ("starts", "ends", "hours"),
    [
        (None, None, rules.DEFAULT_MEETING_HOURS),
        ((14, 0), None, rules.DEFAULT_MEETING_HOURS),
        ((14, 0), (14, 0), rules.DEFAULT_MEETING_HOURS),  # no length: the default
        ((14, 0), (13, 0), rules.DEFAULT_MEETING_HOURS),
        ((14, 0), (16, 0), Decimal("2.0")),
        ((14, 0), (15, 40), Decimal("1.5")),  # 1 h 40 → 1.5
        ((14, 0), (15, 45), Decimal("2.0")),  # 1 h 45 → 2.0 (half up)
        ((14, 0), (14, 10), Decimal("0.5")),  # never below half an hour
        ((8, 0), (17, 10), Decimal("9.0")),
    ],
)
def test_a_meetings_length_in_half_hours(starts, ends, hours):
    assert rules.meeting_length_hours(starts and _at(*starts), ends and _at(*ends)) == hours


@pytest.mark.parametrize(
    ("credits", "fixed", "times", "hours"),
    [
        (False, None, ((14, 0), (16, 0)), None),
        (False, Decimal("3"), ((14, 0), (16, 0)), None),
        (True, Decimal("3"), ((14, 0), (16, 0)), Decimal("3")),  # fixed wins
        (True, None, ((14, 0), (15, 30)), Decimal("1.5")),
        (True, None, (None, None), rules.DEFAULT_MEETING_HOURS),
    ],
)
def test_credited_hours(credits, fixed, times, hours):
    starts, ends = (t and _at(*t) for t in times)
    assert rules.credited_hours(credits, fixed, starts, ends) == hours


@pytest.mark.parametrize(
    ("hours", "problem"),
    [(None, ""), ("", ""), ("2", ""), ("1.5", ""), ("0", "大于 0"), ("25", "不超过 24"),
     ("1.2", "0.5 的整数倍"), ("abc", "不是数字")],
)  # fmt: skip
def test_setting_problems(hours, problem):
    found = rules.credit_setting_problem(hours)
    assert (problem in found) if problem else found == ""


@pytest.fixture
def branch(two_hospitals):
    _, (_, b1, _), _ = two_hospitals
    return b1


def _meeting(branch, kind=K.PARTY_LECTURE, n=3, **times):
    people = [make_member(branch) for _ in range(n)]
    meeting = services.plan_meeting(
        branch, kind=kind, topic="示例：学习党章", planned_on=DAY, **times
    )
    return meeting, people


def _present(meeting, *people):
    for person in people:
        services.set_attendance(meeting, person, AttendanceState.PRESENT)


def test_defaults_credit_lectures_and_theme_days_only(branch):
    hospital = study_credit.hospital_of(branch)
    chosen = study_credit.credit_settings(hospital)
    assert {k for k, (credits, _) in chosen.items() if credits} == {K.PARTY_LECTURE, K.THEME_DAY}


def test_holding_a_lecture_credits_those_present_once(branch):
    meeting, (a, b, c) = _meeting(branch, starts_at=_at(14), ends_at=_at(15, 30))
    _present(meeting, a, b)
    assert not Study.objects.exists()  # nothing before the meeting is held
    services.record_held(meeting, held_on=DAY, minutes="记录")
    rows = Study.objects.filter(meeting=meeting)
    assert sorted(rows.values_list("person_id", flat=True)) == sorted([a.pk, b.pk])
    assert {(r.hours, r.kind, r.studied_on) for r in rows} == {
        (Decimal("1.5"), StudyKind.LECTURE, DAY)
    }
    entry = AuditEntry.objects.filter(action="meeting.held").latest("seq")
    assert entry.summary["study_credited"] == 2
    # The constraint keeps it once per person and meeting, whatever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Study.objects.create(
            person=a, meeting=meeting, kind="lecture", title="重复", studied_on=DAY, hours=1
        )


def test_correcting_attendance_adds_and_takes_back_the_credit(branch):
    meeting, (a, b, _c) = _meeting(branch, kind=K.THEME_DAY)
    _present(meeting, a)
    services.record_held(meeting, held_on=DAY)
    services.set_attendance(meeting, b, AttendanceState.PRESENT)
    assert (
        Study.objects.filter(meeting=meeting, person=b).get().hours == rules.DEFAULT_MEETING_HOURS
    )
    assert (
        AuditEntry.objects.filter(action="meeting.attendance")
        .latest("seq")
        .summary["study_credited"]
        == 1
    )
    services.set_attendance(meeting, a, AttendanceState.LEAVE, "出差")
    assert not Study.objects.filter(meeting=meeting, person=a).exists()
    assert (
        AuditEntry.objects.filter(action="meeting.attendance")
        .latest("seq")
        .summary["study_withdrawn"]
        == 1
    )
    services.set_attendance(meeting, b, AttendanceState.PRESENT)  # again: still one row
    assert Study.objects.filter(meeting=meeting).count() == 1


def test_a_kind_that_does_not_credit_credits_nothing(branch):
    meeting, (a, *_rest) = _meeting(branch, kind=K.GENERAL_ASSEMBLY)
    _present(meeting, a)
    services.record_held(meeting, held_on=DAY)
    assert not Study.objects.exists()


def test_the_hospital_chooses_an_assembly_with_fixed_hours(branch):
    hospital = study_credit.hospital_of(branch)
    study_credit.save_credit_settings(
        hospital, {K.GENERAL_ASSEMBLY: (True, "3"), K.THEME_DAY: (False, None)}
    )
    assembly, (a, *_rest) = _meeting(branch, kind=K.GENERAL_ASSEMBLY)
    _present(assembly, a)
    services.record_held(assembly, held_on=DAY)
    assert Study.objects.get(meeting=assembly).hours == 3
    theme, (b, *_rest) = _meeting(branch, kind=K.THEME_DAY)
    _present(theme, b)
    services.record_held(theme, held_on=DAY)
    assert not Study.objects.filter(meeting=theme).exists()


def test_a_bad_setting_saves_nothing(branch):
    hospital = study_credit.hospital_of(branch)
    with pytest.raises(CreditError, match="0.5 的整数倍"):
        study_credit.save_credit_settings(
            hospital, {K.GENERAL_ASSEMBLY: (True, "3"), K.THEME_DAY: (True, "1.2")}
        )
    assert not StudyCredit.objects.exists()


def test_the_demo_loader_credits_held_meetings_in_bulk(branch):
    meeting, (a, b, _c) = _meeting(branch)
    meeting.attendance.filter(person__in=[a, b]).update(state=AttendanceState.PRESENT)
    meeting.status, meeting.held_on = "filed", DAY
    meeting.save()
    hospital = study_credit.hospital_of(branch)
    assert study_credit.credit_held_meetings(hospital) == 2
    assert study_credit.credit_held_meetings(hospital) == 0  # already credited


def test_the_settings_page_saves_and_refuses_in_chinese(client, world):
    url = reverse("meetings:study_credit") + f"?org={world.ha.code}"
    client.force_login(world.user("office"))
    page = client.get(url)
    assert page.status_code == 200 and "党课" in page.content.decode()
    data = {f"{k}-credits": "on" for k in (K.PARTY_LECTURE, K.THEME_DAY)}
    bad = client.post(url, {**data, f"{K.PARTY_LECTURE}-hours": "0.3"})
    assert bad.status_code == 200 and "0.5 的整数倍" in bad.content.decode()
    assert not StudyCredit.objects.exists()
    good = client.post(url, {**data, f"{K.GENERAL_ASSEMBLY}-credits": "on"})
    assert good.status_code == 302
    chosen = study_credit.credit_settings(world.ha)
    assert chosen[K.GENERAL_ASSEMBLY] == (True, None) and chosen[K.HEART_TALK] == (False, None)
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    assert client.get(reverse("meetings:study_credit")).status_code == 403
