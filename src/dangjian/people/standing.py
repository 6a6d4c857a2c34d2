"""Changes of Party standing (党籍), recorded by the Party office: leaving the Party (出党:
自行脱党, 除名, 开除党籍; 退党), suspension (停止党籍) and its restoration, and death.

Each change closes the person's open status period on its date and opens the next, so
the history shows every standing with its dates and the figures count the person as a
member up to the day before. A mistaken entry is undone by a reverse change (撤销误录),
never by deleting a row: the entry's period is closed on the day it began, so it never
took effect, and the standing before it is opened again from that day.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dangjian.core import audit
from dangjian.orgs.models import CommitteeSeat

from .models import (
    MEMBER_STATUSES,
    Membership,
    MembershipReason,
    MobileRegistration,
    Person,
    StandingChange,
    Status,
    StatusPeriod,
)
from .queries import open_status_period
from .services import PeopleError

C = StandingChange
LEAVING = (C.LAPSED, C.STRUCK_OFF, C.EXPELLED, C.WITHDREW)
# The changes the office picks from (a revocation is offered on the entry it undoes).
RECORDABLE = (*LEAVING, C.SUSPENDED, C.RESTORED, C.DIED)
# Standings a person in the pipeline or a member may die in (a death ends any of them).
_LIVING = (Status.APPLICANT, Status.ACTIVIST, Status.CANDIDATE, *MEMBER_STATUSES,
           Status.SUSPENDED, None)  # fmt: skip


def allowed_from(change: str) -> tuple:
    """The current statuses (None for 群众) a change may be recorded from."""
    if change in LEAVING:
        return (*MEMBER_STATUSES, Status.SUSPENDED)
    if change == C.SUSPENDED:
        return (Status.FULL,)
    if change == C.RESTORED:
        return (Status.SUSPENDED,)
    if change == C.DIED:
        return _LIVING
    return ()


def _refusal(change: str, current: str | None) -> str:
    label = C(change).label
    if change == C.SUSPENDED and current == Status.PROBATIONARY:
        return "停止党籍只适用于正式党员；预备党员应按规定取消预备党员资格"
    if change == C.RESTORED:
        return "只有停止党籍的党员才能恢复党籍"
    if change in LEAVING:
        return f"只有党员才能登记“{label}”"
    now = Status(current).label if current else "群众"
    return f"当前政治面貌为{now}，不能登记“{label}”"


def _target(change: str, person: Person) -> str:
    if change in LEAVING:
        return Status.LEFT
    if change == C.SUSPENDED:
        return Status.SUSPENDED
    if change == C.DIED:
        return Status.DECEASED
    # Restored: the standing held before the suspension.
    before = (
        StatusPeriod.objects.filter(person=person, ended_on__isnull=False)
        .exclude(status=Status.SUSPENDED)
        .exclude(started_on=F("ended_on"))  # voided: closed the day it began
        .order_by("-started_on", "-id")
        .first()
    )
    return before.status if before is not None else Status.FULL


def _check_date(on: dt.date, current: StatusPeriod | None) -> None:
    if on > timezone.localdate():
        raise PeopleError("变动日期不能晚于今天")
    if current is not None and on <= current.started_on:
        raise PeopleError(f"变动日期须晚于当前政治面貌的开始日期 {current.started_on.isoformat()}")


@transaction.atomic
def change_standing(
    person: Person, change: str, on: dt.date, *, note: str = "", by=None
) -> StatusPeriod:
    """Record `change` from `on`: the open status period ends on `on`, the new one starts
    then. Leaving, suspension and death end the person's committee posts on `on`; leaving
    and death also end their organisation relation (组织关系)."""
    if change not in RECORDABLE:
        raise PeopleError("请选择党籍变动类型")
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = open_status_period(person)
    status = current.status if current is not None else None
    if status not in allowed_from(change):
        raise PeopleError(_refusal(change, status))
    _check_date(on, current)
    target = _target(change, person)
    if current is not None:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    period = StatusPeriod.objects.create(
        person=person, status=target, started_on=on, change=change, note=note.strip()[:200]
    )
    if change != C.RESTORED:
        CommitteeSeat.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
    if change in (*LEAVING, C.DIED):
        Membership.objects.filter(person=person, ended_on__isnull=True).update(
            ended_on=on, end_reason=MembershipReason.STANDING
        )
    if change != C.RESTORED and person.is_mobile:  # no longer a mobile member either
        MobileRegistration.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
        person.is_mobile = False
        person.save(update_fields=["is_mobile", "updated_at"])
    audit.record(
        "person.standing",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"change": change, "on": on, "from": status or "", "to": target},
    )
    return period


def revocable(person: Person) -> StatusPeriod | None:
    """The person's open period, when it began with a change that can be revoked."""
    period = open_status_period(person)
    if period is None or period.change not in RECORDABLE:
        return None
    return period


@transaction.atomic
def revoke_standing_change(person: Person, *, reason: str, by=None) -> StatusPeriod:
    """Undo the person's last 党籍 change, recorded in error: its period is closed on the
    day it began (so it never took effect) and the standing before it opens again from
    that day, with the organisation relation it ended. Committee posts are not restored:
    the office records them again if they still hold."""
    if not reason.strip():
        raise PeopleError("请填写撤销原因")
    person = Person.objects.select_for_update().get(pk=person.pk)
    entry = revocable(person)
    if entry is None:
        raise PeopleError(f"{person.name} 当前没有可撤销的党籍变动")
    before = (
        StatusPeriod.objects.filter(person=person, ended_on=entry.started_on)
        .exclude(pk=entry.pk)
        .order_by("-started_on", "-id")
        .first()
    )
    day = entry.started_on
    entry.ended_on = day
    entry.save(update_fields=["ended_on"])
    restored = None
    if before is not None:
        restored = StatusPeriod.objects.create(
            person=person, status=before.status, started_on=day, change=C.REVOKED,
            note=reason.strip()[:200],
        )  # fmt: skip
    if entry.change in (*LEAVING, C.DIED):
        ended = (
            Membership.objects.filter(
                person=person, ended_on=day, end_reason=MembershipReason.STANDING
            )
            .order_by("-started_on", "-id")
            .first()
        )
        if (
            ended is not None
            and not Membership.objects.filter(person=person, ended_on__isnull=True).exists()
        ):
            Membership.objects.create(
                person=person, organization=ended.organization, started_on=day,
                start_reason=MembershipReason.STANDING,
            )  # fmt: skip
    audit.record(
        "person.standing_revoked",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"change": entry.change, "on": day, "reason": reason.strip()},
    )
    return restored or entry
