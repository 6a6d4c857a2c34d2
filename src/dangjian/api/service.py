"""Volunteer service and the problem list (SPEC.md §4b): record an activity with its
volunteers, record a problem, resolve it; and the lists. Same scope and services as the
pages; a refusal is 400 with the rules broken, nothing written."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.service import rules, services
from dangjian.service.models import Problem, ServiceActivity
from dangjian.service.permissions import may_record
from dangjian.service.services import ServiceError

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Day, Id, Refusal

router = ApiRouter(tags=["service"])


class ActivityIn(Schema):
    org: str
    kind: str
    title: str = Field(max_length=200)
    held_on: Day
    volunteers: list[Id] = Field(max_length=2000)
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=1)
    people_served: int = Field(0, ge=0, le=10_000_000)
    place: str = Field("", max_length=200)
    summary: str = ""
    partners: list[str] = Field(default_factory=list, max_length=100)


class ActivityOut(Schema):
    id: int
    organization: str
    kind: str
    title: str
    place: str
    held_on: dt.date
    people_served: int
    volunteers: list[int]
    partners: list[str]

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_volunteers(obj) -> list[int]:
        return sorted(v.person_id for v in obj.volunteers.all())

    @staticmethod
    def resolve_partners(obj) -> list[str]:
        return sorted(o.code for o in obj.partners.all())


class ProblemIn(Schema):
    org: str
    title: str = Field(max_length=300)
    found_on: Day
    deadline: Day | None = None
    source: str = rules.ProblemSource.OTHER
    owner: Id | None = None
    description: str = ""
    is_practical_matter: bool = True


class ResolveIn(Schema):
    resolved_on: Day
    resolution: str = ""


class ProblemOut(Schema):
    id: int
    organization: str
    title: str
    source: str
    found_on: dt.date
    deadline: dt.date | None
    resolved_on: dt.date | None
    resolved_on_time: bool
    owner: int | None = Field(None, alias="owner_id")

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_resolved_on_time(obj) -> bool:
        return rules.resolved_on_time(obj.deadline, obj.resolved_on)


def _writable_org(request, code: str) -> Organization:
    org = visible_org(request, code)
    if not may_record(request.user, org):
        raise HttpError(403, _("没有登记志愿服务和问题清单的权限"))
    return org


def _people(request, ids) -> list[Person]:
    """The visible people with these ids; an id the user cannot see is refused by
    name (as unknown), never hinting that it exists elsewhere."""
    found = Person.objects.visible_to(request.user).select_related("organization").in_bulk(ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ServiceError(_("人员不存在：%(ids)s") % {"ids": "、".join(missing)})
    return [found[i] for i in ids]


def _refused(refused: ServiceError):
    return Status(400, {"detail": str(refused), "reasons": refused.reasons})


def _activities(request):
    return (
        ServiceActivity.objects.visible_to(request.user)
        .select_related("organization")
        .prefetch_related("volunteers", "partners")
    )


@router.post("/service/activities", response={201: ActivityOut, 400: Refusal})
def record_activity(request, payload: ActivityIn):
    org = _writable_org(request, payload.org)
    try:
        partners = [visible_org(request, code) for code in payload.partners]
        data = services.ActivityInput(
            **payload.model_dump(exclude={"org", "volunteers", "partners"}),
            volunteers=_people(request, payload.volunteers),
            partners=partners,
        )
        created = services.record_activity(org, data, by=request.user)
    except ServiceError as refused:
        return _refused(refused)
    return Status(201, get_object_or_404(_activities(request), pk=created.pk))


@router.get("/service/activities", response=list[ActivityOut])
@paginate(Pages, page_size=50)
def list_activities(
    request, org: str | None = None, date_from: Day | None = None, date_to: Day | None = None
):
    qs = _activities(request)
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    if date_from:
        qs = qs.filter(held_on__gte=date_from)
    if date_to:
        qs = qs.filter(held_on__lte=date_to)
    return qs.order_by("-held_on", "-pk")


def _problems(request):
    return Problem.objects.visible_to(request.user).select_related("organization")


@router.post("/service/problems", response={201: ProblemOut, 400: Refusal})
def record_problem(request, payload: ProblemIn):
    org = _writable_org(request, payload.org)
    try:
        owner = _people(request, [payload.owner])[0] if payload.owner else None
        data = services.ProblemInput(**payload.model_dump(exclude={"org", "owner"}), owner=owner)
        created = services.record_problem(org, data, by=request.user)
    except ServiceError as refused:
        return _refused(refused)
    return Status(201, get_object_or_404(_problems(request), pk=created.pk))


@router.post("/service/problems/{problem_id}/resolve", response={200: ProblemOut, 400: Refusal})
def resolve_problem(request, problem_id: Id, payload: ResolveIn):
    problem = get_object_or_404(_problems(request), pk=problem_id)
    if not may_record(request.user, problem.organization):
        raise HttpError(403, _("没有登记志愿服务和问题清单的权限"))
    try:
        services.resolve_problem(problem, payload.resolved_on, payload.resolution, by=request.user)
    except ServiceError as refused:
        return _refused(refused)
    return problem


@router.get("/service/problems", response=list[ProblemOut])
@paginate(Pages, page_size=50)
def list_problems(request, org: str | None = None, open_only: bool = False):
    qs = _problems(request)
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    if open_only:
        qs = qs.filter(resolved_on__isnull=True)
    return qs.order_by("-found_on", "-pk")
