"""Transfers through the API (SPEC.md §4b), with the services and checks of the office's
pages (people.transfers): `POST /transfers` starts one within the system (`to_org`) or
issues the 介绍信 out of it (`to_org` null and `to_unit`); the receiving office accepts
(`POST /transfers/{id}/accept`) or returns it; `GET /transfers` lists what the caller's
office sends and receives."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict, Field

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import HOLDS_MEMBERS, Organization
from dangjian.people.models import Person
from dangjian.people.queries import transfers_for
from dangjian.people.services import PeopleError
from dangjian.people.transfers import (
    LETTER_DAYS_DEFAULT,
    LETTER_DAYS_MAX,
    accept_transfer,
    issue_letter,
    return_transfer,
    start_transfer,
)

from .routing import ApiRouter
from .schemas import Day, Id, Message, OrgCode, Refusal

router = ApiRouter(tags=["transfers"])


class TransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: Id
    to_org: OrgCode | None = None  # a code in the system; null for a transfer out of it
    to_unit: str | None = Field(None, max_length=200)  # the organisation outside
    on: Day
    reason: str = Field("", max_length=200)
    valid_days: int = Field(LETTER_DAYS_DEFAULT, ge=1, le=LETTER_DAYS_MAX)


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., min_length=1, max_length=200)


class TransferOut(Schema):
    id: int
    member: int = Field(..., alias="person_id")
    direction: str
    state: str
    from_org: str | None
    to_org: str | None
    to_unit: str = Field(..., alias="other_organization")
    on: Day = Field(..., alias="transferred_on")
    letter_number: str

    @staticmethod
    def resolve_from_org(obj):
        return obj.organization.code if obj.direction != "in" else None

    @staticmethod
    def resolve_to_org(obj):
        if obj.direction == "within":
            return obj.to_organization.code
        return obj.organization.code if obj.direction == "in" else None


def _refused(message: str) -> Status:
    return Status(400, {"detail": message, "reasons": [message]})


@router.get("/transfers", response=list[TransferOut])
def list_transfers(request, state: str | None = None):
    """Transfers sent from or to an organisation whose registry the caller's office keeps,
    newest first (at most 500); `state` filters (pending, accepted, issued, …)."""
    rows = transfers_for(request.user).order_by("-id")
    if state:
        rows = rows.filter(state=state)
    return list(rows[:500])


@router.post("/transfers", response={201: TransferOut, 400: Refusal, 403: Message, 404: Message})
def create_transfer(request, payload: TransferIn):
    """Start a transfer of a member the caller's office keeps: within the system to
    `to_org` (pending until the receiving office accepts; accepted at once when the caller
    keeps both), or out of it to `to_unit` (the 介绍信 is issued)."""
    scope = scope_for(request.user)
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"),
        pk=payload.member,
    )
    if not scope.keeps_registry(person.organization):
        raise HttpError(403, _("只有党委办公室可以办理组织关系转接"))
    try:
        if payload.to_org is None:
            transfer = issue_letter(
                person, payload.to_unit or "", payload.on, valid_days=payload.valid_days,
                reason=payload.reason, by=request.user,
            )  # fmt: skip
        else:
            to_org = Organization.objects.filter(
                code=payload.to_org, kind__in=HOLDS_MEMBERS, dissolved_on__isnull=True
            ).first()
            if to_org is None:
                return _refused(_("找不到编码为“%(code)s”的党组织") % {"code": payload.to_org})
            transfer = start_transfer(
                person, to_org, payload.on, reason=payload.reason, by=request.user,
                accept_now=scope.keeps_registry(to_org),
            )  # fmt: skip
    except PeopleError as exc:
        return _refused(str(exc))
    return Status(201, transfer)


def _receivable(request, transfer_id: int):
    transfer = get_object_or_404(transfers_for(request.user), pk=transfer_id)
    if transfer.to_organization is None or not scope_for(request.user).keeps_registry(
        transfer.to_organization
    ):
        raise HttpError(403, _("该操作应由接收党组织所在党委办公室办理"))
    return transfer


@router.post(
    "/transfers/{transfer_id}/accept",
    response={200: TransferOut, 400: Refusal, 403: Message, 404: Message},
)
def accept(request, transfer_id: Id):
    """The receiving office accepts: the member counts in the receiving organisation from
    the transfer's date."""
    transfer = _receivable(request, transfer_id)
    try:
        return accept_transfer(transfer, by=request.user)
    except PeopleError as exc:
        return _refused(str(exc))


@router.post(
    "/transfers/{transfer_id}/return",
    response={200: TransferOut, 400: Refusal, 403: Message, 404: Message},
)
def send_back(request, transfer_id: Id, payload: ReturnIn):
    """The receiving office returns it, with the reason; nothing moves."""
    transfer = _receivable(request, transfer_id)
    try:
        return return_transfer(transfer, reason=payload.reason, by=request.user)
    except PeopleError as exc:
        return _refused(str(exc))
