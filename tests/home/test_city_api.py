"""`GET /api/v1/city/hospitals`: every hospital's figures of the city overview, the
city's, and where each lags; None where a hospital has no record; only for a city the
caller sees (a hospital's office gets 404)."""

import pytest

from dangjian.accounts.models import Role
from tests.factories import api_auth
from tests.home.test_city import TODAY, _city

pytestmark = pytest.mark.django_db
URL = "/api/v1/city/hospitals"


def test_the_committee_reads_each_hospitals_figures(client, world):
    _city(world)
    auth = api_auth(client, world.user(Role.GUIDANCE, "CITY"))
    body = client.get(f"{URL}?org=CITY", **auth).json()
    assert body["from"] == f"{TODAY.year}-01-01" and body["to"] == TODAY.isoformat()
    keys = [c["key"] for c in body["columns"]]
    assert {"development.admitted", "assessment.mean_score", "dues.on_time_rate"} <= set(keys)
    ha, hb = body["hospitals"]
    assert (ha["org"], hb["org"]) == ("HA", "HB")
    assert ha["figures"]["members.total"] == 4 and body["city"]["members.total"] == 6
    assert hb["figures"]["tasks.overdue"] == 1 and "tasks.overdue" in hb["lagging"]
    assert ha["figures"]["dues.on_time_rate"] is None  # no bills: no data, not 0
    assert isinstance(ha["figures"]["assessment.mean_score"], float)


def test_a_period_that_is_over_is_compared_on_itself(client, world):
    auth = api_auth(client, world.user(Role.GUIDANCE, "CITY"))
    body = client.get(f"{URL}?org=CITY&period=2024-Q1", **auth).json()
    assert (body["from"], body["to"], body["assessed"]) == ("2024-01-01", "2024-03-31", "2024-Q1")
    body = client.get(f"{URL}?org=CITY&year=2024", **auth).json()
    assert (body["to"], body["assessed"]) == ("2024-12-31", "2024-Q4")
    bad = client.get(f"{URL}?org=CITY&period=2024-Q9", **auth)
    assert bad.status_code == 400 and "通报期间格式应为" in bad.json()["detail"]
    assert client.get(f"{URL}?org=CITY&year=2099", **auth).status_code == 400


def test_a_hospital_office_gets_404(client, world):
    auth = api_auth(client, world.user(Role.OFFICE, "A"))
    assert client.get(f"{URL}?org=CITY", **auth).status_code == 404
    assert client.get(f"{URL}?org=HA", **auth).status_code == 404  # a hospital is no city
    assert client.get(f"{URL}?org=HB", **auth).status_code == 404
    assert client.get(f"{URL}?org=CITY").status_code == 401
