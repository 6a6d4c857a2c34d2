"""The demo city has scored periods: DEMO-H01's branches and secretaries and the city's
hospitals finalised for the last full quarter and last year, on last year's 民主评议党员
and 述职评议."""

import pytest
from django.utils import timezone

from dangjian.assessment import rules
from dangjian.assessment.history import score_history
from dangjian.assessment.judgements import Appraisal, ScoreSheet, SecretaryReview
from dangjian.assessment.rules import last_full_quarter
from dangjian.orgs.models import Organization
from tests.assessment.test_demo_bulletin import demo  # noqa: F401 (the loaded demo)


@pytest.mark.django_db
def test_the_demo_city_has_scored_periods(demo):  # noqa: F811
    today = timezone.localdate()
    periods = [last_full_quarter(today).code, str(today.year - 1)]
    sheets = set(ScoreSheet.objects.values_list("organization__code", "level", "period"))
    for period in periods:
        assert {("DEMO-H01", rules.BRANCH, period), ("DEMO-H01", rules.SECRETARY, period),
                ("DEMO", rules.HOSPITAL, period)} <= sheets  # fmt: skip
    grades = set(Appraisal.objects.filter(year=today.year - 1).values_list("grade", flat=True))
    assert {"excellent", "qualified", "basic"} <= grades
    assert not Appraisal.objects.filter(grade="basic", reason="").exists()
    assert SecretaryReview.objects.filter(year=today.year - 1).count() > 10
    hospital = Organization.objects.get(code="DEMO-H01")
    history = score_history(hospital, rules.HOSPITAL, periods)
    assert all(history[p] is not None and history[p].rank for p in periods)
    year = ScoreSheet.objects.get(organization=hospital, level=rules.BRANCH, period=periods[1])
    appraisal = [
        i for e in year.entries.all() for i in e.breakdown["indicators"] if i["key"] == "appraisal"
    ]
    assert {i["value"] for i in appraisal} - {1.0}  # the branch still entering shows
