"""The demo hospital's points (seed 000 manages members by points): this year's rules as
the defaults, and manual additions: one approved for demo_member (so the phone page shows
an adjustment with its reason and approver beside the points read from records) and one
waiting for approval on the office's page."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from dangjian.orgs.models import Organization
from dangjian.points import rules, services


def load_demo_points(today: dt.date) -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_secretary", "demo_member"], field_name="username"
    )
    hospital = Organization.objects.get(code="DEMO-H01")
    services.save_rules(hospital, today.year, list(rules.DEFAULT_RULES), by=users["demo_office"])
    member = users["demo_member"].person
    approved = services.propose(
        member, Decimal("5"), "志愿服务表现突出，受科室通报表扬", today - dt.timedelta(days=20),
        by=users["demo_secretary"],
    )  # fmt: skip
    services.decide(approved, True, by=users["demo_office"])
    services.propose(
        member, Decimal("3"), "撰写党建宣传稿件被院报采用", today, by=users["demo_secretary"]
    )
