"""Every co-building and alliance page: renders for hospital A's office, 404 for hospital
B's, a query count that does not grow with the rows; the partner's users read an
agreement but cannot change it; recording through the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.service import cobuilding, services
from dangjian.service.models import Alliance, Partnership, ServiceActivity
from dangjian.service.rules import PartnerKind
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
SIGNED = TODAY - dt.timedelta(days=30)


def _agreements(world, n):
    for i in range(n):
        item = cobuilding.create_partnership(
            world.ha_b1,
            cobuilding.PartnershipInput(
                title=f"甲院共建{i}", partner_kind=PartnerKind.COMMUNITY, signed_on=SIGNED,
                partner_name=f"某社区{i}",
            ),
        )  # fmt: skip
        _activity(world.ha_b1, partnership=item)


def _activity(org, **link):
    return services.record_activity(
        org,
        services.ActivityInput(
            kind="clinic", title="共建义诊", held_on=TODAY, hours=Decimal("2"),
            people_served=40, volunteers=[make_member(org)], **link,
        ),
    )  # fmt: skip


def _alliances(world, n):
    for i in range(n):
        found = cobuilding.create_alliance(
            world.ha,
            cobuilding.AllianceInput(
                name=f"甲院联盟{i}", founded_on=SIGNED,
                outside=[(f"某院{i}", PartnerKind.HOSPITAL), (f"某校{i}", PartnerKind.SCHOOL)],
            ),
        )  # fmt: skip
        _activity(world.ha, alliance=found)


def _first(model, world, make):
    if not model.objects.exists():
        make(world, 1)
    return model.objects.order_by("pk").first()


class TestPartnerships(ScopedPageTest):
    expected_text = ("结对共建", "甲院共建0", "登记共建协议")

    def url(self, world):
        return f"{reverse('service:partnerships')}?org={world.ha.code}"

    def grow(self, world, n):
        _agreements(world, n)


class TestPartnership(ScopedPageTest):
    expected_text = ("甲院共建0", "共建义诊", "登记共建活动", "终止协议")

    def url(self, world):
        return reverse("service:partnership", args=[_first(Partnership, world, _agreements).pk])

    def grow(self, world, n):
        item = _first(Partnership, world, _agreements)
        for _i in range(n):
            _activity(world.ha_b1, partnership=item)


class TestPartnershipForms(ScopedPageTest):
    expected_text = ("签订日期",)

    def url(self, world):
        return reverse(
            "service:partnership_edit", args=[_first(Partnership, world, _agreements).pk]
        )

    def grow(self, world, n):
        _agreements(world, n)


class TestPartnershipActivity(ScopedPageTest):
    expected_text = ("登记共建活动", "参加的党员")

    def url(self, world):
        item = _first(Partnership, world, _agreements)
        return reverse("service:partnership_activity", args=[item.pk])

    def grow(self, world, n):
        _agreements(world, n)


class TestAlliances(ScopedPageTest):
    expected_text = ("党建联盟", "甲院联盟0", "成立党建联盟")

    def url(self, world):
        return f"{reverse('service:alliances')}?org={world.ha.code}"

    def grow(self, world, n):
        _alliances(world, n)


class TestAlliance(ScopedPageTest):
    expected_text = ("甲院联盟0", "某校0", "登记联合活动", "解散联盟", "解散日期")

    def url(self, world):
        return reverse("service:alliance", args=[_first(Alliance, world, _alliances).pk])

    def grow(self, world, n):
        found = _first(Alliance, world, _alliances)
        for _i in range(n):
            _activity(world.ha, alliance=found)


class TestAllianceEdit(ScopedPageTest):
    expected_text = ("联盟名称", "某院0，医院")

    def url(self, world):
        return reverse("service:alliance_edit", args=[_first(Alliance, world, _alliances).pk])

    def grow(self, world, n):
        _alliances(world, n)


class TestAllianceActivity(ScopedPageTest):
    expected_text = ("登记联盟联合活动",)

    def url(self, world):
        return reverse("service:alliance_activity", args=[_first(Alliance, world, _alliances).pk])

    def grow(self, world, n):
        _alliances(world, n)


@pytest.mark.parametrize("name", ["service:partnership_new", "service:alliance_new"])
def test_the_new_forms_are_404_with_another_hospitals_org(client, world, name):
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(f"{reverse(name)}?org={world.ha.code}").status_code == 404
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get(f"{reverse(name)}?org={world.ha.code}").status_code == 200


def test_ending_is_404_for_another_hospital_and_changes_nothing(client, world):
    _agreements(world, 1)
    _alliances(world, 1)
    item, found = Partnership.objects.get(), Alliance.objects.get()
    client.force_login(world.user(Role.OFFICE, "B"))
    body = {"ended_on": TODAY.isoformat(), "reason": "x"}
    assert client.post(reverse("service:partnership_end", args=[item.pk]), body).status_code == 404
    assert client.post(reverse("service:alliance_end", args=[found.pk]), body).status_code == 404
    item.refresh_from_db()
    found.refresh_from_db()
    assert item.ended_on is None and found.ended_on is None


def test_the_partners_office_reads_the_agreement_but_cannot_change_it(client, world):
    item = cobuilding.create_partnership(
        world.ha_b1,
        cobuilding.PartnershipInput(
            title="跨院共建", partner_kind=PartnerKind.HOSPITAL, signed_on=SIGNED,
            partner_org=world.hb,
        ),
    )  # fmt: skip
    activity = _activity(world.ha_b1, partnership=item)
    client.force_login(world.user(Role.OFFICE, "B"))
    page = client.get(reverse("service:partnership", args=[item.pk])).content.decode()
    assert "跨院共建" in page and "共建义诊" in page
    # Listed, but the activity's own page (with the volunteers' names) stays hospital A's.
    assert reverse("service:activity", args=[activity.pk]) not in page
    assert "登记共建活动" not in page
    listing = client.get(f"{reverse('service:partnerships')}?org={world.hb.code}")
    assert "跨院共建" in listing.content.decode()
    edit = client.get(reverse("service:partnership_edit", args=[item.pk]))
    assert edit.status_code == 403
    ended = client.post(
        reverse("service:partnership_end", args=[item.pk]),
        {"ended_on": TODAY.isoformat(), "reason": "x"},
    )
    assert ended.status_code == 403
    item.refresh_from_db()
    assert item.ended_on is None


def test_a_secretary_records_an_agreement_and_an_activity_on_it(client, world):
    secretary = make_user("sec-a1", Role.SECRETARY, world.ha_b1)
    volunteer = make_member(world.ha_b1)
    client.force_login(secretary)
    response = client.post(
        f"{reverse('service:partnership_new')}?org={world.ha_b1.code}",
        {"title": "社区健康共建", "partner_kind": "community", "partner_name": "某社区党委",
         "signed_on": SIGNED.isoformat(), "content": "每月义诊"},
    )  # fmt: skip
    item = Partnership.objects.get()
    assert response.status_code == 302 and item.organization == world.ha_b1
    response = client.post(
        reverse("service:partnership_activity", args=[item.pk]),
        {"kind": "clinic", "title": "社区义诊", "held_on": TODAY.isoformat(), "hours": "3",
         "people_served": "80", "volunteers": [volunteer.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = ServiceActivity.objects.get()
    assert (activity.partnership, activity.organization) == (item, world.ha_b1)
    page = client.get(reverse("service:partnership", args=[item.pk])).content.decode()
    assert "80 人次" in page and "3 小时" in page
    shown = client.get(reverse("service:activity", args=[activity.pk])).content.decode()
    assert "社区健康共建" in shown  # the activity's page names its agreement
    # A future date is refused in Chinese and nothing is written.
    response = client.post(
        reverse("service:partnership_activity", args=[item.pk]),
        {"kind": "clinic", "title": "x", "held_on": (TODAY + dt.timedelta(days=2)).isoformat(),
         "hours": "3", "people_served": "1", "volunteers": [volunteer.pk]},
    )  # fmt: skip
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert ServiceActivity.objects.count() == 1


def test_the_guidance_committee_founds_a_city_alliance(client, world):
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    response = client.post(
        f"{reverse('service:alliance_new')}?org={world.guidance.code}",
        {"name": "全市医院党建联盟", "founded_on": SIGNED.isoformat(),
         "members": [world.ha.pk, world.hb.pk], "outside": "某医学院党委，学校\n某社区"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    found = Alliance.objects.get()
    kinds = sorted((m.label, m.kind) for m in found.members.all())
    assert kinds == sorted(
        [(world.ha.name, "hospital"), (world.hb.name, "hospital"),
         ("某医学院党委", "school"), ("某社区", "other")]
    )  # fmt: skip
    client.force_login(world.user(Role.OFFICE, "B"))  # a member hospital reads it
    assert client.get(reverse("service:alliance", args=[found.pk])).status_code == 200
    assert client.get(reverse("service:alliance_edit", args=[found.pk])).status_code == 403
