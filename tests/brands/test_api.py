"""`GET /api/v1/brands` and `/brands/{id}`: scoped (the guidance committee sees its
hospitals' brands, another hospital's office nothing), with the evidence."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.accounts.models import Role
from dangjian.brands import services
from dangjian.service import services as service_services
from tests.factories import api_auth, make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_brands_are_scoped_and_carry_their_evidence(client, two_hospitals):
    guidance, (ha, b1, _b2), (hb, _x, _y) = two_hospitals
    brand = services.create_brand(
        b1, services.BrandInput(name="红丝带之家", idea="尊重", founded_year=2015)
    )
    activity = service_services.record_activity(
        b1,
        service_services.ActivityInput(
            kind="clinic", title="随访义诊", held_on=TODAY, hours=Decimal("2"),
            people_served=10, volunteers=[make_member(b1)],
        ),
    )  # fmt: skip
    services.add_evidence(brand, "activity", activity.pk, "品牌活动")
    auth_a = api_auth(client, make_user("office-a", Role.OFFICE, ha))
    auth_b = api_auth(client, make_user("office-b", Role.OFFICE, hb))
    auth_city = api_auth(client, make_user("city", Role.GUIDANCE, guidance))
    body = client.get(f"/api/v1/brands?org={ha.code}", **auth_a).json()
    assert body["count"] == 1
    assert body["items"][0] | {} == {
        "id": brand.pk, "org": b1.code, "name": "红丝带之家", "idea": "尊重", "measures": "",
        "results": "", "founded_year": 2015, "has_logo": False, "evidence_count": 1,
    }  # fmt: skip
    assert client.get("/api/v1/brands", **auth_city).json()["count"] == 1
    detail = client.get(f"/api/v1/brands/{brand.pk}", **auth_city).json()
    assert detail["evidence"] == [
        {"id": brand.evidence.get().pk, "kind": "activity", "record": activity.pk,
         "title": "随访义诊", "note": "品牌活动"}
    ]  # fmt: skip
    assert client.get("/api/v1/brands", **auth_b).json()["count"] == 0
    assert client.get(f"/api/v1/brands/{brand.pk}", **auth_b).status_code == 404
    assert client.get(f"/api/v1/brands?org={ha.code}", **auth_b).status_code == 404
    assert client.get("/api/v1/brands").status_code == 401
