import datetime as dt

import pytest

from dangjian.development.steps import StepCode
from dangjian.people.models import StatusPeriod

from .builders import advance, new_applicant

pytestmark = pytest.mark.django_db


def test_a_full_pipeline_through_the_service_ends_in_full_membership(two_hospitals):
    _, (_, b1, _), _ = two_hospitals
    person = new_applicant(b1)
    advance(person, StepCode.ARCHIVED, dt.date(2022, 3, 1))
    periods = list(
        StatusPeriod.objects.filter(person=person).values_list("status", "started_on", "ended_on")
    )
    assert [p[0] for p in periods] == ["applicant", "activist", "candidate", "probationary", "full"]
    assert periods[-1][2] is None
    assert all(a[2] == b[1] for a, b in zip(periods, periods[1:], strict=False))
