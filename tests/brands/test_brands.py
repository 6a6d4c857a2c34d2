"""党建品牌: creating and editing (bad input changes nothing), evidence from the brand's
own subtree only (another organisation's record is refused), the logo stored like every
upload."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.brands import queries, services
from dangjian.brands.models import Brand, BrandLogo, Evidence
from dangjian.core.models import AuditEntry
from dangjian.honors.models import Honor
from dangjian.meetings.models import Meeting
from dangjian.service import cobuilding
from dangjian.service import services as service_services
from dangjian.service.rules import PartnerKind
from tests.factories import make_member

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def orgs(two_hospitals):
    guidance, (ha, b1, b2), (hb, hb_b1, _x) = two_hospitals
    ha.guidance = guidance
    return ha, b1, b2, hb, hb_b1


def brand(org, **fields):
    data = {"name": "党旗下的红丝带之家", "idea": "服务病人从握手开始", "founded_year": 2015,
            **fields}  # fmt: skip
    return services.create_brand(org, services.BrandInput(**data))


def activity(org, title="义诊"):
    return service_services.record_activity(
        org,
        service_services.ActivityInput(
            kind="clinic", title=title, held_on=TODAY, hours=Decimal("2"), people_served=10,
            volunteers=[make_member(org)],
        ),
    )  # fmt: skip


def meeting(org, topic="主题党日"):
    return Meeting.objects.create(
        organization=org, kind="theme_day", topic=topic, planned_on=TODAY, held_on=TODAY,
        status="held",
    )  # fmt: skip


def honour(org):
    return Honor.objects.create(
        organization=org, category="four_strong", title="四强党支部", level="city",
        awarded_on=TODAY, awarded_by="市卫健委",
    )  # fmt: skip


def test_a_brand_with_its_logo_is_created_and_audited(orgs):
    _ha, b1, *_ = orgs
    logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    created = brand(b1, logo=logo, measures="随访管理", results="5000 余名患者")
    assert created.logo.original_name == "logo.png"
    assert AuditEntry.objects.get(action="brands.create").org_path == b1.path
    replaced = SimpleUploadedFile("new.jpg", b"jpg", content_type="image/jpeg")
    services.edit_brand(created, services.BrandInput(
        name="红丝带之家", idea="尊重", founded_year=2016, logo=replaced))  # fmt: skip
    created.refresh_from_db()
    assert (created.name, BrandLogo.objects.get().original_name) == ("红丝带之家", "new.jpg")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": " "}, "请填写品牌名称"),
        ({"idea": ""}, "请填写品牌理念"),
        ({"founded_year": 1900}, "创建年份须在"),
        ({"founded_year": TODAY.year + 1}, "创建年份须在"),
        ({"logo": SimpleUploadedFile("logo.pdf", b"%PDF")}, "PNG 或 JPG"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(orgs, fields, reason):
    _ha, b1, *_ = orgs
    with pytest.raises(services.BrandError, match=reason):
        brand(b1, **fields)
    assert not Brand.objects.exists() and not BrandLogo.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="brands.").exists()


def test_a_name_is_used_once_per_organisation_and_an_edit_keeps_the_old_words(orgs):
    ha, b1, b2, *_ = orgs
    first = brand(b1)
    brand(b2)  # another branch may use the same name
    with pytest.raises(services.BrandError, match="已有名为"):
        brand(b1)
    with pytest.raises(services.BrandError, match="请填写品牌理念"):
        services.edit_brand(first, services.BrandInput(name="新名", idea="", founded_year=2015))
    first.refresh_from_db()
    assert first.name == "党旗下的红丝带之家"
    with pytest.raises(services.BrandError, match="党委、党总支或党支部"):
        brand(ha.guidance)


def test_evidence_comes_from_the_brands_subtree(orgs):
    ha, b1, b2, hb, hb_b1 = orgs
    hospital_brand = brand(ha, name="医心向党")
    branch_brand = brand(b1)
    own = [activity(b1), meeting(b1), honour(b1)]
    item = cobuilding.create_partnership(
        b1, cobuilding.PartnershipInput(title="社区共建", partner_kind=PartnerKind.COMMUNITY,
                                        signed_on=TODAY, partner_name="某社区"),
    )  # fmt: skip
    for record, kind in zip(
        [*own, item], ["activity", "meeting", "honor", "partnership"], strict=True
    ):
        services.add_evidence(branch_brand, kind, record.pk, "佐证")
    # A branch's record shows its hospital's brand too (the subtree), not a sibling's.
    services.add_evidence(hospital_brand, "activity", own[0].pk)
    sibling, foreign = activity(b2, "乙支部义诊"), activity(hb_b1, "外院义诊")
    for record in (sibling, foreign):
        with pytest.raises(services.BrandError, match="不属于"):
            services.add_evidence(branch_brand, "activity", record.pk)
    with pytest.raises(services.BrandError, match="不属于"):
        services.add_evidence(branch_brand, "honor", honour(hb).pk)
    with pytest.raises(services.BrandError, match="已是本品牌的佐证"):
        services.add_evidence(branch_brand, "activity", own[0].pk)
    with pytest.raises(services.BrandError, match="类别无效"):
        services.add_evidence(branch_brand, "decision", own[0].pk)
    assert Evidence.objects.filter(brand=branch_brand).count() == 4
    assert [e.record for e in queries.evidence_of(branch_brand)][0] in (*own, item)
    candidates = queries.candidates(branch_brand)
    assert candidates["activity"] == []  # linked already; the sibling's is never offered
    assert AuditEntry.objects.filter(action="brands.evidence").count() == 5


def test_a_planned_meeting_or_a_revoked_honour_is_no_evidence(orgs):
    _ha, b1, *_ = orgs
    created = brand(b1)
    planned = Meeting.objects.create(
        organization=b1, kind="theme_day", topic="计划中", planned_on=TODAY
    )
    revoked = honour(b1)
    revoked.revoked_on = TODAY
    revoked.save()
    with pytest.raises(services.BrandError):
        services.add_evidence(created, "meeting", planned.pk)
    with pytest.raises(services.BrandError):
        services.add_evidence(created, "honor", revoked.pk)
    assert not Evidence.objects.exists()


def test_removing_evidence_keeps_the_record(orgs):
    _ha, b1, *_ = orgs
    created = brand(b1)
    record = activity(b1)
    evidence = services.add_evidence(created, "activity", record.pk)
    services.remove_evidence(evidence)
    assert not Evidence.objects.exists()
    record.refresh_from_db()
    assert AuditEntry.objects.filter(action="brands.evidence_remove").count() == 1
