"""The round's page for its panel: each member's progress counts only what they are to
score, a recused row shows 回避 instead of a score form, and the page's title is the
round's title (its history stays in the page)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.honors import rounds
from tests.factories import api_auth, make_user

pytestmark = pytest.mark.django_db


def test_a_recused_reviewer_sees_回避_and_progress_of_what_they_score(client, world):
    today = dt.date.today()
    guide = world.user(Role.GUIDANCE, "CITY")
    data = rounds.RoundInput("全市四强党支部评选", "四强", "city", today, [("four_strong", "", 2)])
    round_ = rounds.open_round(world.guidance, data, by=guide, today=today)
    category = round_.categories.get()
    for unit, branch in ((world.ha, world.ha_b1), (world.hb, world.hb_b1)):
        rounds.recommend(
            rounds.NominationInput(category, unit, None, branch, "事迹", []), today=today
        )
    office_a = make_user("office-a-panel", Role.OFFICE, world.ha)
    rounds.close_recommendations(round_, [office_a], today, by=guide, today=today)

    client.force_login(office_a)
    page = client.get(reverse("honors:round", args=[round_.pk])).content.decode()
    assert page.count('name="score"') == 1 and "回避" in page
    assert "已评 0 / 1" in page
    client.force_login(guide)
    page = client.get(reverse("honors:round", args=[round_.pk])).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "全市四强党支部评选" in title and "<details" not in title
    assert 'id="history"' in page


def test_reading_one_honour_through_the_api_is_audited(client, world):
    from dangjian.honors import services
    from dangjian.honors.services import HonorInput

    honour = services.record_honor(
        HonorInput(organization=world.ha_b1, person=None, category="four_strong", level="city",
                   awarded_on=dt.date(2026, 5, 1), awarded_by="市委", document_no=""),
        today=dt.date(2026, 6, 1),
    )  # fmt: skip
    auth = api_auth(client, world.user(Role.OFFICE))
    assert client.get(f"/api/v1/honours/{honour.pk}", **auth).status_code == 200
    entry = AuditEntry.objects.get(action="api.honours.view")
    assert entry.org_path == world.ha_b1.path
