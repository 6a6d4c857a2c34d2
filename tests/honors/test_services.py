"""Recording honours: a person's and an organisation's, the refusals in Chinese with
nothing written, the certificate's upload check, the audit entry, and who sees them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.honors import queries, services
from dangjian.honors.models import Honor, HonorCertificate
from dangjian.honors.permissions import may_record
from dangjian.honors.services import HonorError, HonorInput
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _input(**changes):
    data = {"organization": None, "person": None, "category": "outstanding_member",
            "level": "city", "awarded_on": dt.date(2026, 6, 30) - dt.timedelta(days=40),
            "awarded_by": "市委卫生健康工委", "document_no": "卫工委〔2026〕12号"}  # fmt: skip
    return HonorInput(**{**data, **changes})


def test_a_persons_honour_is_kept_under_their_organisation_and_audited(world):
    person = make_member(world.ha_b1)
    honor = services.record_honor(_input(person=person), today=TODAY)
    assert (honor.organization, honor.title, honor.level) == (world.ha_b1, "优秀共产党员", "city")
    entry = AuditEntry.objects.get(action="honors.record")
    assert entry.org_path == world.ha_b1.path and entry.summary["title"] == "优秀共产党员"
    assert list(queries.of_person(person)) == [honor]
    assert list(queries.of_org(world.ha_b1)) == []


def test_an_organisations_honour_with_its_certificate(world):
    scan = SimpleUploadedFile("证书.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    honor = services.record_honor(
        _input(organization=world.ha_b2, category="four_strong", level="hospital",
               certificate=scan), today=TODAY,
    )  # fmt: skip
    assert honor.title == "四强党支部" and honor.person is None
    assert HonorCertificate.objects.get(honor=honor).original_name == "证书.pdf"
    assert list(queries.of_org(world.ha_b2)) == [honor]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "请选择获奖的党员或党组织"),
        ({"category": "four_strong", "person": "member"}, "是授予党组织的荣誉，请选择党组织"),
        ({"organization": "branch"}, "是授予个人的荣誉，请选择党员"),
        ({"person": "member", "category": "other"}, "请填写荣誉称号"),
        ({"person": "member", "level": "galaxy"}, "未知的荣誉级别"),
        ({"person": "member", "awarded_on": dt.date(2026, 6, 2)}, "表彰日期不能晚于今天"),
        ({"person": "member", "awarded_by": "  "}, "请填写授予单位"),
        ({"person": "member", "organization": "branch"}, "只授予一名党员或一个党组织"),
        ({"person": "member", "certificate": "exe"}, "不支持的文件类型"),
    ],
)
def test_refusals_write_nothing(world, changes, message):
    values = {"member": make_member(world.ha_b1), "branch": world.ha_b1,
              "exe": SimpleUploadedFile("x.exe", b"MZ")}  # fmt: skip
    changes = {k: values.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    with pytest.raises(HonorError) as refused:
        services.record_honor(_input(**changes), today=TODAY)
    assert message in str(refused.value)
    assert not Honor.objects.exists() and not AuditEntry.objects.filter(action="honors.record")


def test_the_office_and_the_guidance_committee_record_a_secretary_does_not(world):
    office = make_user("office-a", Role.OFFICE, world.ha)
    guidance = make_user("guide", Role.GUIDANCE, world.guidance)
    secretary = make_user("sec-a", Role.SECRETARY, world.ha_b1)
    other_office = make_user("office-b", Role.OFFICE, world.hb)
    assert may_record(office, world.ha_b1) and may_record(guidance, world.ha_b1)
    assert not may_record(secretary, world.ha_b1)
    assert not may_record(other_office, world.ha_b1)


def test_who_sees_an_honour(world):
    person = make_member(world.ha_b1)
    honor = services.record_honor(_input(person=person), today=TODAY)
    secretary = make_user("sec-a", Role.SECRETARY, world.ha_b1)
    other = make_user("office-b", Role.OFFICE, world.hb)
    assert list(Honor.objects.visible_to(secretary)) == [honor]
    assert list(Honor.objects.visible_to(other)) == []


def test_a_wrong_entry_is_revoked_not_deleted_and_leaves_the_pages(world):
    person = make_member(world.ha_b1)
    honor = services.record_honor(_input(person=person), today=TODAY)
    with pytest.raises(HonorError, match="请填写撤销原因"):
        services.revoke_honor(honor, " ", today=TODAY)
    services.revoke_honor(honor, "录错了人", today=TODAY)
    honor.refresh_from_db()
    assert (honor.revoked_on, honor.revoke_reason) == (TODAY, "录错了人")
    assert list(queries.of_person(person)) == []
    assert AuditEntry.objects.get(action="honors.revoke").summary["reason"] == "录错了人"
    with pytest.raises(HonorError, match="该荣誉已撤销"):
        services.revoke_honor(honor, "再撤一次", today=TODAY)
