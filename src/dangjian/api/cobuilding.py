"""Co-building (结对共建) and alliances (党建联盟): `GET /cobuilding/agreements?org=` and
`GET /cobuilding/alliances?org=` list those of the subtree (both sides of an agreement
and every member of an alliance see it), each with its activities counted once, for
its lead; `/{id}` one. Outside the caller's scope: 404."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from ninja import Schema
from ninja.pagination import paginate

from dangjian.service.models import Alliance, AllianceMember, Partnership
from dangjian.service.queries import with_activity_counts

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Id

router = ApiRouter(tags=["cobuilding"])


class PartnershipOut(Schema):
    id: int
    org: str
    title: str
    partner_org: str | None
    partner_name: str
    partner_kind: str
    signed_on: dt.date
    ends_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    content: str
    activities: int
    people_served: int

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_partner_org(obj) -> str | None:
        return obj.partner_org.code if obj.partner_org_id else None

    @staticmethod
    def resolve_partner_name(obj) -> str:
        return obj.partner

    @staticmethod
    def resolve_activities(obj) -> int:
        return obj.activity_count

    @staticmethod
    def resolve_people_served(obj) -> int:
        return obj.people_served or 0


class AllianceMemberOut(Schema):
    org: str | None
    name: str
    kind: str

    @staticmethod
    def resolve_org(obj) -> str | None:
        return obj.organization.code if obj.organization_id else None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.label


class AllianceOut(Schema):
    id: int
    name: str
    lead: str
    founded_on: dt.date
    ended_on: dt.date | None
    charter: str
    members: list[AllianceMemberOut]
    activities: int
    people_served: int

    @staticmethod
    def resolve_lead(obj) -> str:
        return obj.lead.code

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_activities(obj) -> int:
        return obj.activity_count

    @staticmethod
    def resolve_people_served(obj) -> int:
        return obj.people_served or 0


def _agreements(request):
    rows = Partnership.objects.visible_to(request.user).select_related(
        "organization", "partner_org"
    )
    return with_activity_counts(rows)


def _alliances(request):
    members = AllianceMember.objects.select_related("organization").order_by("pk")
    rows = Alliance.objects.visible_to(request.user).select_related("lead")
    return with_activity_counts(rows).prefetch_related(Prefetch("members", queryset=members))


@router.get("/cobuilding/agreements", response=list[PartnershipOut])
@paginate(Pages, page_size=50)
def list_agreements(request, org: str | None = None, current: bool = False):
    qs = _agreements(request)
    if org:
        path = visible_org(request, org).path
        qs = qs.filter(
            Q(organization__path__startswith=path) | Q(partner_org__path__startswith=path)
        )
    if current:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("-signed_on", "-pk")


@router.get("/cobuilding/agreements/{agreement_id}", response=PartnershipOut)
def agreement_detail(request, agreement_id: Id):
    return get_object_or_404(_agreements(request), pk=agreement_id)


@router.get("/cobuilding/alliances", response=list[AllianceOut])
@paginate(Pages, page_size=50)
def list_alliances(request, org: str | None = None, current: bool = False):
    qs = _alliances(request)
    if org:
        path = visible_org(request, org).path
        inside = AllianceMember.objects.filter(organization__path__startswith=path)
        qs = qs.filter(Q(lead__path__startswith=path) | Q(pk__in=inside.values("alliance")))
    if current:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("-founded_on", "-pk")


@router.get("/cobuilding/alliances/{alliance_id}", response=AllianceOut)
def alliance_detail(request, alliance_id: Id):
    return get_object_or_404(_alliances(request), pk=alliance_id)
