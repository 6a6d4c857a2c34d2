"""The demo hospital has the last full quarter's bulletin published to its officers, its
laggards those `check` reports the day after the quarter, and one read receipt."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dangjian.assessment.models import PublishedBulletin
from dangjian.assessment.rules import last_full_quarter


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load-demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_hospital_has_a_published_bulletin(demo):
    quarter = last_full_quarter(timezone.localdate())
    published = PublishedBulletin.objects.get(organization__code="DEMO-H01")
    assert published.period == quarter.code
    out = io.StringIO()
    on = quarter.checked_on.isoformat()
    call_command("check", "--org", "DEMO-H01", "--on", on, "--json", stdout=out)
    reported = {row["org"] for row in json.loads(out.getvalue())}
    assert reported and {lag["org"] for lag in published.content["laggards"]} == reported
    assert published.content["praised"]
    receipts = published.announcement.receipts
    # demo_secretary has read it (demo_office, the author, is not an addressee)
    assert receipts.filter(read_at__isnull=False, user__username="demo_secretary").count() == 1
    assert published.announcement.attachments.get().original_name.endswith(".docx")


@pytest.mark.django_db
def test_the_demo_city_has_a_scored_period_and_a_published_city_bulletin(demo):
    """The guidance committee's bulletin of the same quarter: every demo hospital
    compared, with a mean branch score; the hospitals lagging are those `check` finds
    something in; sent to the hospitals' Party workers, demo_office has read it."""
    from dangjian.core.datacache import unit_of
    from dangjian.orgs.models import Organization

    quarter = last_full_quarter(timezone.localdate())
    published = PublishedBulletin.objects.get(organization__code="DEMO")
    assert published.period == quarter.code and published.content["city"] is True
    header, *rows = [
        published.content["hospitals"]["header"],
        *published.content["hospitals"]["rows"],
    ]
    scores = [row[header.index("考核平均分")] for row in rows]
    assert len(rows) == 6 and all(score != "—" for score in scores)  # 5 hospitals and the city
    out = io.StringIO()
    call_command(
        "check", "--org", "DEMO", "--on", quarter.checked_on.isoformat(), "--json", stdout=out
    )
    paths = dict(Organization.objects.values_list("code", "path"))
    names = dict(Organization.objects.values_list("path", "name"))
    lagging = {names[unit_of(paths[row["org"]])] for row in json.loads(out.getvalue())}
    assert {lag["name"] for lag in published.content["laggards"]} == lagging
    assert published.content["praised"]  # the best hospitals score green
    receipts = published.announcement.receipts
    assert receipts.filter(read_at__isnull=False, user__username="demo_office").count() == 1
    assert receipts.filter(user__username="demo_office_h04").exists()
