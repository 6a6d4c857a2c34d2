"""The roster's stage dates become the pipeline's history, and the development.* figures
count what happened in a period."""

import datetime as dt

import pytest

from dangjian.dashboard.stats import compute_stats
from dangjian.development.models import DevelopmentStep
from dangjian.development.queries import development_figures
from dangjian.development.services import StepInput, pipeline_for, record_step
from dangjian.development.steps import StepCode
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.roster.services import import_roster
from tests.roster.builder import person_row, small_hospital, write_roster

from .builders import advance, new_applicant

pytestmark = pytest.mark.django_db
S = StepCode


def _roster(tmp_path, people):
    return write_roster(tmp_path / "roster.xlsx", small_hospital("H1"), people)


def _milestones(person):
    return list(
        DevelopmentStep.objects.filter(person=person)
        .order_by("done_on")
        .values_list("code", "done_on", "imported")
    )


def test_stage_dates_import_as_milestones_and_reimport_keeps_them_single(tmp_path):
    people = [
        person_row(1, "H1-B1", status="入党积极分子", 确定积极分子日期="2025-03-10"),
        person_row(2, "H1-B1", status="正式党员"),
        person_row(3, "H1-B1", status="群众"),
    ]
    path = _roster(tmp_path, people)
    import_roster(path)
    activist, full, masses = (
        Person.objects.get(id_digest__isnull=False, name=r["姓名"]) for r in people
    )
    assert [c for c, _, imported in _milestones(activist) if imported] == [
        S.APPLICATION,
        S.ACTIVIST_CONFIRMED,
    ]
    assert [c for c, _, _ in _milestones(full)] == [
        S.APPLICATION,
        S.ACTIVIST_CONFIRMED,
        S.CANDIDATE_CONFIRMED,
        S.APPROVAL,
        S.FULL_APPROVAL,
    ]
    assert _milestones(masses) == []
    import_roster(path)
    assert DevelopmentStep.objects.count() == 7


def test_an_imported_activist_moves_on_through_the_service_after_a_year(tmp_path):
    path = _roster(
        tmp_path, [person_row(1, "H1-B1", status="入党积极分子", 确定积极分子日期="2025-03-10")]
    )
    import_roster(path)
    person = Person.objects.get()
    assert pipeline_for(person).stage_code == "activist"
    step = record_step(
        person, StepInput(S.CANDIDATE_CONFIRMED, dt.date(2026, 3, 10)), today=dt.date(2026, 3, 10)
    )
    assert not step.imported and pipeline_for(person).stage_code == "candidate"


def test_a_changed_stage_date_replaces_the_imported_milestone_and_keeps_recorded_steps(tmp_path):
    row = person_row(1, "H1-B1", status="入党积极分子", 确定积极分子日期="2025-03-10")
    import_roster(_roster(tmp_path, [row]))
    person = Person.objects.get()
    record_step(
        person, StepInput(S.ACTIVIST_REVIEW, dt.date(2025, 9, 10)), today=dt.date(2025, 9, 10)
    )
    row["确定积极分子日期"] = "2025-04-01"
    import_roster(_roster(tmp_path, [row]))
    codes = _milestones(person)
    assert (S.ACTIVIST_CONFIRMED, dt.date(2025, 4, 1), True) in codes
    assert (S.ACTIVIST_REVIEW, dt.date(2025, 9, 10), False) in codes
    assert len(codes) == 3


def _hospital(two_hospitals):
    _, (ha, b1, b2), _ = two_hospitals
    return ha, b1, b2


def test_development_figures_count_people_who_reached_each_stage_in_the_period(two_hospitals):
    ha, b1, b2 = _hospital(two_hospitals)
    head = new_applicant(b1, is_department_head=True, talent_category="medical_expert")
    advance(head, S.APPROVAL_FILED, dt.date(2022, 3, 1))  # candidate 2023-04, admitted 2023-06
    plain = new_applicant(b2)
    advance(plain, S.ACTIVIST_CONFIRMED, dt.date(2023, 1, 10))
    other = new_applicant(two_hospitals[2][1])  # hospital B: never counted for A
    advance(other, S.ACTIVIST_CONFIRMED, dt.date(2023, 1, 10))

    figures = development_figures(ha.path, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert figures["applied"] == 1  # plain; head applied in 2022
    assert figures["activists"] == 1
    assert figures["candidates"] == 1 and figures["candidates_department_heads"] == 1
    assert figures["admitted"] == 1
    assert figures["admitted_talent_share"] == 1.0
    assert figures["admitted_clinical_share"] == 1.0  # b1 is the cardiology department's branch

    earlier = development_figures(ha.path, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert earlier["applied"] == 1 and earlier["activists"] == 1 and earlier["admitted"] == 0
    assert earlier["admitted_talent_share"] is None


def test_compute_stats_carries_the_development_family(two_hospitals):
    ha, b1, _ = _hospital(two_hospitals)
    advance(new_applicant(b1), S.APPLICATION_TALK, dt.date(2024, 5, 1))
    stats = compute_stats(
        Organization.objects.get(pk=ha.pk), dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    )
    assert stats["development"]["applied"] == 1
    assert set(stats["development"]) >= {
        "applied",
        "activists",
        "candidates",
        "candidates_department_heads",
        "admitted",
        "admitted_talent_share",
        "admitted_clinical_share",
    }


def test_the_dashboard_shows_the_development_figures_and_funnel(client, two_hospitals):
    from tests.factories import make_user

    ha, b1, _ = _hospital(two_hospitals)
    advance(new_applicant(b1), S.ACTIVIST_CONFIRMED, dt.date(2024, 5, 1))
    client.force_login(make_user("office-a", "office", ha))
    response = client.get("/dashboard/", {"org": ha.code, "from": "2024-01-01", "to": "2024-12-31"})
    cards = {card["key"]: card["value"] for card in response.context["cards"]}
    assert cards["development.applied"] == "1" and cards["development.activists"] == "1"
    assert response.context["charts"]["development"]["series"][0]["data"] == [1, 1, 0, 0]
    assert "确定入党积极分子" in response.content.decode()
