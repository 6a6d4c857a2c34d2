"""Points read from the records under the year's rules: one member's items, each naming
its source (`member_points`), and the totals of many members for rankings
(`totals`). Both rest on the same rule matching and the same caps (rules.apply_cap), so a
member's items add up to the total the ranking shows. A fixed number of queries each."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from dangjian.development.models import StepParticipant
from dangjian.development.steps import ParticipantRole
from dangjian.development.steps import label as step_label
from dangjian.dues.models import DuesBill
from dangjian.honors.models import Honor, Level
from dangjian.meetings.models import (
    Attendance,
    AttendanceState,
    MeetingKind,
    MeetingStatus,
    Study,
)
from dangjian.service.models import Volunteer

from .models import AdjustmentState, PointAdjustment
from .rules import HONOUR_EVENTS, Event, RuleSpec, apply_cap, period_key

HELD = (MeetingStatus.HELD, MeetingStatus.FILED)
ROLE_LABELS = dict(ParticipantRole.choices)


@dataclass
class Item:
    points: Decimal
    rule: str  # the rule's label
    source: str  # the record, in words
    source_type: str  # app.model of the record
    source_id: int
    on: dt.date


def _rule(specs: list[RuleSpec], event: str, meeting_kind: str = "") -> RuleSpec | None:
    """The rule for an event: the one for this meeting kind before the general one."""
    specific = [s for s in specs if s.event == event and s.meeting_kind == meeting_kind]
    general = [s for s in specs if s.event == event and not s.meeting_kind]
    return (specific or general or [None])[0]


def _label(spec: RuleSpec) -> str:
    label = str(Event(spec.event).label)
    if spec.meeting_kind:
        label += f"（{MeetingKind(spec.meeting_kind).label}）"
    return label


# ---- the records, as (rule, amount, day, source) -----------------------------------------
def _records(person_ids, year: int, specs: list[RuleSpec], today: dt.date):
    """Every record of these people in `year` that a rule scores: (person id, rule,
    amount, day, source text, source type, source id). Eight queries."""
    attendance = Attendance.objects.filter(
        person_id__in=person_ids, meeting__status__in=HELD, meeting__held_on__year=year,
        state__in=(AttendanceState.PRESENT, AttendanceState.ABSENT),
    ).values_list("person_id", "state", "meeting_id", "meeting__kind", "meeting__topic", "meeting__held_on")  # fmt: skip
    for person_id, state, meeting_id, kind, topic, held_on in attendance:
        event = (
            Event.MEETING_ATTENDED if state == AttendanceState.PRESENT else Event.ABSENT_UNEXCUSED
        )
        if spec := _rule(specs, event, kind):
            source = f"{MeetingKind(kind).label}：{topic}"
            yield person_id, spec, spec.points, held_on, source, "meetings.meeting", meeting_id
    if spec := _rule(specs, Event.VOLUNTEER_HOUR):
        rows = Volunteer.objects.filter(
            person_id__in=person_ids, activity__held_on__year=year
        ).values_list("person_id", "hours", "activity_id", "activity__title", "activity__held_on")
        for person_id, hours, activity_id, title, held_on in rows:
            source = f"志愿服务：{title}（{hours} 小时）"
            yield (
                person_id,
                spec,
                spec.points * hours,
                held_on,
                source,
                "service.serviceactivity",
                activity_id,
            )
    if spec := _rule(specs, Event.STUDY_HOUR):
        rows = Study.objects.filter(person_id__in=person_ids, studied_on__year=year).values_list(
            "person_id", "hours", "pk", "title", "studied_on"
        )
        for person_id, hours, pk, title, studied_on in rows:
            source = f"学习：{title}（{hours} 学时）"
            yield person_id, spec, spec.points * hours, studied_on, source, "meetings.study", pk
    bills = DuesBill.objects.filter(person_id__in=person_ids, month__year=year)
    if spec := _rule(specs, Event.DUES_ON_TIME):
        for person_id, pk, month in bills.filter(paid_on_time=True).values_list(
            "person_id", "pk", "month"
        ):
            yield (
                person_id,
                spec,
                spec.points,
                month,
                f"{month:%Y年%m月}党费按月交纳",
                "dues.duesbill",
                pk,
            )
    if spec := _rule(specs, Event.DUES_ARREARS):
        unpaid = bills.filter(paid_by__isnull=True, amount__gt=0, due_on__lt=today)
        for person_id, pk, month, due_on in unpaid.values_list(
            "person_id", "pk", "month", "due_on"
        ):
            yield (
                person_id,
                spec,
                spec.points,
                due_on,
                f"{month:%Y年%m月}党费欠交",
                "dues.duesbill",
                pk,
            )
    yield from _development_roles(person_ids, year, specs)
    yield from _honours(person_ids, year, specs)


def _development_roles(person_ids, year: int, specs):
    if spec := _rule(specs, Event.DEVELOPMENT_ROLE):
        rows = StepParticipant.objects.filter(
            person_id__in=person_ids, step__done_on__year=year
        ).values_list("person_id", "role", "step_id", "step__code", "step__done_on")
        for person_id, role, step_id, code, done_on in rows:
            source = f"发展党员：担任{ROLE_LABELS.get(role, role)}（{step_label(code)}）"
            yield (
                person_id,
                spec,
                spec.points,
                done_on,
                source,
                "development.developmentstep",
                step_id,
            )


def _honours(person_ids, year: int, specs):
    """A person's honours awarded in the year, each by its level's rule (one query)."""
    by_level = {level: _rule(specs, event) for level, event in HONOUR_EVENTS.items()}
    levels = [level for level, spec in by_level.items() if spec]
    if not levels:
        return
    rows = Honor.objects.filter(
        person_id__in=person_ids,
        awarded_on__year=year,
        level__in=levels,
        revoked_on__isnull=True,
    ).values_list("person_id", "level", "pk", "title", "awarded_by", "awarded_on")
    for person_id, level, pk, title, awarded_by, awarded_on in rows:
        spec = by_level[level]
        source = f"荣誉：{title}（{Level(level).label}，{awarded_by}）"
        yield person_id, spec, spec.points, awarded_on, source, "honors.honor", pk


def _scored(records) -> list[tuple]:
    """The records with their points after the caps: grouped by person, rule and cap
    period, each group in date order (rules.apply_cap)."""
    groups = defaultdict(list)
    for record in records:
        person_id, spec, _amount, day, *_rest = record
        groups[(person_id, spec, period_key(day, spec.cap_period))].append(record)
    scored = []
    for (_p, spec, _k), rows in groups.items():
        rows.sort(key=lambda r: (r[3], r[6]))
        for row, points in zip(rows, apply_cap([r[2] for r in rows], spec.cap), strict=True):
            scored.append((row, points))
    return scored


def member_points(person, year: int, specs: list[RuleSpec], today: dt.date | None = None) -> dict:
    """{"total", "items"}: every point of the member's year, each naming its record or
    the adjustment's reason and approver; total = the sum of the items (nine queries)."""
    today = today or timezone.localdate()
    items = [
        Item(points, _label(spec), source, source_type, source_id, day)
        for (_p, spec, _a, day, source, source_type, source_id), points in _scored(
            _records([person.pk], year, specs, today)
        )
    ]
    adjustments = PointAdjustment.objects.filter(
        person=person, state=AdjustmentState.APPROVED, on__year=year
    ).select_related("requested_by", "decided_by")
    for a in adjustments:
        kind = "冲销" if a.reverses_id else ("加分" if a.points > 0 else "扣分")
        who = a.requested_by.get_full_name() or a.requested_by.username
        approver = a.decided_by.get_full_name() or a.decided_by.username
        source = f"{kind}：{a.reason}（{who} 提出，{approver} 审核）"
        items.append(Item(a.points, f"手动{kind}", source, "points.pointadjustment", a.pk, a.on))
    items.sort(key=lambda i: (i.on, i.source_type, i.source_id))
    return {"total": sum((i.points for i in items), Decimal("0")), "items": items}


def totals(
    person_ids: list[int], year: int, specs: list[RuleSpec], today: dt.date | None = None
) -> dict[int, Decimal]:
    """Each person's total for the year, as member_points would add it up (nine
    queries, whatever the number of people)."""
    today = today or timezone.localdate()
    result = {pk: Decimal("0") for pk in person_ids}
    for (person_id, *_rest), points in _scored(_records(person_ids, year, specs, today)):
        result[person_id] += points
    adjustments = (
        PointAdjustment.objects.filter(
            person_id__in=person_ids, state=AdjustmentState.APPROVED, on__year=year
        )
        .values("person_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    for row in adjustments:
        result[row["person_id"]] += row["total"]
    return result
