"""Honours and selection rounds (issue 21): `GET /honours?org=&level=&year=&who=` lists
the honours of a subtree the caller reads (`{"items", "count"}`, revoked ones only with
`revoked=true`), `GET /honours/{id}` one, `GET /selection-rounds` the rounds the caller
sees (organised in or above their organisations, or on whose panel they sit) with their
stage and counts. Outside the caller's scope: 404."""

import datetime as dt
from typing import Literal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.core.pages import audit_read
from dangjian.honors.models import Honor, Level, RoundState, SelectionRound
from dangjian.honors.queries import honours_in

from .orgs import read_subtree
from .paging import Pages
from .routing import ApiRouter
from .schemas import Id, Message

router = ApiRouter(tags=["honours"])


class HonourOut(Schema):
    id: int
    org: str
    org_name: str
    person: int | None
    person_name: str | None
    category: str
    title: str
    level: str
    awarded_on: dt.date
    awarded_by: str
    document_no: str
    from_round: int | None
    certificate: bool
    revoked_on: dt.date | None

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_org_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_person(obj) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj) -> str | None:
        return obj.person.name if obj.person_id else None

    @staticmethod
    def resolve_from_round(obj) -> int | None:
        return obj.nomination.round_category.selection_round_id if obj.nomination_id else None

    @staticmethod
    def resolve_certificate(obj) -> bool:
        return hasattr(obj, "certificate")


def _honours(request):
    return Honor.objects.visible_to(request.user).select_related(
        "organization", "person", "certificate", "nomination__round_category"
    )


@router.get("/honours", response={200: list[HonourOut], 400: Message})
@paginate(Pages, page_size=50)
def list_honours(
    request, org: str | None = None, level: str | None = None,
    year: int | None = Query(None, ge=1949, le=2100),
    who: Literal["person", "org"] | None = None, revoked: bool = False,
):  # fmt: skip
    if level and level not in Level.values:
        raise HttpError(
            400,
            _("未知的荣誉级别：%(level)s（可选 %(choices)s）")
            % {"level": level, "choices": "、".join(Level.values)},
        )
    rows = honours_in(request.user, None, level=level or "", year=year, who=who or "")
    rows = read_subtree(request, rows, org, "api.honours.list", level=level or "",
                        year=year or "", who=who or "")  # fmt: skip
    if not revoked:
        rows = rows.filter(revoked_on__isnull=True)
    return rows.select_related("nomination__round_category")


@router.get("/honours/{honour_id}", response=HonourOut)
def honour_detail(request, honour_id: Id):
    honour = get_object_or_404(_honours(request), pk=honour_id)
    audit_read(request, "api.honours.view", obj=honour, org_path=honour.organization.path)
    return honour


class RoundOut(Schema):
    id: int
    org: str
    title: str
    level: str
    state: str
    recommend_by: dt.date
    review_by: dt.date | None
    notice_ends_on: dt.date | None
    approved_on: dt.date | None
    document_no: str
    nominations: int
    shortlisted: int
    reviewers: int  # the review panel's size

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_reviewers(obj) -> int:
        return obj.panel


@router.get("/selection-rounds", response={200: list[RoundOut], 400: Message})
@paginate(Pages, page_size=50)
def list_rounds(request, state: str | None = None):
    rows = (
        SelectionRound.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(
            nominations=Count("categories__nominations", distinct=True),
            shortlisted=Count(
                "categories__nominations",
                filter=Q(categories__nominations__shortlisted=True),
                distinct=True,
            ),
            panel=Count("reviewers", distinct=True),
        )
    )
    if state and state not in RoundState.values:
        raise HttpError(
            400,
            _("未知的评选状态：%(state)s（可选 %(choices)s）")
            % {"state": state, "choices": "、".join(RoundState.values)},
        )
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at", "-pk")
