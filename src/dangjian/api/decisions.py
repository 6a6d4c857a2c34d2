"""三重一大 endpoints: the register, one matter, registering a matter, the decision
meetings, and recording an agenda item's outcome — refused (400, with the rule in
`reasons`, nothing written) without quorum or majority. Same scope as the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.decisions import queries, rules, services
from dangjian.decisions.models import (
    AgendaItem,
    AttendanceState,
    DecisionMeeting,
    MajorMatter,
    MatterStatus,
)
from dangjian.decisions.permissions import may_register
from dangjian.decisions.rules import Body, MatterCategory
from dangjian.decisions.services import DecisionError

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import FIRST_DAY, LAST_DAY, Day, Id, Message, Refusal

router = ApiRouter(tags=["decisions"])


class MatterOut(Schema):
    id: int
    organization: str
    category: str
    title: str
    proposer: str
    proposed_on: dt.date
    amount: Decimal | None
    status: str
    president_office_first: bool
    decided_on: dt.date | None
    decision: str
    follow_up: str
    consultations: int
    opinions: int

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj["organization"] if isinstance(obj, dict) else obj.organization.code

    @staticmethod
    def resolve_consultations(obj) -> int:
        return obj["consultations"] if isinstance(obj, dict) else obj.consultation_count

    @staticmethod
    def resolve_opinions(obj) -> int:
        return obj["opinions"] if isinstance(obj, dict) else obj.opinion_count


class MatterIn(Schema):
    """Lengths and digits as the register holds them (a longer text or a larger amount
    was a 500: schemathesis, issue 14)."""

    org: str
    category: str
    title: str = Field(max_length=300)
    proposer: str = Field(max_length=100)
    proposed_on: Day
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    description: str = ""


class ItemOut(Schema):
    id: int
    order: int
    matter_id: int
    title: str
    category: str
    outcome: str
    quorum_problem: str
    present: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    decision: str


class DecisionAttendanceOut(Schema):
    person_id: int
    name: str
    state: str
    reason: str
    written_opinion: str


class MeetingSummary(Schema):
    id: int
    organization: str
    body: str
    title: str
    held_on: dt.date
    should_attend: int
    state: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code


class DecisionMeetingOut(Schema):
    id: int
    organization: str
    body: str
    title: str
    held_on: dt.date
    state: str
    should_attend: int
    present: int
    quorum_met: bool
    appointment_quorum_met: bool
    attendance: list[DecisionAttendanceOut]
    items: list[ItemOut]


class OutcomeIn(Schema):
    outcome: str
    decision: str = ""
    votes_for: int | None = None
    votes_against: int = 0
    votes_abstain: int = 0


def _matter_out(m: MajorMatter) -> dict:
    return {
        "id": m.pk, "organization": m.organization.code, "category": m.category,
        "title": m.title, "proposer": m.proposer, "proposed_on": m.proposed_on,
        "amount": m.amount, "status": m.status, "president_office_first": m.president_office_first,
        "decided_on": m.decided_on, "decision": m.decision, "follow_up": m.follow_up,
        "consultations": m.consultation_count, "opinions": m.opinion_count,
    }  # fmt: skip


def _matters(request):
    return queries.with_gathering(
        MajorMatter.objects.visible_to(request.user).select_related("organization")
    )


def _meeting_out(meeting: DecisionMeeting) -> dict:
    """The meeting with its attendance, agenda and quorum. Three queries."""
    rows = list(meeting.attendance.select_related("person").order_by("pk"))
    present = sum(row.state == AttendanceState.PRESENT for row in rows)
    items = meeting.items.select_related("matter").order_by("order", "pk")
    should = meeting.should_attend
    return {
        "id": meeting.pk, "organization": meeting.organization.code, "body": meeting.body,
        "title": meeting.title, "held_on": meeting.held_on, "state": meeting.state,
        "should_attend": should, "present": present,
        "quorum_met": rules.quorum_met(should, present),
        "appointment_quorum_met": rules.quorum_met(should, present, appointment=True),
        "attendance": [
            {"person_id": r.person_id, "name": r.person.name, "state": r.state,
             "reason": r.reason, "written_opinion": r.written_opinion}
            for r in rows
        ],
        "items": [
            {"id": i.pk, "order": i.order, "matter_id": i.matter_id, "title": i.matter.title,
             "category": i.matter.category, "outcome": i.outcome,
             "quorum_problem": rules.quorum_problem(meeting.body, i.matter.category, should,
                                                    present),
             "present": i.present, "votes_for": i.votes_for,
             "votes_against": i.votes_against, "votes_abstain": i.votes_abstain,
             "decision": i.decision}
            for i in items
        ],
    }  # fmt: skip


@router.get("/decisions/matters", response={200: list[MatterOut], 400: Message})
@paginate(Pages, page_size=50)
def list_matters(
    request,
    org: str | None = None,
    category: str | None = None,
    status: str | None = None,
    year: int | None = None,
):
    qs = _matters(request)
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    if category:
        if category not in MatterCategory.values:
            raise HttpError(400, _("未知的事项类别：%(c)s") % {"c": category})
        qs = qs.filter(category=category)
    if status:
        if status not in MatterStatus.values:
            raise HttpError(400, _("未知的事项状态：%(s)s") % {"s": status})
        qs = qs.filter(status=status)
    if year is not None:
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            raise HttpError(
                400, _("年份须在 %(a)d 至 %(b)d 之间") % {"a": FIRST_DAY.year, "b": LAST_DAY.year}
            )
        qs = qs.filter(proposed_on__year=year)
    return qs.order_by("-proposed_on", "-pk")


@router.get("/decisions/matters/{matter_id}", response=MatterOut)
def get_matter(request, matter_id: Id):
    return _matter_out(get_object_or_404(_matters(request), pk=matter_id))


@router.post("/decisions/matters", response={201: MatterOut, 400: Refusal})
def create_matter(request, payload: MatterIn):
    org = visible_org(request, payload.org)
    if not may_register(request.user, org):
        raise HttpError(403, _("没有登记“三重一大”事项的权限"))
    data = services.MatterInput(**payload.model_dump(exclude={"org"}))
    try:
        created = services.register_matter(org, data, by=request.user)
    except DecisionError as refused:
        return Status(400, {"detail": str(refused), "reasons": refused.reasons})
    return Status(201, _matter_out(get_object_or_404(_matters(request), pk=created.pk)))


@router.get("/decisions/meetings", response={200: list[MeetingSummary], 400: Message})
@paginate(Pages, page_size=50)
def list_meetings(request, org: str | None = None, body: str | None = None):
    qs = DecisionMeeting.objects.visible_to(request.user).select_related("organization")
    if body:
        if body not in Body.values:
            raise HttpError(400, _("未知的会议类别：%(b)s") % {"b": body})
        qs = qs.filter(body=body)
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    return qs.order_by("-held_on", "-pk")


@router.get("/decisions/meetings/{meeting_id}", response=DecisionMeetingOut)
def get_meeting(request, meeting_id: Id):
    found = get_object_or_404(
        DecisionMeeting.objects.visible_to(request.user).select_related("organization"),
        pk=meeting_id,
    )
    return _meeting_out(found)


@router.post("/decisions/items/{item_id}/outcome", response={200: DecisionMeetingOut, 400: Refusal})
def record_outcome(request, item_id: Id, payload: OutcomeIn):
    visible = DecisionMeeting.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__organization").filter(meeting__in=visible),
        pk=item_id,
    )
    if not may_register(request.user, item.meeting.organization):
        raise HttpError(403, _("没有登记决策结果的权限"))
    try:
        services.record_outcome(
            item, services.OutcomeInput(**payload.model_dump()), by=request.user
        )
    except DecisionError as refused:
        return Status(400, {"detail": str(refused), "reasons": refused.reasons})
    return _meeting_out(item.meeting)
