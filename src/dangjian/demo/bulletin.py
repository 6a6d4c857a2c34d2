"""The demo hospital's 党政管理通报 for the last full quarter, published to its Party
office and branch secretaries through the notices; demo_secretary has read it, so the
page shows one read receipt of several. The guidance committee's city bulletin of the
same quarter, published to the hospitals' Party workers; demo_office has read it."""

import datetime as dt

from django.contrib.auth import get_user_model

from dangjian.assessment.rules import last_full_quarter
from dangjian.assessment.services import publish_bulletin
from dangjian.notices.rules import Audience
from dangjian.notices.services import mark_read
from dangjian.orgs.models import Organization


def load_demo_bulletin(today: dt.date) -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_secretary", "demo_guidance"], field_name="username"
    )
    hospital = Organization.objects.get(code="DEMO-H01")
    published = publish_bulletin(
        hospital, last_full_quarter(today).code, by=users["demo_office"], today=today,
        audience=Audience.OFFICERS,
    )  # fmt: skip
    mark_read(published.announcement, users["demo_secretary"])
    city = Organization.objects.get(code="DEMO")
    published = publish_bulletin(
        city, last_full_quarter(today).code, by=users["demo_guidance"], today=today,
        audience=Audience.OFFICERS,
    )  # fmt: skip
    mark_read(published.announcement, users["demo_office"])
