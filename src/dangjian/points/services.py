"""Every change to points: a year's rules (never a past year's), and manual additions and
deductions that a second person approves; undone only by a reversal. One transaction, an
audit entry, a Chinese refusal (`PointsError`) that changes nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.orgs.models import Organization

from . import rules
from .models import AdjustmentState, PointAdjustment, PointRule
from .rules import DEFAULT_RULES, RuleSpec


class PointsError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise PointsError(problems)


# ---- rules -----------------------------------------------------------------------------
def rules_for(org: Organization, year: int) -> list[RuleSpec]:
    """The rules in force for `year` in `org`'s hospital: those saved for it, else the
    latest earlier year's, else the defaults. Saving a year never changes what an earlier
    year reads (one query; found by the hospital's path, so any organisation of it will do)."""
    saved = list(
        PointRule.objects.filter(organization__path=org.hospital_path, year__lte=year).order_by(
            "-year", "pk"
        )
    )
    if not saved:
        return list(DEFAULT_RULES)
    latest = saved[0].year
    return [
        RuleSpec(r.event, r.points, r.cap, r.cap_period, r.meeting_kind)
        for r in saved
        if r.year == latest
    ]


@transaction.atomic
def save_rules(hospital: Organization, year: int, specs: list[RuleSpec], *, by=None) -> None:
    """Set `year`'s rules; a year that has ended keeps the rules it was scored by."""
    problems = []
    if year < timezone.localdate().year:
        problems.append(f"{year} 年已结束，其积分规则不能再修改")
    seen = set()
    for spec in specs:
        if spec.event not in rules.Event.values:
            problems.append("积分事项无效")
        if (spec.event, spec.meeting_kind) in seen:
            problems.append(f"“{rules.Event(spec.event).label}”重复设置")
        seen.add((spec.event, spec.meeting_kind))
        if spec.cap is not None and (spec.cap == 0 or (spec.cap > 0) != (spec.points > 0)):
            problems.append(f"“{rules.Event(spec.event).label}”的上限须与分值同为加分或同为扣分")
    _refuse(problems)
    before = [
        (s.event, s.meeting_kind, str(s.points), str(s.cap)) for s in rules_for(hospital, year)
    ]
    PointRule.objects.filter(organization=hospital, year=year).delete()
    PointRule.objects.bulk_create(
        PointRule(
            organization=hospital,
            year=year,
            event=s.event,
            meeting_kind=s.meeting_kind,
            points=s.points,
            cap=s.cap,
            cap_period=s.cap_period,
        )  # fmt: skip
        for s in specs
    )
    audit.record(
        "points.rules", actor=by, org_path=hospital.path,
        object_type="points.pointrule", object_id=f"{hospital.code}-{year}",
        summary={"year": year, "before": before,
                 "after": [(s.event, s.meeting_kind, str(s.points), str(s.cap)) for s in specs]},
    )  # fmt: skip


# ---- manual adjustments ----------------------------------------------------------------
@transaction.atomic
def propose(person, points: Decimal, reason: str, on: dt.date, *, by) -> PointAdjustment:
    _refuse(rules.adjustment_problems(Decimal(points), reason))
    _refuse(["日期不能晚于今天"] if on > timezone.localdate() else [])
    adjustment = PointAdjustment.objects.create(
        person=person, on=on, points=points, reason=reason.strip(), requested_by=by
    )
    audit.record(
        "points.propose", actor=by, obj=adjustment, org_path=person.organization.path,
        summary={"person": person.pk, "points": str(points), "reason": adjustment.reason},
    )  # fmt: skip
    return adjustment


@transaction.atomic
def decide(adjustment: PointAdjustment, approve: bool, *, by) -> PointAdjustment:
    """Approve or reject: by a second person, once."""
    problems = []
    if adjustment.state != AdjustmentState.PENDING:
        problems.append("该调整已审核")
    if adjustment.requested_by_id == by.pk:
        problems.append("加减分须由提出人以外的人审核")
    _refuse(problems)
    adjustment.state = AdjustmentState.APPROVED if approve else AdjustmentState.REJECTED
    adjustment.decided_by, adjustment.decided_at = by, timezone.now()
    adjustment.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        "points.decide", actor=by, obj=adjustment, org_path=adjustment.person.organization.path,
        summary={"person": adjustment.person_id, "state": adjustment.state,
                 "points": str(adjustment.points)},
    )  # fmt: skip
    return adjustment


@transaction.atomic
def reverse(adjustment: PointAdjustment, reason: str, *, by) -> PointAdjustment:
    """Propose undoing an adjustment in force: the opposite points, naming it; it takes
    effect when approved, like any other."""
    problems = []
    if adjustment.state != AdjustmentState.APPROVED:
        problems.append("只有已生效的调整可以冲销")
    if adjustment.reverses_id:
        problems.append("冲销记录不能再冲销")
    if PointAdjustment.objects.filter(reverses=adjustment).exists():
        problems.append("该调整已有冲销记录")
    if not reason.strip():
        problems.append("请填写冲销理由")
    _refuse(problems)
    reversal = PointAdjustment.objects.create(
        person=adjustment.person, on=timezone.localdate(), points=-adjustment.points,
        reason=reason.strip(), reverses=adjustment, requested_by=by,
    )  # fmt: skip
    audit.record(
        "points.reverse", actor=by, obj=reversal, org_path=adjustment.person.organization.path,
        summary={"person": adjustment.person_id, "reverses": adjustment.pk},
    )  # fmt: skip
    return reversal
