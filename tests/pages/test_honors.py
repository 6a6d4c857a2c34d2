"""Honours pages: the list and the record form render for hospital A's office, 404 for
hospital B's, with a query count that does not grow; recording through the page, by the
office and by the guidance committee; the honours on the person's and the
organisation's pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.honors import services
from dangjian.honors.models import Honor, HonorCertificate
from tests.factories import make_member

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
DAY = dt.date.today() - dt.timedelta(days=3)


def _honours(world, n, *, certificate=False):
    for i in range(n):
        scan = SimpleUploadedFile(f"证书{i}.pdf", b"%PDF-1.4") if certificate else None
        services.record_honor(
            services.HonorInput(
                organization=None, person=make_member(world.ha_b1, name=f"甲院党员{i}"),
                category="outstanding_member", level="city", awarded_on=DAY,
                awarded_by="市委卫生健康工委", document_no=f"卫工委〔2026〕{i}号",
                certificate=scan,
            )
        )  # fmt: skip


class TestHonours(ScopedPageTest):
    expected_text = ("荣誉表彰", "优秀共产党员", "市委卫生健康工委", "登记荣誉", "甲院党员0")

    def url(self, world):
        return f"{reverse('honors:list')}?org={world.ha.code}&level=city&who=person"

    def grow(self, world, n):
        _honours(world, n, certificate=True)


class TestRecordPage(ScopedPageTest):
    expected_text = ("登记荣誉", "获奖党组织", "证书扫描件")

    def url(self, world):
        return f"{reverse('honors:record')}?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            make_member(world.ha_b1)


class TestCertificate(ScopedPageTest):
    def url(self, world):
        return reverse("honors:certificate", args=[HonorCertificate.objects.earliest("pk").pk])

    def grow(self, world, n):
        _honours(world, n, certificate=True)


class TestHonoursOnThePersonsPage(ScopedPageTest):
    expected_text = ("荣誉表彰", "优秀共产党员", "卫工委〔2026〕0号")

    def url(self, world):
        return reverse("people:detail", args=[Honor.objects.earliest("pk").person_id])

    def grow(self, world, n):
        _honours(world, 1)


class TestHonoursOnTheOrganisationsPage(ScopedPageTest):
    expected_text = ("荣誉表彰", "四强党支部")

    def url(self, world):
        return reverse("orgs:detail", args=[world.ha_b2.code])

    def grow(self, world, n):
        for _ in range(n):
            services.record_honor(
                services.HonorInput(
                    organization=world.ha_b2, person=None, category="four_strong",
                    level="hospital", awarded_on=DAY, awarded_by="甲院党委",
                )
            )  # fmt: skip


def _post(client, world, **fields):
    data = {"category": "four_strong", "level": "city", "awarded_on": DAY.isoformat(),
            "awarded_by": "市委卫生健康工委", "document_no": "卫工委〔2026〕8号", **fields}  # fmt: skip
    return client.post(f"{reverse('honors:record')}?org={world.ha.code}", data)


@pytest.mark.parametrize("role,hospital", [(Role.OFFICE, "A"), (Role.GUIDANCE, "CITY")])
def test_the_office_and_the_guidance_committee_record_an_honour(client, world, role, hospital):
    client.force_login(world.user(role, hospital))
    response = _post(client, world, organization=world.ha_b1.pk)
    assert response.status_code == 302
    honor = Honor.objects.get()
    assert (honor.organization, honor.title, honor.person) == (world.ha_b1, "四强党支部", None)


def test_a_refused_honour_shows_why_and_writes_nothing(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    person = make_member(world.ha_b1)
    response = _post(client, world, person=person.pk)
    assert response.status_code == 200
    assert "是授予党组织的荣誉，请选择党组织" in response.content.decode()
    assert not Honor.objects.exists()


def test_a_secretary_may_read_but_not_record(client, world):
    client.force_login(world.user(Role.SECRETARY, "A"))
    assert client.get(f"{reverse('honors:list')}?org={world.ha_b1.code}").status_code == 200
    assert client.get(f"{reverse('honors:record')}?org={world.ha_b1.code}").status_code == 404
    assert _post(client, world, organization=world.ha_b1.pk).status_code == 404
    assert not Honor.objects.exists()


def test_the_office_revokes_a_wrong_entry_another_hospital_cannot(client, world):
    _honours(world, 1)
    honor = Honor.objects.get()
    url = reverse("honors:revoke", args=[honor.pk])
    for role, hospital in ((Role.OFFICE, "B"), (Role.SECRETARY, "A")):
        client.force_login(world.user(role, hospital))
        assert client.post(url, {"reason": "误录"}).status_code == 404
    honor.refresh_from_db()
    assert honor.revoked_on is None
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.post(url, {"reason": "误录"}).status_code == 302
    honor.refresh_from_db()
    assert honor.revoke_reason == "误录"
    page = client.get(f"{reverse('honors:list')}?org={world.ha.code}").content.decode()
    assert "已撤销" in page
