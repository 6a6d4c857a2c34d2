"""Party dues endpoints (RULES.md §1): the calculator, monthly bills, recording a payment
and the members in arrears.

The same scope as the pages: an organisation or person outside the caller's subtrees
answers 404 {"detail": "不存在"}; recording a payment needs write scope on the person's
organisation (403 for those who may only read). Payments go through
`dues.services.record_payment`, so the API refuses exactly what the pages refuse, with the
same Chinese reasons (400), and writes nothing then.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.accounts.scope import prefix_q, scope_for
from dangjian.dues import rules, services
from dangjian.dues.models import DuesBill
from dangjian.dues.permissions import may_collect
from dangjian.dues.queries import arrears_level, rounding_for, with_arrears
from dangjian.dues.rules import DuesError
from dangjian.people.models import Person

from .orgs import read_subtree, visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Day, Id, Message

router = ApiRouter(tags=["dues"])

PAGE_SIZE = 50


# ---- schemas --------------------------------------------------------------------------
class CalcOut(Schema):
    base: Decimal
    category: str
    amount: Decimal


class BillOut(Schema):
    id: int
    person_id: int
    name: str
    organization: str
    month: dt.date
    due_on: dt.date
    category: str
    base: Decimal | None
    amount: Decimal
    reduced: bool
    paid: bool
    paid_on: dt.date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_paid(obj) -> bool:
        return obj.paid_by_id is not None

    @staticmethod
    def resolve_paid_on(obj) -> dt.date | None:
        return obj.paid_by.paid_on if obj.paid_by_id else None


class PaymentIn(Schema):
    person_id: Id
    months: list[Day]
    paid_on: Day
    method: str
    reference: str = ""
    handed_in_by: str = ""
    branch_consent: str = ""
    make_up_approval: str = ""


class PaymentOut(Schema):
    id: int
    person_id: int
    paid_on: dt.date
    total: Decimal
    method: str
    months: list[dt.date]


class ArrearsOut(Schema):
    person_id: int
    name: str
    organization: str
    arrears_months: int
    level: str | None

    @staticmethod
    def resolve_person_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_level(obj) -> str | None:
        return arrears_level(obj.arrears_months)


# ---- helpers --------------------------------------------------------------------------
def _refused(exc: DuesError):
    return Status(400, {"detail": str(exc)})


def _month(value: str | None) -> dt.date | None:
    """A month as "2024-03" or "2024-03-01"; refused in Chinese otherwise."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(f"{text}-01")
        return dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        raise HttpError(
            400, _("月份“%(value)s”格式不正确，应为 2024-03") % {"value": value}
        ) from None


def _too_long(**texts: tuple[str, int]) -> None:
    for label, (text, limit) in texts.items():
        if len(text) > limit:
            raise HttpError(400, _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit})


def visible_bills(request):
    """Bills of the people the caller may read (a member: their own)."""
    scope = scope_for(request.user)
    q = prefix_q("organization__path", scope.people_paths)
    if scope.self_person_id is not None:
        q |= Q(person_id=scope.self_person_id)
    return DuesBill.objects.filter(q)


# ---- calculator -----------------------------------------------------------------------
@router.get("/dues/calc", response={200: CalcOut, 400: Message})
def calc(
    request,
    category: str,
    base: str = "0",
    farmer_amount: str | None = None,
    org: str | None = None,
):
    """The monthly dues for a base and category under the rules in force today, rounded
    as the hospital rounds (of `org`, else the caller's own organisation)."""
    rounding = rounding_for(request.user, visible_org(request, org) if org else None)
    try:
        if category in (rules.DuesCategory.IN_SERVICE, rules.DuesCategory.RETIRED):
            amount_base = rules.to_amount(base)
        else:
            amount_base = rules.to_amount(base or "0")
        amount = rules.monthly_amount(
            amount_base, category, farmer_amount=farmer_amount, rounding=rounding
        )
    except DuesError as exc:
        return _refused(exc)
    return {"base": amount_base, "category": category, "amount": amount}


# ---- bills ----------------------------------------------------------------------------
@router.get("/dues/bills", response={200: list[BillOut], 400: Message})
@paginate(Pages, page_size=PAGE_SIZE)
def bills(request, org: str | None = None, month: str | None = None):
    """Monthly bills in the caller's scope (or the subtree `org`), for `month` if given."""
    qs = visible_bills(request).select_related("person", "organization", "paid_by")
    qs = read_subtree(request, qs, org, "api.dues.bills", month=month or "")
    if chosen := _month(month):
        qs = qs.filter(month=chosen)
    return qs.order_by("-month", "organization__path", "person__name", "pk")


# ---- payments -------------------------------------------------------------------------
@router.post("/dues/payments", response={201: PaymentOut, 400: Message, 403: Message, 404: Message})
def pay(request, payload: PaymentIn):
    """Record a payment of one or several months for a visible person (write scope on
    the person's organisation). Refusals answer 400 with the reason and write nothing."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"),
        pk=payload.person_id,
    )
    if not may_collect(request.user, person.organization):
        raise HttpError(403, _("没有登记党费交纳的权限"))
    _too_long(**{
        _("支付凭证号"): (payload.reference, 100), _("代交人"): (payload.handed_in_by, 100),
        _("支部同意说明"): (payload.branch_consent, 200),
        _("补交批准说明"): (payload.make_up_approval, 200),
    })  # fmt: skip
    try:
        payment = services.record_payment(
            person,
            payload.months,
            paid_on=payload.paid_on,
            method=payload.method,
            reference=payload.reference,
            handed_in_by=payload.handed_in_by,
            branch_consent=payload.branch_consent,
            make_up_approval=payload.make_up_approval,
            by=request.user,
        )
    except DuesError as exc:
        return _refused(exc)
    return Status(
        201,
        {
            "id": payment.pk,
            "person_id": person.pk,
            "paid_on": payment.paid_on,
            "total": payment.total,
            "method": payment.method,
            "months": list(payment.bills.order_by("month").values_list("month", flat=True)),
        },
    )


# ---- arrears --------------------------------------------------------------------------
@router.get("/dues/arrears", response=list[ArrearsOut])
@paginate(Pages, page_size=PAGE_SIZE)
def arrears_list(request, org: str | None = None, day: Day | None = None):
    """Members with unpaid months as of `day` (default today), most first, every unpaid
    month counted; `level` is "remind" at 3 months and "handle" at 6 (the branch must deal
    with it)."""
    people = Person.objects.visible_to(request.user)
    people = read_subtree(request, people, org, "api.dues.arrears")
    rows = (
        with_arrears(people, day or timezone.localdate())
        .filter(arrears_months__gte=1)
        .select_related("organization")
        .order_by("-arrears_months", "organization__path", "name", "pk")
    )
    return rows
