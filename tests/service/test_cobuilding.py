"""Co-building agreements and alliances: the services' refusals (nothing written), ending
without deleting, and their activities counted once, for the lead, in the service
figures of the subtree (SPEC.md §4 `service.*`)."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.models import AuditEntry
from dangjian.dashboard.stats import compute_stats
from dangjian.service import cobuilding, queries, services
from dangjian.service.models import Alliance, AllianceMember, Partnership, ServiceActivity
from dangjian.service.rules import PartnerKind
from tests.factories import make_member

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
SIGNED = TODAY - dt.timedelta(days=60)


@pytest.fixture
def orgs(two_hospitals):
    guidance, (ha, b1, b2), (hb, hb_b1, _hb_b2) = two_hospitals
    return guidance, ha, b1, b2, hb, hb_b1


def community(org, **fields):
    data = {
        "title": "社区共建", "partner_kind": PartnerKind.COMMUNITY, "signed_on": SIGNED,
        "partner_name": "示例街道某社区党委", **fields,
    }  # fmt: skip
    return cobuilding.create_partnership(org, cobuilding.PartnershipInput(**data))


def linked_activity(org, people, served=100, **link):
    return services.record_activity(
        org,
        services.ActivityInput(
            kind="clinic", title="共建义诊", held_on=TODAY - dt.timedelta(days=3),
            hours=Decimal("2.5"), people_served=served, volunteers=people, **link,
        ),
    )  # fmt: skip


def test_an_agreement_with_an_outside_unit_is_recorded_and_audited(orgs):
    _g, _ha, b1, *_ = orgs
    item = community(b1, content="每月一次健康义诊", contact="王某 138****0000")
    assert (item.organization, item.partner, item.partner_org) == (b1, "示例街道某社区党委", None)
    entry = AuditEntry.objects.get(action="service.partnership")
    assert entry.org_path == b1.path


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": " "}, "请填写协议名称"),
        ({"partner_name": ""}, "请选择系统内的共建党组织"),
        ({"partner_kind": "moon"}, "共建单位类别无效"),
        ({"signed_on": TODAY + dt.timedelta(days=1)}, "签订日期不能晚于今天"),
        ({"ends_on": SIGNED - dt.timedelta(days=1)}, "约定期满日期不能早于签订日期"),
        ({"signed_on": None}, "请填写签订日期"),
    ],
)
def test_a_bad_agreement_is_refused_and_nothing_is_written(orgs, fields, reason):
    _g, _ha, b1, *_ = orgs
    with pytest.raises(services.ServiceError) as refused:
        community(b1, **fields)
    assert reason in str(refused.value)
    assert not Partnership.objects.exists()
    assert not AuditEntry.objects.filter(action="service.partnership").exists()


def test_an_agreement_with_itself_or_with_both_partners_is_refused(orgs):
    _g, _ha, b1, b2, *_ = orgs
    with pytest.raises(services.ServiceError, match="自身"):
        community(b1, partner_name="", partner_org=b1)
    with pytest.raises(services.ServiceError, match="只填一处"):
        community(b1, partner_org=b2)
    assert not Partnership.objects.exists()


def test_activities_of_an_agreement_count_once_for_our_side(orgs):
    """The partner's branch (another hospital's, here) is listed on the activity but the
    activity counts only in our side's figures, and once in the city's."""
    guidance, ha, b1, _b2, hb, hb_b1 = orgs
    item = community(b1, partner_name="", partner_org=hb_b1, partner_kind=PartnerKind.HOSPITAL)
    activity = linked_activity(b1, [make_member(b1), make_member(b1)], 120, partnership=item)
    assert list(activity.partners.all()) == [hb_b1]
    assert activity.partnership == item
    assert compute_stats(b1)["service"]["activities"] == 1
    assert compute_stats(ha)["service"]["people_served"] == 120
    assert compute_stats(hb)["service"]["activities"] == 0
    city = compute_stats(guidance)["service"]
    assert (city["activities"], city["people_served"]) == (1, 120)
    figures = queries.link_figures(item.activities.all())
    assert figures == {"activities": 1, "people_served": 120, "hours": 5.0}


def test_an_activity_under_an_agreement_is_our_sides_and_within_its_dates(orgs):
    _g, _ha, b1, b2, *_ = orgs
    item = community(b1)
    with pytest.raises(services.ServiceError, match="应由"):
        linked_activity(b2, [make_member(b2)], partnership=item)
    cobuilding.end_partnership(item, TODAY - dt.timedelta(days=10), "社区调整")
    with pytest.raises(services.ServiceError, match="已于"):
        linked_activity(b1, [make_member(b1)], partnership=item)
    assert not ServiceActivity.objects.exists()


def test_ending_keeps_the_agreement_and_its_activities(orgs):
    _g, _ha, b1, *_ = orgs
    item = community(b1)
    linked_activity(b1, [make_member(b1)], partnership=item)
    with pytest.raises(services.ServiceError) as refused:
        cobuilding.end_partnership(item, TODAY - dt.timedelta(days=5), " ")
    assert "请填写终止原因" in str(refused.value)
    assert "终止日期不能早于该日" in str(refused.value)
    item.refresh_from_db()
    assert item.ended_on is None
    cobuilding.end_partnership(item, TODAY, "协议期满")
    with pytest.raises(services.ServiceError, match="已于"):
        cobuilding.end_partnership(item, TODAY, "again")
    item.refresh_from_db()
    assert (item.ended_on, item.end_reason, item.activities.count()) == (TODAY, "协议期满", 1)


def test_editing_cannot_move_the_signing_after_an_activity(orgs):
    _g, _ha, b1, *_ = orgs
    item = community(b1)
    linked_activity(b1, [make_member(b1)], partnership=item)
    data = cobuilding.PartnershipInput(
        title="改名", partner_kind=PartnerKind.COMMUNITY, signed_on=TODAY,
        partner_name="示例街道某社区党委",
    )  # fmt: skip
    with pytest.raises(services.ServiceError, match="签订日期不能晚于该日"):
        cobuilding.edit_partnership(item, data)
    item.refresh_from_db()
    assert item.title == "社区共建"


def alliance(lead, members, **fields):
    data = {
        "name": "城区医院党建联盟", "founded_on": SIGNED, "members": members,
        "outside": [("示例医学院党委", PartnerKind.SCHOOL)], **fields,
    }  # fmt: skip
    return cobuilding.create_alliance(lead, cobuilding.AllianceInput(**data))


def test_an_alliance_and_its_joint_event_count_once_for_the_lead(orgs):
    guidance, ha, _b1, _b2, hb, _hb_b1 = orgs
    found = alliance(ha, [hb, ha])  # the lead among the members is dropped
    assert sorted(m.label for m in found.members.all()) == sorted([hb.name, "示例医学院党委"])
    event = linked_activity(ha, [make_member(ha)], 300, alliance=found)
    assert list(event.partners.all()) == [hb]
    assert compute_stats(ha)["service"]["people_served"] == 300
    assert compute_stats(hb)["service"]["activities"] == 0
    assert compute_stats(guidance)["service"]["activities"] == 1


def test_a_bad_alliance_is_refused_and_nothing_is_written(orgs):
    _g, _ha, b1, _b2, hb, _ = orgs
    with pytest.raises(services.ServiceError) as refused:
        alliance(b1, [], outside=[("", "moon")], name=" ")
    reasons = str(refused.value)
    for reason in ("请填写联盟名称", "须由指导委员会或医院党委牵头", "须填写名称", "类别无效"):
        assert reason in reasons
    with pytest.raises(services.ServiceError, match="至少要有两个成员单位"):
        alliance(hb, [], outside=[])
    assert not Alliance.objects.exists()
    assert not AllianceMember.objects.exists()


def test_a_city_led_alliance_and_ending_it(orgs):
    guidance, ha, _b1, _b2, hb, _ = orgs
    found = alliance(guidance, [ha, hb], outside=[])
    event = linked_activity(guidance, [make_member(ha)], 50, alliance=found)
    assert compute_stats(guidance)["service"]["activities"] == 1
    assert compute_stats(ha)["service"]["activities"] == 0
    assert set(event.partners.all()) == {ha, hb}
    cobuilding.end_alliance(found, TODAY, "整合为医联体")
    found.refresh_from_db()
    assert found.ended_on == TODAY and found.activities.count() == 1
    assert AuditEntry.objects.filter(action="service.alliance_end").count() == 1
