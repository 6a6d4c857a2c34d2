"""The 党政管理通报 (SPEC.md §4b): `GET /bulletins?org=` lists the bulletins published in
the subtree (`{"items", "count"}`), `GET /bulletins/{id}` one with its content as
published, `GET /bulletins/preview?org=&period=` the bulletin computed now (what
`dangjian bulletin` writes). Outside the caller's scope: 404."""

import datetime as dt

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.assessment.models import PublishedBulletin
from dangjian.assessment.permissions import may_read
from dangjian.assessment.services import BulletinError, bulletin_for

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Id

router = ApiRouter(tags=["bulletins"])


class BulletinOut(Schema):
    id: int
    org: str
    period: str
    title: str
    published_at: dt.datetime
    announcement: int
    addressees: int
    read: int

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_announcement(obj) -> int:
        return obj.announcement_id


class BulletinDetailOut(BulletinOut):
    content: dict


def _bulletins(request):
    read = Q(announcement__receipts__read_at__isnull=False)
    return (
        PublishedBulletin.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(
            addressees=Count("announcement__receipts"),
            read=Count("announcement__receipts", filter=read),
        )
    )


def _readable_org(request, code: str):
    org = visible_org(request, code)
    if not may_read(request.user, org):
        raise HttpError(403, _("没有查看党政管理通报的权限"))
    return org


@router.get("/bulletins", response=list[BulletinOut])
@paginate(Pages, page_size=50)
def list_bulletins(request, org: str | None = None, period: str | None = None):
    qs = _bulletins(request)
    if org:
        qs = qs.filter(organization__path__startswith=_readable_org(request, org).path)
    if period:
        qs = qs.filter(period=period.strip().upper())
    return qs.order_by("-published_at", "-pk")


@router.get("/bulletins/preview", response=dict)
def preview_bulletin(request, org: str, period: str):
    organization = _readable_org(request, org)
    try:
        return bulletin_for(organization, period, timezone.localdate()).as_dict()
    except BulletinError as refused:
        raise HttpError(400, str(refused)) from refused


@router.get("/bulletins/{bulletin_id}", response=BulletinDetailOut)
def bulletin_detail(request, bulletin_id: Id):
    return get_object_or_404(_bulletins(request), pk=bulletin_id)
