"""The demo's year of organisational life: meetings a year back from the load day, mostly
compliant with deliberate gaps, attendance that follows the services' rules, two members
absent for six months or more, and a few study records."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.meetings import rules
from dangjian.meetings.models import Attendance, Meeting, Study
from dangjian.meetings.queries import compliance, meeting_report
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.models import Organization

TODAY = timezone.localdate()
# The demo's first month: January of last year, the start of what `check` judges.
FIRST = dt.date(TODAY.year - 1, 1, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`dangjian load-demo` once for the module, rolled back at the end of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load-demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def hospital(code="DEMO-H01") -> Organization:
    return Organization.objects.get(code=code)


def meetings_of(code="DEMO-H01"):
    return Meeting.objects.filter(organization__path__startswith=hospital(code).path)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["DEMO-H01", "DEMO-H03"])
def test_every_month_of_the_last_year_has_filed_meetings(demo, code):
    filed = meetings_of(code).filter(status="filed")
    months = {m.replace(day=1) for m in filed.values_list("held_on", flat=True)}
    since_last_january = {add_months(FIRST, i) for i in range(12 + TODAY.month - 1)}
    assert since_last_january <= months
    assert min(months) == FIRST


@pytest.mark.django_db
def test_nothing_is_held_after_today_and_what_lies_ahead_is_planned(demo):
    qs = meetings_of()
    assert not qs.filter(held_on__gt=TODAY).exists()
    assert not qs.filter(planned_on__gt=TODAY).exclude(status="planned").exists()
    assert not qs.filter(planned_on__lte=TODAY, status="planned").exists()
    assert qs.filter(status="held", minutes="").exists()  # held, minutes never filed


@pytest.mark.django_db
def test_compliance_is_mostly_met_with_real_gaps(demo):
    h01 = hospital()
    figures = meeting_report(h01.path, FIRST, TODAY).figures
    assert 0.5 <= figures["compliance_ratio"] < 1
    rows = compliance(h01.path, FIRST, TODAY)
    missed = [r for r in rows if r.missed]
    assert missed
    assert {r.kind for r in missed} >= {MeetingKind.THEME_DAY, MeetingKind.GENERAL_ASSEMBLY}
    # Most branches keep to the rules: gaps are the exception.
    branches = {r.organization.pk for r in rows}
    assert len({r.organization.pk for r in missed}) < len(branches) / 3


@pytest.mark.django_db
def test_attendance_follows_the_rules(demo):
    rows = Attendance.objects.filter(meeting__in=meetings_of())
    states = dict(rows.values_list("state").annotate(n=Count("pk")))
    total = sum(states.values())
    assert states["present"] / total > 0.8
    assert states["leave"] and states["absent"]
    assert not rows.filter(state="leave", reason="").exists()  # leave needs a reason
    # expected_voters counts the voting rows; a resolution only with the quorum.
    counted = meetings_of().annotate(
        voters=Count("attendance", filter=Q(attendance__is_voter=True)),
        present=Count(
            "attendance", filter=Q(attendance__is_voter=True, attendance__state="present")
        ),
    )
    for meeting in counted:
        assert meeting.expected_voters == meeting.voters, meeting.pk
        if meeting.resolution:
            assert meeting.kind in rules.QUORUM_KINDS
            assert rules.has_quorum(meeting.voters, meeting.present), meeting.pk


@pytest.mark.django_db
def test_committee_meetings_expect_the_committee_only(demo):
    meeting = meetings_of().filter(kind=MeetingKind.COMMITTEE_MEETING).first()
    seats = set(meeting.organization.seats.filter(ended_on__isnull=True).values_list("person_id"))
    expected = set(meeting.attendance.values_list("person_id"))
    assert expected and expected <= seats


def month_states(path: str) -> dict[int, list[str]]:
    """Per member, MISSED / ATTENDED / NOTHING for each of the last twelve months, from
    the held meetings' attendance (RULES.md §2, 党章 第三十八条)."""
    months = [add_months(TODAY.replace(day=1), -i) for i in range(11, -1, -1)]
    by_person = defaultdict(dict)
    rows = Attendance.objects.filter(
        meeting__organization__path__startswith=path,
        meeting__status__in=("held", "filed"),
        meeting__held_on__gte=months[0],
    ).values_list("person_id", "meeting__held_on", "state")
    for person, day, state in rows:
        month = day.replace(day=1)
        attended = state in ("present", "leave")
        if attended or by_person[person].get(month) != rules.ATTENDED:
            by_person[person][month] = rules.ATTENDED if attended else rules.MISSED
    return {p: [m.get(month, rules.NOTHING) for month in months] for p, m in by_person.items()}


@pytest.mark.django_db
def test_a_member_missed_organisational_life_for_six_months(demo):
    states = month_states(hospital().path)
    absent = [person for person, months in states.items() if rules.absent_six_months(months)]
    assert 1 <= len(absent) <= 3
    # Everyone else came (or was excused) at least once in the last six months.
    assert all(rules.ATTENDED in months[-6:] for p, months in states.items() if p not in absent)


@pytest.mark.django_db
def test_the_demo_member_has_meetings_and_study_hours(demo):
    from dangjian.meetings.queries import study_hours
    from dangjian.people.models import Person

    member = Person.objects.get(user__username="demo_member")
    assert Attendance.objects.filter(person=member, meeting__status="filed").count() >= 12
    assert study_hours([member.pk], TODAY.year)[member.pk] > 0
    assert not Study.objects.filter(studied_on__gt=TODAY).exists()
    assert Study.objects.filter(person__organization__path__startswith=hospital().path).count() > 20


@pytest.mark.django_db
def test_the_demo_year_is_fictitious_and_dated_from_the_load_day(demo):
    topics = meetings_of().values_list("topic", flat=True)
    assert any("主题党日" in t for t in topics)
    first = meetings_of().order_by("planned_on").first().planned_on
    assert FIRST <= first < FIRST + dt.timedelta(days=31)
