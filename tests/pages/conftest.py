import pytest

from .world import World


@pytest.fixture
def world(two_hospitals) -> World:
    guidance, (ha, ha_b1, ha_b2), (hb, hb_b1, hb_b2) = two_hospitals
    for org in (ha, ha_b1, ha_b2, hb, hb_b1, hb_b2):
        org.refresh_from_db()
    return World(guidance, ha, ha_b1, ha_b2, hb, hb_b1, hb_b2)
