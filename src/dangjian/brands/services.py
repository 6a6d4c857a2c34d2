"""Every change to a brand: checked in full before anything is written (BrandError,
Chinese, nothing changes), one transaction, one audit entry. Evidence is a record of the
brand's own subtree; a record outside it is refused as if it did not exist."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization, OrgKind

from . import queries
from .models import Brand, BrandLogo, Evidence, EvidenceKind

BRAND_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


class BrandError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise BrandError(problems)


@dataclass
class BrandInput:
    name: str
    idea: str
    founded_year: int | None
    measures: str = ""
    results: str = ""
    logo: object = None  # an uploaded image, optional


def brand_problems(org: Organization, data: BrandInput, today: dt.date, *, own=None) -> list:
    problems = [] if org.kind in BRAND_KINDS else ["党建品牌属于医院党委、党总支或党支部"]
    if org.dissolved_on:
        problems.append(f"{org.name}已撤销")
    name = data.name.strip()
    if not name:
        problems.append("请填写品牌名称")
    elif Brand.objects.filter(organization=org, name=name).exclude(pk=own).exists():
        problems.append(f"{org.name}已有名为“{name}”的品牌")
    if not data.idea.strip():
        problems.append("请填写品牌理念")
    if data.founded_year is None or not 1949 <= data.founded_year <= today.year:
        problems.append(f"创建年份须在 1949 至 {today.year} 年之间")
    if data.logo is not None:
        if not data.logo.name.lower().endswith(IMAGE_SUFFIXES):
            problems.append("品牌标识须为 PNG 或 JPG 图片")
        elif problem := upload_problem(data.logo):
            problems.append(problem)
    return problems


def _save_logo(brand: Brand, upload, by) -> None:
    BrandLogo.objects.filter(brand=brand).delete()
    BrandLogo.store(upload, by=by, brand=brand)


def _summary(brand: Brand, data: BrandInput) -> dict:
    return {
        "name": brand.name, "founded_year": brand.founded_year,
        "logo": data.logo.name if data.logo is not None else "",
    }  # fmt: skip


@transaction.atomic
def create_brand(org: Organization, data: BrandInput, *, by=None) -> Brand:
    _refuse(brand_problems(org, data, timezone.localdate()))
    brand = Brand.objects.create(
        organization=org, name=data.name.strip(), idea=data.idea.strip(),
        measures=data.measures.strip(), results=data.results.strip(),
        founded_year=data.founded_year, created_by=by,
    )  # fmt: skip
    if data.logo is not None:
        _save_logo(brand, data.logo, by)
    audit.record("brands.create", actor=by, obj=brand, org_path=org.path,
                 summary=_summary(brand, data))  # fmt: skip
    return brand


@transaction.atomic
def edit_brand(brand: Brand, data: BrandInput, *, by=None) -> Brand:
    """Correct the brand's words or replace its logo (an empty upload keeps the logo)."""
    brand = Brand.objects.select_for_update().select_related("organization").get(pk=brand.pk)
    _refuse(brand_problems(brand.organization, data, timezone.localdate(), own=brand.pk))
    brand.name, brand.idea = data.name.strip(), data.idea.strip()
    brand.measures, brand.results = data.measures.strip(), data.results.strip()
    brand.founded_year = data.founded_year
    brand.save()
    if data.logo is not None:
        _save_logo(brand, data.logo, by)
    audit.record("brands.edit", actor=by, obj=brand, org_path=brand.organization.path,
                 summary=_summary(brand, data))  # fmt: skip
    return brand


@transaction.atomic
def add_evidence(brand: Brand, kind: str, record_id, note: str = "", *, by=None) -> Evidence:
    """Link a record of the brand's subtree; another organisation's record is refused."""
    if kind not in EvidenceKind.values:
        raise BrandError("佐证类别无效")
    record = (
        queries.subtree_records(kind, brand.organization.path).filter(pk=record_id).first()
        if str(record_id).isdigit()
        else None
    )
    if record is None:
        raise BrandError(f"所选记录不存在或不属于{brand.organization.name}及其下级组织")
    if Evidence.objects.filter(brand=brand, **{kind: record}).exists():
        raise BrandError("该记录已是本品牌的佐证")
    evidence = Evidence.objects.create(
        brand=brand, kind=kind, note=note.strip()[:200], added_by=by, **{kind: record}
    )
    audit.record(
        "brands.evidence", actor=by, obj=brand, org_path=brand.organization.path,
        summary={"kind": kind, "record": record.pk, "note": evidence.note},
    )  # fmt: skip
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by=None) -> None:
    """Unlink a record (the record itself stays)."""
    brand = evidence.brand
    summary = {"kind": evidence.kind, "record": getattr(evidence, f"{evidence.kind}_id")}
    evidence.delete()
    audit.record(
        "brands.evidence_remove", actor=by, obj=brand, org_path=brand.organization.path,
        summary=summary,
    )  # fmt: skip
