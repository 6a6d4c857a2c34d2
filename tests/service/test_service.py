"""Volunteer service and the problem list: the rules at their boundaries, the services'
refusals (nothing written), and the four `service.*` figures of a period."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.dashboard.stats import compute_stats
from dangjian.service import rules, services
from dangjian.service.models import Problem, ServiceActivity, Volunteer
from dangjian.service.queries import volunteer_hours
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("deadline", "resolved_on", "on_time"),
    [
        (dt.date(2026, 3, 31), dt.date(2026, 3, 31), True),  # on the deadline day
        (dt.date(2026, 3, 31), dt.date(2026, 4, 1), False),  # one day late
        (None, dt.date(2026, 4, 1), True),  # no deadline
        (dt.date(2026, 3, 31), None, False),  # open
    ],
)
def test_on_time_is_by_the_deadline_day_inclusive(deadline, resolved_on, on_time):
    assert rules.resolved_on_time(deadline, resolved_on) is on_time


@pytest.mark.parametrize(
    ("done", "target", "share"),
    [(50_000, 100_000, 0.5), (120_000, 100_000, 1.0), (5, None, None), (5, 0, None)],
)
def test_progress_against_a_target_is_capped(done, target, share):
    assert rules.progress(done, target) == share


@pytest.mark.parametrize(
    ("hours", "refused"),
    [
        (Decimal("0.5"), False),
        (Decimal("24"), False),
        (Decimal("0"), True),
        (Decimal("24.5"), True),
    ],
)
def test_hours_of_a_day_are_bounded(hours, refused):
    problems = rules.activity_problems(TODAY, TODAY, hours, 10)
    assert bool(problems) is refused


@pytest.fixture
def hospital(two_hospitals):
    _g, (ha, b1, b2), (_hb, hb_b1, _x) = two_hospitals
    return ha, b1, b2, hb_b1


def activity(org, people, **fields):
    data = {
        "kind": "clinic", "title": "社区义诊", "held_on": TODAY - dt.timedelta(days=3),
        "hours": Decimal("3"), "people_served": 120, "volunteers": people, **fields,
    }  # fmt: skip
    return services.record_activity(org, services.ActivityInput(**data))


def test_a_joint_activity_counts_once_for_its_lead_branch(hospital):
    ha, b1, b2, _hb = hospital
    people = [make_member(b1), make_member(b2)]
    activity(b1, people, partners=[b2])
    b1_figures = compute_stats(b1)["service"]
    b2_figures = compute_stats(b2)["service"]
    hospital_figures = compute_stats(ha)["service"]
    assert (b1_figures["activities"], b1_figures["people_served"]) == (1, 120)
    assert b2_figures["activities"] == 0
    assert (hospital_figures["activities"], hospital_figures["people_served"]) == (1, 120)
    assert ServiceActivity.objects.get().partners.get() == b2
    assert AuditEntry.objects.filter(action="service.activity").count() == 1


def test_volunteer_hours_per_member(hospital):
    _ha, b1, _b2, _hb = hospital
    a, b = make_member(b1), make_member(b1)
    activity(b1, [(a, Decimal("2.5")), b])
    activity(b1, [a], hours=Decimal("4"))
    hours = volunteer_hours([a.pk, b.pk], dt.date(TODAY.year - 1, 1, 1), TODAY)
    assert hours == {a.pk: 6.5, b.pk: 3.0}


def test_a_refused_activity_writes_nothing(hospital):
    _ha, b1, _b2, hb_b1 = hospital
    outsider = make_member(hb_b1, name="外院某")
    with pytest.raises(services.ServiceError) as refused:
        activity(
            b1, [make_member(b1), outsider], held_on=TODAY + dt.timedelta(days=1), people_served=-1
        )
    reasons = "；".join(refused.value.reasons)
    assert "晚于今天" in reasons and "外院某不是本院人员" in reasons and "负数" in reasons
    assert not ServiceActivity.objects.exists() and not Volunteer.objects.exists()


def test_the_four_service_figures_of_a_period(hospital):
    ha, b1, _b2, _hb = hospital
    year = TODAY.year - 1
    inside, outside = dt.date(year, 6, 1), dt.date(year - 1, 12, 31)
    activity(b1, [make_member(b1)], held_on=inside, people_served=300)
    activity(b1, [make_member(b1)], held_on=outside, people_served=999)

    def problem(found_on, deadline, resolved_on=None):
        created = services.record_problem(
            b1,
            services.ProblemInput(
                title="挂号难", source="patient", found_on=found_on, deadline=deadline
            ),
        )
        if resolved_on:
            services.resolve_problem(created, resolved_on, "增设自助机")
        return created

    problem(dt.date(year, 3, 1), dt.date(year, 3, 31), dt.date(year, 3, 31))  # on time
    problem(dt.date(year, 3, 1), dt.date(year, 3, 31), dt.date(year, 4, 1))  # late
    problem(dt.date(year, 5, 1), dt.date(year, 6, 30))  # open
    problem(dt.date(year - 1, 11, 1), dt.date(year, 1, 31), dt.date(year, 1, 10))  # found before
    figures = compute_stats(ha, dt.date(year, 1, 1), dt.date(year, 12, 31))["service"]
    assert figures["activities"] == 1
    assert figures["people_served"] == 300
    assert figures["problems_found"] == 3
    assert figures["problems_resolved"] == 3
    assert figures["problems_resolved_on_time"] == 2
    assert figures["on_time_ratio"] == pytest.approx(2 / 3)


def test_a_problem_is_resolved_once_and_not_before_it_was_found(hospital):
    _ha, b1, _b2, _hb = hospital
    found = TODAY - dt.timedelta(days=10)
    created = services.record_problem(
        b1, services.ProblemInput(title="停车难", source="member", found_on=found, deadline=TODAY)
    )
    with pytest.raises(services.ServiceError, match="早于发现日期"):
        services.resolve_problem(created, found - dt.timedelta(days=1), "x")
    services.resolve_problem(created, TODAY, "错峰停车")
    with pytest.raises(services.ServiceError, match="已于"):
        services.resolve_problem(created, TODAY, "again")
    assert Problem.objects.get().resolution == "错峰停车"


def test_a_deadline_before_the_finding_is_refused(hospital):
    _ha, b1, _b2, _hb = hospital
    with pytest.raises(services.ServiceError, match="整改时限不能早于发现日期"):
        services.record_problem(
            b1,
            services.ProblemInput(
                title="x", source="other", found_on=TODAY, deadline=TODAY - dt.timedelta(days=1)
            ),
        )
    assert not Problem.objects.exists()


def test_a_leaders_visit_records_the_problems_it_raised(hospital):
    ha, b1, _b2, _hb = hospital
    leader = make_member(ha, name="院领导甲")
    raised = [services.ProblemInput(title="夜间陪护床位不足", source="other", found_on=TODAY)]
    visit = services.record_visit(b1, leader, TODAY, "联系支部走访", raised)
    problem = Problem.objects.get()
    assert problem.visit == visit and problem.source == "leader_visit"


def test_the_office_keeps_a_yearly_target(hospital):
    ha, *_rest = hospital
    office = make_user("office", Role.OFFICE, ha)
    target = services.set_target(
        ha, TODAY.year, people_served=100_000, practical_matters=30, by=office
    )
    again = services.set_target(ha, TODAY.year, people_served=120_000, by=office)
    assert target.pk == again.pk and again.people_served == 120_000


def test_volunteer_hours_count_as_study_only_where_the_hospital_says_so(hospital):
    from dangjian.meetings.models import Study

    ha, b1, _b2, _hb = hospital
    person = make_member(b1)
    activity(b1, [(person, Decimal("2.5"))])
    assert not Study.objects.exists()
    services.set_target(ha, TODAY.year, hours_as_study=True)
    activity(b1, [(person, Decimal("3"))], title="送医上门")
    study = Study.objects.get()
    assert (study.person, study.hours, study.kind) == (person, Decimal("3"), "practice")
    assert study.title == "志愿服务：送医上门"
    assert AuditEntry.objects.filter(action="study.volunteer").count() == 1
