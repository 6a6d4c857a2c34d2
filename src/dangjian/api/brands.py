"""党建品牌: `GET /brands?org=` lists the brands of the subtree (the guidance committee
sees its hospitals'), `GET /brands/{id}` one with its evidence (the records of its
subtree that show it). Outside the caller's scope: 404."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from ninja import Schema
from ninja.pagination import paginate

from dangjian.brands.models import Brand
from dangjian.brands.queries import evidence_of

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Id

router = ApiRouter(tags=["brands"])


class BrandOut(Schema):
    id: int
    org: str
    name: str
    idea: str
    measures: str
    results: str
    founded_year: int
    has_logo: bool
    evidence_count: int

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_has_logo(obj) -> bool:
        return hasattr(obj, "logo")


class BrandEvidenceOut(Schema):
    id: int
    kind: str
    record: int
    title: str
    note: str

    @staticmethod
    def resolve_record(obj) -> int:
        return getattr(obj, f"{obj.kind}_id")

    @staticmethod
    def resolve_title(obj) -> str:
        record = obj.record
        return getattr(record, "topic", None) or record.title


class BrandDetailOut(BrandOut):
    evidence: list[BrandEvidenceOut]

    @staticmethod
    def resolve_evidence(obj) -> list:
        return evidence_of(obj)


def _brands(request):
    return (
        Brand.objects.visible_to(request.user)
        .select_related("organization", "logo")
        .annotate(evidence_count=Count("evidence"))
    )


@router.get("/brands", response=list[BrandOut])
@paginate(Pages, page_size=50)
def list_brands(request, org: str | None = None):
    qs = _brands(request)
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    return qs.order_by("organization__path", "name", "pk")


@router.get("/brands/{brand_id}", response=BrandDetailOut)
def brand_detail(request, brand_id: Id):
    return get_object_or_404(_brands(request), pk=brand_id)
