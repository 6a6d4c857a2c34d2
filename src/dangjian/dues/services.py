"""Changes to dues: fix a base, approve a reduction, generate monthly bills (idempotent),
record payments and voluntary payments. Each in one transaction and audited."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core import audit
from dangjian.core.batching import chunked
from dangjian.core.dates import add_months
from dangjian.core.services import send_notice
from dangjian.orgs.models import Organization
from dangjian.people.models import MEMBER_STATUSES, Membership, Person, StatusPeriod

from . import rules
from .models import (
    DuesBase,
    DuesBill,
    DuesPayment,
    DuesReduction,
    DuesSettings,
    PaymentMethod,
    ReductionStatus,
    VoluntaryKind,
    VoluntaryPayment,
)
from .rules import DuesCategory, DuesError

BATCH = 2000


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _yuan(amount) -> str | None:
    return None if amount is None else f"{Decimal(amount):.2f}"


def month_end(month: dt.date) -> dt.date:
    return add_months(first_of_month(month), 1) - dt.timedelta(days=1)


# ---- bases ---------------------------------------------------------------------------
@transaction.atomic
def fix_base(
    person: Person,
    *,
    category: str,
    effective_from: dt.date,
    base=None,
    components: dict | None = None,
    pay_changed_on: dt.date | None = None,
    reason: str = "",
    by=None,
) -> DuesBase:
    """Fix the monthly base from a month on: from the pay components when given (the
    included items summed), else the base typed; flat categories need none."""
    if category not in DuesCategory.values:
        raise DuesError(f"未知的党费类别：{category}")
    if components:
        amount = rules.base_from_components(components)
    elif category in (DuesCategory.IN_SERVICE, DuesCategory.RETIRED):
        if base in (None, ""):
            raise DuesError("请填写月交纳基数或工资项目")
        amount = rules.to_amount(base)
    else:
        amount = rules.to_amount(base or 0)
    # The base in force for that month until now: the audit entry shows before → after.
    was = (
        DuesBase.objects.filter(person=person, effective_from__lte=first_of_month(effective_from))
        .order_by("-effective_from")
        .values("category", "base")
        .first()
    ) or {}
    row, _ = DuesBase.objects.update_or_create(
        person=person,
        effective_from=first_of_month(effective_from),
        defaults={
            "category": category,
            "base": amount,
            "components": {k: str(v) for k, v in (components or {}).items()},
            "pay_changed_on": pay_changed_on,
            "reason": reason,
            "recorded_by": by,
        },
    )
    audit.record(
        "dues.base", actor=by, obj=person, org_path=person.organization.path,
        summary={"category": category, "base": str(amount), "from": row.effective_from,
                 "changes": audit.changes(
                     {"category": was.get("category"), "base": _yuan(was.get("base"))},
                     {"category": category, "base": _yuan(amount)})},
    )  # fmt: skip
    return row


# ---- reductions (the approval chain) -------------------------------------------------
@transaction.atomic
def apply_reduction(person, *, from_month, to_month, amount, reason, applied_on, by=None):
    """The member's application (RULES.md §1). Refused: no reason, an empty range, or an
    amount not below what the base in force in any month of the range gives."""
    if not reason.strip():
        raise DuesError("请填写少交或免交党费的事由")
    if to_month < from_month:
        raise DuesError("截止月份不能早于起始月份")
    amount = rules.to_amount(amount, "金额")
    from_month, to_month = first_of_month(from_month), first_of_month(to_month)
    rounding = SettingsIndex().for_path(person.organization.path).rounding
    for month in _base_changes(person, from_month, to_month):
        base = _base_on(person, month)
        computed = rules.monthly_amount(base.base, base.category, on=month, rounding=rounding)
        rules.check_reduced_amount(amount, computed)
    reduction = DuesReduction.objects.create(
        person=person, from_month=from_month, to_month=to_month, amount=amount,
        reason=reason.strip(), applied_on=applied_on,
    )  # fmt: skip
    audit.record(
        "dues.reduction", actor=by, obj=person, org_path=person.organization.path,
        summary={"status": reduction.status, "amount": str(amount)},
    )  # fmt: skip
    return reduction


def _base_on(person, month: dt.date) -> DuesBase:
    base = (
        DuesBase.objects.filter(person=person, effective_from__lte=month)
        .order_by("-effective_from")
        .first()
    )
    if base is None:
        raise DuesError(f"{person.name} 尚未核定 {month:%Y年%m月} 的党费基数，无法登记少交或免交")
    return base


def _base_changes(person, from_month: dt.date, to_month: dt.date) -> list[dt.date]:
    """The first month of the range and each month in it where a new base takes effect."""
    later = DuesBase.objects.filter(
        person=person, effective_from__gt=from_month, effective_from__lte=to_month
    ).values_list("effective_from", flat=True)
    return [from_month, *sorted({first_of_month(day) for day in later})]


@transaction.atomic
def advance_reduction(reduction: DuesReduction, *, agree: bool, on: dt.date, by=None):
    """The branch committee agrees, then the next level approves; either may refuse."""
    reduction = DuesReduction.objects.select_for_update().get(pk=reduction.pk)
    if reduction.status in (ReductionStatus.APPROVED, ReductionStatus.REJECTED):
        raise DuesError("该申请已办结")
    if not agree:
        reduction.status = ReductionStatus.REJECTED
    elif reduction.status == ReductionStatus.APPLIED:
        reduction.status = ReductionStatus.BRANCH_AGREED
        reduction.branch_agreed_on, reduction.branch_agreed_by = on, by
    else:
        rules.check_two_levels(reduction.branch_agreed_by, by)
        reduction.status = ReductionStatus.APPROVED
        reduction.approved_on, reduction.approved_by = on, by
    reduction.save()
    audit.record(
        "dues.reduction", actor=by, obj=reduction.person,
        org_path=reduction.person.organization.path,
        summary={"status": reduction.status, "amount": str(reduction.amount)},
    )  # fmt: skip
    return reduction


# ---- hospital settings ---------------------------------------------------------------
class SettingsIndex:
    """Each organisation's dues settings come from its nearest ancestor that has some
    (normally the hospital); defaults where none do. One query, made on first use."""

    def __init__(self):
        self._by_path = None

    def for_path(self, path: str) -> DuesSettings:
        if self._by_path is None:
            self._by_path = {
                s.organization.path: s for s in DuesSettings.objects.select_related("organization")
            }
        for end in range(len(path), 0, -Organization.steplen):
            found = self._by_path.get(path[:end])
            if found is not None:
                return found
        return DuesSettings()


# ---- bills ---------------------------------------------------------------------------
def _members_for(month: dt.date, path: str):
    """(person pk, organisation pk) of people who are members (full or probationary) at
    some point in the month and whose organisation relation is open at some point in it
    (one who transferred out of the system pays to the month they left). Probationary
    members pay from the admission month. One query."""
    in_month = Membership.objects.filter(
        person=OuterRef("person_id"), started_on__lte=month_end(month)
    ).exclude(ended_on__lte=month)
    return (
        StatusPeriod.objects.filter(
            Exists(in_month),
            status__in=MEMBER_STATUSES,
            started_on__lte=month_end(month),
            person__organization__path__startswith=path,
        )
        .exclude(ended_on__lte=month)
        .order_by()
        .values_list("person_id", "person__organization_id", "person__organization__path")
        .distinct()
    )


@transaction.atomic
def generate_bills(month: dt.date, path: str = "", *, rounding=None, by=None):
    """Bills for every member in the subtree for `month`. Idempotent: members who already
    have the month's bill are left alone. Returns (created, missing_base) where
    missing_base are people without a base fixed (their bill waits until there is one)."""
    month = first_of_month(month)
    billed = set(
        DuesBill.objects.filter(month=month, organization__path__startswith=path).values_list(
            "person_id", flat=True
        )
    )
    members = [row for row in _members_for(month, path) if row[0] not in billed]
    ids = [pk for pk, _, _ in members]
    hospital_settings = SettingsIndex()
    bases: dict[int, DuesBase] = {}
    for chunk in chunked(ids):
        for row in DuesBase.objects.filter(person_id__in=chunk, effective_from__lte=month).order_by(
            "person_id", "effective_from"
        ):
            bases[row.person_id] = row  # the latest effective row wins
    reductions = {
        r.person_id: r
        for chunk in chunked(ids)
        for r in DuesReduction.objects.filter(
            person_id__in=chunk,
            status=ReductionStatus.APPROVED,
            from_month__lte=month,
            to_month__gte=month,
        )  # fmt: skip
    }
    bills, missing = [], []
    for pk, org_id, org_path in members:
        base = bases.get(pk)
        if base is None:
            missing.append(pk)
            continue
        reduction = reductions.get(pk)
        amount = rules.monthly_amount(
            base.base,
            base.category,
            on=month,
            rounding=rounding or hospital_settings.for_path(org_path).rounding,
        )
        if reduction:
            amount = rules.reduced_amount(amount, reduction.amount)
        bills.append(
            DuesBill(
                person_id=pk,
                organization_id=org_id,
                month=month,
                due_on=month_end(month),
                category=base.category,
                base=base.base,
                amount=amount,
                reduced=reduction is not None,
            )  # fmt: skip
        )
    # A concurrent run for the same month fails on the unique (person, month) and rolls
    # back rather than duplicating; ignore_conflicts would also hide NOT NULL errors.
    DuesBill.objects.bulk_create(bills, batch_size=BATCH)
    audit.record(
        "dues.bills", actor=by, org_path=path,
        summary={"month": month, "members": len(members), "missing_base": len(missing)},
    )  # fmt: skip
    return len(bills), missing


def bill_missing_months(person: Person, since: dt.date, *, by=None) -> list[dt.date]:
    """After a late status change (an admission approved months after the assembly):
    the months from `since` whose bills were already generated in the person's hospital
    get the person's bill now (RULES.md §1: probationary members pay from admission).
    Returns the months billed; the hospital's Party office is told, and told too when
    the bills wait for a base to be fixed."""
    hospital_path = person.organization.hospital_path
    generated = (
        DuesBill.objects.filter(
            organization__path__startswith=hospital_path, month__gte=first_of_month(since)
        )
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )
    billed, waiting = [], []
    for month in generated:
        if DuesBill.objects.filter(person=person, month=month).exists():
            continue
        if not _members_for(month, person.organization.path).filter(person_id=person.pk):
            continue  # not a member that month (e.g. the status started later)
        created, missing = generate_bills(month, person.organization.path, by=by)
        (waiting if person.pk in missing else billed).append(month)
    if billed or waiting:
        _tell_the_office(person, billed, waiting)
    return billed


@transaction.atomic
def follow_the_move(person: Person, to_org: Organization | None, on: dt.date, *, by=None) -> int:
    """After a transfer from `on` (people.transfers): the member pays the month of the
    move where they were (the 介绍信 says 党费交至 that month), so their unpaid bills of
    later months already generated go to the receiving organisation, or, when they left
    the system, are withdrawn (they owe them there). Returns the bills moved or withdrawn."""
    later = DuesBill.objects.filter(
        person=person, paid_by__isnull=True, month__gt=first_of_month(on)
    )
    months = sorted(later.values_list("month", flat=True))
    if not months:
        return 0
    if to_org is None:
        later.delete()
    else:
        later.update(organization=to_org)
    audit.record(
        "dues.follow_move", actor=by, obj=person,
        org_path=(to_org or person.organization).path,
        summary={"to": to_org.code if to_org else "", "months": [m.isoformat() for m in months]},
    )  # fmt: skip
    return len(months)


def _tell_the_office(person: Person, billed: list[dt.date], waiting: list[dt.date]) -> None:
    offices = {
        grant.user
        for grant in RoleGrant.objects.filter(
            role=Role.OFFICE, user__is_active=True
        ).select_related("user", "organization")
        if person.organization.path.startswith(grant.organization.path)
    }
    months = "、".join(f"{m:%Y年%m月}" for m in billed)
    if billed:
        send_notice(
            offices, f"已补生成 {person.name} 的党费账单 {len(billed)} 个月",
            f"{person.organization.name} {person.name}的党员身份自 {billed[0]:%Y年%m月} 起生效"
            f"（登记晚于当月账单生成），已补生成 {months} 的党费账单，请通知其交纳。",
            kind="dues_backfill",
        )  # fmt: skip
    if waiting:
        send_notice(
            offices, f"{person.name} 尚未核定党费基数，{len(waiting)} 个月的账单无法生成",
            f"{person.organization.name} {person.name}的党员身份已生效，但尚未核定党费基数："
            "请先核定基数，再生成相应月份的党费账单。",
            kind="dues_backfill",
        )  # fmt: skip


# ---- payments ------------------------------------------------------------------------
@transaction.atomic
def record_payment(
    person: Person,
    months: list[dt.date],
    *,
    paid_on: dt.date,
    method: str,
    reference: str = "",
    handed_in_by: str = "",
    branch_consent: str = "",
    make_up_approval: str = "",
    allow_advance: bool | None = None,
    by=None,
) -> DuesPayment:
    """Pay one or several months at once. Refused: a month without a bill or already
    paid, a month in the future unless the hospital allows advance payment, a make-up
    beyond 6 months without a recorded approval, someone else handing it in without the
    branch's consent. Bills are locked and settled with a conditional update, so two
    clerks recording the same month at once cannot both succeed."""
    if method not in PaymentMethod.values:
        raise DuesError(f"未知的交纳方式：{method}")
    if not months:
        raise DuesError("请选择交纳的月份")
    if paid_on > timezone.localdate():
        raise DuesError("交纳日期不能晚于今天")
    if handed_in_by.strip() and not branch_consent.strip():
        raise DuesError("由他人代交须经支部同意，请填写同意说明")
    wanted = sorted({first_of_month(m) for m in months})
    if allow_advance is None:
        allow_advance = SettingsIndex().for_path(person.organization.path).allow_advance
    current = first_of_month(paid_on)
    if not allow_advance and wanted[-1] > current:
        raise DuesError("本院未开启预交党费，不能交纳以后月份的党费")
    oldest_allowed = add_months(current, -rules.MAKE_UP_MONTHS)
    if wanted[0] < oldest_allowed and not make_up_approval.strip():
        raise DuesError(
            f"补交党费一般不超过 {rules.MAKE_UP_MONTHS} 个月（最早 {oldest_allowed:%Y年%m月}），"
            "超过须填写批准说明"
        )
    bills = list(
        DuesBill.objects.select_for_update()
        .filter(person=person, month__in=wanted)
        .order_by("month")
    )
    found = {b.month for b in bills}
    if missing := [m for m in wanted if m not in found]:
        raise DuesError("以下月份尚无党费账单：" + "、".join(f"{m:%Y年%m月}" for m in missing))
    if paid := [b.month for b in bills if b.paid_by_id]:
        raise DuesError("以下月份已交纳：" + "、".join(f"{m:%Y年%m月}" for m in paid))
    total = sum((b.amount for b in bills), Decimal("0"))
    if total <= 0:
        raise DuesError("所选月份应交金额为 0（已批准免交），无需交纳")
    payment = DuesPayment.objects.create(
        person=person, organization_id=person.organization_id, paid_on=paid_on, total=total, method=method, reference=reference.strip(),
        handed_in_by=handed_in_by.strip(), branch_consent=branch_consent.strip(),
        make_up_approval=make_up_approval.strip(), recorded_by=by,
    )  # fmt: skip
    settled = DuesBill.objects.filter(pk__in=[b.pk for b in bills], paid_by__isnull=True).update(
        paid_by=payment, paid_on_time=Q(due_on__gte=payment.paid_on)
    )
    if settled != len(bills):  # another clerk got there first
        raise DuesError("所选月份刚刚已由他人登记交纳，请刷新后核对")
    audit.record(
        "dues.payment", actor=by, obj=person, org_path=person.organization.path,
        summary={"months": [m.isoformat() for m in wanted], "total": str(total)},
    )  # fmt: skip
    return payment


@transaction.atomic
def record_voluntary(person, *, kind: str, paid_on: dt.date, amount, note: str = "", by=None):
    if kind not in VoluntaryKind.values:
        raise DuesError(f"未知的类别：{kind}")
    amount = rules.to_amount(amount, "金额")
    if amount <= 0:
        raise DuesError("金额须大于 0")
    payment = VoluntaryPayment.objects.create(
        person=person, kind=kind, paid_on=paid_on, amount=amount, note=note.strip(),
        pass_up_in_full=amount >= rules.PASS_UP_VOLUNTARY, recorded_by=by,
    )  # fmt: skip
    audit.record(
        "dues.voluntary", actor=by, obj=person, org_path=person.organization.path,
        summary={"kind": kind, "amount": str(amount)},
    )  # fmt: skip
    return payment
