"""Selection round pages: render for hospital A's office, do not exist for hospital B's
(a hospital's round, its page, its materials), with a query count that does not grow
with the recommendations; a unit's user sees only its own recommendations."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.honors import rounds
from dangjian.honors.models import NominationMaterial, SelectionRound

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _round(world, organiser=None):
    organiser = organiser or world.ha
    found = SelectionRound.objects.filter(organization=organiser).first()
    if found:
        return found
    data = rounds.RoundInput("甲院四强党支部评选", "四强标准", "hospital", TODAY,
                             [("four_strong", "", 2)])  # fmt: skip
    return rounds.open_round(organiser, data)


def _nominate(world, n, organiser=None):
    round_ = _round(world, organiser)
    for i in range(n):
        scan = SimpleUploadedFile(f"材料{i}.pdf", b"%PDF-1.4")
        rounds.recommend(rounds.NominationInput(
            round_.categories.get(), world.ha, None, world.ha_b1, f"事迹{i}", [scan]
        ))  # fmt: skip


class TestRounds(ScopedPageTest):
    expected_text = ("评选", "甲院四强党支部评选", "发起评选")
    outsider_status = 200

    def url(self, world):
        return reverse("honors:rounds")

    def grow(self, world, n):
        _nominate(world, n)

    def private_text(self, world):
        return "甲院四强党支部评选"


class TestRoundNew(ScopedPageTest):
    expected_text = ("发起评选", "名额")

    def url(self, world):
        return f"{reverse('honors:round_new')}?org={world.ha.code}"

    def grow(self, world, n):
        _nominate(world, n)


class TestRound(ScopedPageTest):
    expected_text = ("甲院四强党支部评选", "事迹0", "提交推荐", "结束推荐，进入评审", "材料0.pdf")

    def url(self, world):
        return reverse("honors:round", args=[_round(world).pk])

    def grow(self, world, n):
        _nominate(world, n)


class TestMaterial(ScopedPageTest):
    def url(self, world):
        return reverse("honors:material", args=[NominationMaterial.objects.earliest("pk").pk])

    def grow(self, world, n):
        _nominate(world, n)


def test_in_a_city_round_a_hospital_sees_its_own_recommendations_only(client, world):
    _nominate(world, 1, organiser=world.guidance)
    round_ = _round(world, world.guidance)
    client.force_login(world.user(Role.OFFICE, "B"))
    page = client.get(reverse("honors:round", args=[round_.pk])).content.decode()
    assert "甲院四强党支部评选" in page and "事迹0" not in page
    material = NominationMaterial.objects.get()
    assert client.get(reverse("honors:material", args=[material.pk])).status_code == 404
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    page = client.get(reverse("honors:round", args=[round_.pk])).content.decode()
    assert "事迹0" in page and "结束推荐，进入评审" in page
