"""Every brand page: renders for hospital A's office, 404 for hospital B's (pages, the
logo's download, the evidence's removal), a query count that does not grow with the
rows; the guidance committee's list of its hospitals' brands; the organisation's page
shows its brand; evidence chosen on the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.brands import services
from dangjian.brands.models import Brand, BrandLogo, Evidence
from dangjian.service import services as service_services
from tests.factories import make_member
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _brands(world, n):
    start = Brand.objects.count()
    for i in range(start, start + n):
        logo = SimpleUploadedFile(f"logo{i}.png", b"\x89PNG", content_type="image/png")
        created = services.create_brand(
            world.ha_b1 if i % 2 else world.ha,
            services.BrandInput(name=f"甲院品牌{i}", idea="医心向党", founded_year=2020,
                                logo=logo),
        )  # fmt: skip
        services.add_evidence(created, "activity", _activity(world).pk)


def _activity(world):
    return service_services.record_activity(
        world.ha_b1,
        service_services.ActivityInput(
            kind="clinic", title="品牌义诊", held_on=TODAY, hours=Decimal("2"),
            people_served=10, volunteers=[make_member(world.ha_b1)],
        ),
    )  # fmt: skip


def _first(world):
    if not Brand.objects.exists():
        _brands(world, 1)
    return Brand.objects.order_by("pk").first()


class TestList(ScopedPageTest):
    expected_text = ("党建品牌", "甲院品牌0", "创建品牌")

    def url(self, world):
        return f"{reverse('brands:list')}?org={world.ha.code}"

    def grow(self, world, n):
        _brands(world, n)


class TestGuidanceList(ScopedPageTest):
    """The guidance committee sees the brands of the hospitals it guides."""

    viewer_role = Role.GUIDANCE
    viewer_hospital = "CITY"
    outsider_status = 200  # hospital B's office opens its own list, without A's brands
    expected_text = ("甲院品牌0", "甲院")

    def url(self, world):
        return reverse("brands:list")

    def grow(self, world, n):
        _brands(world, n)

    def private_text(self, world):
        return "甲院品牌0"


class TestDetail(ScopedPageTest):
    expected_text = ("甲院品牌0", "医心向党", "品牌义诊", "关联志愿服务活动")

    def url(self, world):
        return reverse("brands:detail", args=[_first(world).pk])

    def grow(self, world, n):
        brand = _first(world)
        for _i in range(n):
            services.add_evidence(brand, "activity", _activity(world).pk)


class TestEdit(ScopedPageTest):
    expected_text = ("修改党建品牌", "logo0.png")

    def url(self, world):
        return reverse("brands:edit", args=[_first(world).pk])

    def grow(self, world, n):
        _brands(world, n)


class TestLogo(ScopedPageTest):
    def url(self, world):
        return reverse("brands:logo", args=[BrandLogo.objects.get(brand=_first(world)).pk])

    def grow(self, world, n):
        _brands(world, n)


class TestOrgPage(ScopedPageTest):
    """The organisation's page shows its own brands (a tag, one query)."""

    expected_text = ("党建品牌", "甲院品牌0")

    def url(self, world):
        _first(world)
        return reverse("orgs:detail", args=[world.ha.code])

    def grow(self, world, n):
        _brands(world, n)


def test_new_is_404_for_another_hospital_and_removal_too(client, world):
    _brands(world, 1)
    evidence = Evidence.objects.get()
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(f"{reverse('brands:new')}?org={world.ha.code}").status_code == 404
    url = reverse("brands:evidence_remove", args=[evidence.pk])
    assert client.post(url).status_code == 404
    assert Evidence.objects.count() == 1


def test_the_office_creates_a_brand_and_links_a_record_on_the_page(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.post(
        f"{reverse('brands:new')}?org={world.ha.code}",
        {"name": "医心向党", "idea": "姓党为民", "founded_year": 2021, "measures": "五联工程"},
    )
    brand = Brand.objects.get()
    assert response.status_code == 302 and brand.organization == world.ha
    record = _activity(world)
    response = client.post(
        reverse("brands:detail", args=[brand.pk]),
        {"kind": "activity", "activity-record": record.pk, "activity-note": "支部品牌活动"},
    )
    assert response.status_code == 302
    assert Evidence.objects.get().activity == record
    # A record of another hospital is not among the choices and is refused if sent.
    other = service_services.record_activity(
        world.hb_b1,
        service_services.ActivityInput(
            kind="clinic", title="外院", held_on=TODAY, hours=Decimal("1"), people_served=1,
            volunteers=[make_member(world.hb_b1)],
        ),
    )  # fmt: skip
    response = client.post(
        reverse("brands:detail", args=[brand.pk]),
        {"kind": "activity", "activity-record": other.pk},
    )
    assert response.status_code == 200
    assert Evidence.objects.count() == 1


def test_the_guidance_committee_reads_but_cannot_change(client, world):
    _brands(world, 1)
    brand = Brand.objects.get()
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    assert client.get(reverse("brands:detail", args=[brand.pk])).status_code == 200
    assert client.get(reverse("brands:edit", args=[brand.pk])).status_code == 403
    assert client.post(reverse("brands:detail", args=[brand.pk]), {"kind": "x"}).status_code == 403
