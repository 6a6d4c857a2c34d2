"""组织关系转接: a member's organisation relation moves.

- **Within the system** the sending office starts it (pending); the receiving office
  accepts it, and the member belongs to the receiving organisation from the transfer's
  date (the history keeps both relations), or returns it with a reason; the sender may
  withdraw it while it waits. When the sender also keeps the receiving organisation's
  registry (a move inside one hospital), it is accepted at once.
- **Out of the system** the office issues a numbered 介绍信 (people.letters writes it as
  .docx, with its 回执), the relation ends on the transfer's date, and the 回执 is
  recorded when it comes back; a letter issued in error is voided, which opens the
  relation again from that day (a reverse change: no row is deleted).
- **Into the system** the receiving office registers the member with the letter's number.

Every function runs in one transaction, refuses bad input with a Chinese message
(PeopleError) and writes an audit entry. `people.signals.member_moved` tells the apps
above (dues bills follow the member).
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core import audit
from dangjian.core.services import send_notice
from dangjian.orgs.models import HOLDS_MEMBERS, CommitteeSeat, Organization

from .models import (
    MEMBER_STATUSES,
    Membership,
    MembershipReason,
    Person,
    Transfer,
    TransferDirection,
    TransferState,
)
from .queries import open_status_period
from .records import create_person, update_person
from .services import PeopleError
from .signals import member_moved

D, S = TransferDirection, TransferState
LETTER_DAYS_DEFAULT = 30
LETTER_DAYS_MAX = 90  # a letter is valid a month as a rule, three at most


def _open_membership(person: Person) -> Membership | None:
    return (
        Membership.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    )


def _check_member(person: Person, on: dt.date) -> Membership:
    """The open relation of a member who may be transferred on `on`."""
    current = open_status_period(person)
    if current is None or current.status not in MEMBER_STATUSES:
        raise PeopleError(f"{person.name} 不是党员，不能转接组织关系")
    if on > timezone.localdate():
        raise PeopleError("转接日期不能晚于今天")
    membership = _open_membership(person)
    if membership is None:
        raise PeopleError(f"{person.name} 当前没有组织关系，无法转出")
    if on <= membership.started_on:
        raise PeopleError(f"转接日期须晚于现组织关系的开始日期 {membership.started_on.isoformat()}")
    if Transfer.objects.filter(person=person, state=S.PENDING).exists():
        raise PeopleError(f"{person.name} 已有一笔待接收的转接，请先办结或撤回")
    return membership


def _tell_offices(org: Organization, title: str, transfer: Transfer, body: str = "") -> None:
    """A notice to the Party offices that keep `org`'s registry (a grant on it or above)."""
    steps = range(org.steplen, len(org.path) + 1, org.steplen)
    users = {
        grant.user
        for grant in RoleGrant.objects.filter(
            role=Role.OFFICE, user__is_active=True,
            organization__path__in=[org.path[:end] for end in steps],
        ).select_related("user")
    }  # fmt: skip
    link = reverse("people:transfer_detail", args=[transfer.pk])
    send_notice(users, title, body, link=link, kind="transfer")


def _move(person: Person, membership: Membership, to_org: Organization, on: dt.date, by):
    """End the relation on `on` and open one with `to_org` from then; the posts held in
    the old organisation end too."""
    old_org = membership.organization
    membership.ended_on, membership.end_reason = on, MembershipReason.TRANSFER_OUT
    membership.save(update_fields=["ended_on", "end_reason"])
    Membership.objects.create(
        person=person, organization=to_org, started_on=on, start_reason=MembershipReason.TRANSFER_IN
    )
    CommitteeSeat.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
    person.organization = to_org
    person.save(update_fields=["organization", "updated_at"])
    member_moved.send(Person, person=person, from_org=old_org, to_org=to_org, on=on, by=by)


@transaction.atomic
def start_transfer(
    person: Person, to_org: Organization, on: dt.date, *, reason: str = "", by=None,
    accept_now: bool = False,
) -> Transfer:  # fmt: skip
    """A transfer within the system, waiting for the receiving office (or accepted at
    once with `accept_now`, when the sender keeps both registries)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    membership = _check_member(person, on)
    if to_org.kind not in HOLDS_MEMBERS:
        raise PeopleError(f"{to_org.name} 不能直接接收党员，请选择党支部、党总支或党委")
    if to_org.pk == membership.organization_id:
        raise PeopleError(f"{person.name} 已在 {to_org.name}")
    if to_org.dissolved_on is not None:
        raise PeopleError(f"{to_org.name} 已撤销，不能接收党员")
    transfer = Transfer.objects.create(
        person=person, direction=D.WITHIN, organization=membership.organization,
        to_organization=to_org, transferred_on=on, note=reason.strip()[:200],
        state=S.PENDING, created_by=by,
    )  # fmt: skip
    audit.record(
        "transfer.start", actor=by, obj=person, org_path=membership.organization.path,
        summary={"to": to_org.code, "on": on, "transfer": transfer.pk},
    )  # fmt: skip
    if accept_now:
        return accept_transfer(transfer, by=by)
    _tell_offices(
        to_org, f"待接收：{person.name}的组织关系由{membership.organization.name}转入{to_org.name}",
        transfer, f"转接日期 {on.isoformat()}。{transfer.note}",
    )  # fmt: skip
    return transfer


def _pending(transfer: Transfer) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "organization", "to_organization")
        .get(pk=transfer.pk)
    )
    if transfer.state != S.PENDING:
        raise PeopleError(f"该转接{transfer.get_state_display()}，不能再办理")
    return transfer


def _decide(transfer: Transfer, state: str, by, note: str = "") -> None:
    transfer.state, transfer.decided_by = state, by
    transfer.decided_on = timezone.localdate()
    transfer.decision_note = note.strip()[:200]
    transfer.save(update_fields=["state", "decided_by", "decided_on", "decision_note"])


@transaction.atomic
def accept_transfer(transfer: Transfer, *, by=None) -> Transfer:
    """The receiving office accepts: the member belongs to the receiving organisation
    from the transfer's date."""
    transfer = _pending(transfer)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    membership = _open_membership(person)
    if membership is None or membership.organization_id != transfer.organization_id:
        raise PeopleError(f"{person.name} 的组织关系已变动，该转接不能接收，请退回")
    if transfer.transferred_on <= membership.started_on:
        raise PeopleError("转接日期早于现组织关系的开始日期，请退回后重新发起")
    _move(person, membership, transfer.to_organization, transfer.transferred_on, by)
    _decide(transfer, S.ACCEPTED, by)
    if transfer.created_by_id != getattr(by, "pk", None):
        _tell_offices(transfer.organization, f"已接收：{person.name}的组织关系已转入"
                      f"{transfer.to_organization.name}", transfer)  # fmt: skip
    audit.record(
        "transfer.accept", actor=by, obj=person, org_path=transfer.to_organization.path,
        summary={"from": transfer.organization.code, "on": transfer.transferred_on,
                 "transfer": transfer.pk},
    )  # fmt: skip
    return transfer


@transaction.atomic
def return_transfer(transfer: Transfer, *, reason: str, by=None) -> Transfer:
    """The receiving office sends it back, saying why; nothing moves."""
    if not reason.strip():
        raise PeopleError("请填写退回原因")
    transfer = _pending(transfer)
    _decide(transfer, S.RETURNED, by, reason)
    _tell_offices(transfer.organization, f"已退回：{transfer.person.name}的组织关系转接被"
                  f"{transfer.to_organization.name}退回", transfer, reason.strip()[:200])  # fmt: skip
    audit.record(
        "transfer.return", actor=by, obj=transfer.person,
        org_path=transfer.to_organization.path,
        summary={"transfer": transfer.pk, "reason": reason.strip()[:200]},
    )  # fmt: skip
    return transfer


@transaction.atomic
def withdraw_transfer(transfer: Transfer, *, reason: str = "", by=None) -> Transfer:
    """The sending office withdraws it before the other side decides."""
    transfer = _pending(transfer)
    _decide(transfer, S.WITHDRAWN, by, reason)
    audit.record(
        "transfer.withdraw", actor=by, obj=transfer.person, org_path=transfer.organization.path,
        summary={"transfer": transfer.pk},
    )  # fmt: skip
    return transfer


# ---- out of the system: the 介绍信 -------------------------------------------------------
def _next_letter_number(org: Organization, year: int) -> str:
    """`YYYY-NNNN`, numbered per hospital and year. The hospital's row is locked, so two
    letters issued at once get two numbers."""
    hospital = Organization.objects.select_for_update().get(path=org.hospital_path)
    prefix = f"{year}-"
    numbers = Transfer.objects.filter(
        direction=D.OUT,
        organization__path__startswith=hospital.path,
        letter_number__startswith=prefix,
    ).values_list("letter_number", flat=True)
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def issue_letter(
    person: Person, to_unit: str, on: dt.date, *, valid_days: int = LETTER_DAYS_DEFAULT,
    dues_paid_to: dt.date | None = None, reason: str = "", by=None,
) -> Transfer:  # fmt: skip
    """A transfer out of the system: the 介绍信, numbered, valid `valid_days` from `on`;
    the relation ends on `on`."""
    to_unit = to_unit.strip()
    if not to_unit:
        raise PeopleError("请填写接收党组织的名称")
    if not 1 <= valid_days <= LETTER_DAYS_MAX:
        raise PeopleError(f"介绍信有效期须在 1 至 {LETTER_DAYS_MAX} 天之间")
    person = Person.objects.select_for_update().get(pk=person.pk)
    membership = _check_member(person, on)
    org = membership.organization
    transfer = Transfer.objects.create(
        person=person, direction=D.OUT, organization=org, other_organization=to_unit[:200],
        transferred_on=on, note=reason.strip()[:200], state=S.ISSUED,
        letter_number=_next_letter_number(org, on.year),
        valid_until=on + dt.timedelta(days=valid_days), dues_paid_to=dues_paid_to,
        created_by=by,
    )  # fmt: skip
    membership.ended_on, membership.end_reason = on, MembershipReason.TRANSFER_OUT
    membership.save(update_fields=["ended_on", "end_reason"])
    CommitteeSeat.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
    member_moved.send(Person, person=person, from_org=org, to_org=None, on=on, by=by)
    audit.record(
        "transfer.letter", actor=by, obj=person, org_path=org.path,
        summary={"to": to_unit[:200], "on": on, "letter": transfer.letter_number},
    )  # fmt: skip
    return transfer


def _issued(transfer: Transfer) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("person", "organization")
        .get(pk=transfer.pk)
    )
    if transfer.state != S.ISSUED:
        raise PeopleError(f"该介绍信{transfer.get_state_display()}")
    return transfer


@transaction.atomic
def record_receipt(transfer: Transfer, received_on: dt.date, *, by=None) -> Transfer:
    """The 回执 came back: the receiving organisation has the member."""
    transfer = _issued(transfer)
    if received_on < transfer.transferred_on:
        raise PeopleError("回执日期不能早于介绍信开具日期")
    if received_on > timezone.localdate():
        raise PeopleError("回执日期不能晚于今天")
    transfer.state, transfer.receipt_on, transfer.decided_by = S.RECEIPTED, received_on, by
    transfer.decided_on = timezone.localdate()
    transfer.save(update_fields=["state", "receipt_on", "decided_by", "decided_on"])
    audit.record(
        "transfer.receipt", actor=by, obj=transfer.person, org_path=transfer.organization.path,
        summary={"letter": transfer.letter_number, "on": received_on},
    )  # fmt: skip
    return transfer


@transaction.atomic
def void_letter(transfer: Transfer, *, reason: str, by=None) -> Transfer:
    """A letter issued in error (the member did not leave): the relation opens again in
    the same organisation from the letter's date; the letter stays on record, voided."""
    if not reason.strip():
        raise PeopleError("请填写作废原因")
    transfer = _issued(transfer)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    if Membership.objects.filter(person=person, ended_on__isnull=True).exists():
        raise PeopleError(f"{person.name} 已有新的组织关系，介绍信不能作废")
    Membership.objects.create(
        person=person, organization=transfer.organization, started_on=transfer.transferred_on,
        start_reason=MembershipReason.CORRECTION,
    )  # fmt: skip
    _decide(transfer, S.VOIDED, by, reason)
    audit.record(
        "transfer.void", actor=by, obj=person, org_path=transfer.organization.path,
        summary={"letter": transfer.letter_number, "reason": reason.strip()[:200]},
    )  # fmt: skip
    return transfer


# ---- into the system ---------------------------------------------------------------------
@transaction.atomic
def register_transfer_in(
    person: Person, to_org: Organization, from_unit: str, letter_number: str, on: dt.date,
    *, by=None,
) -> Transfer:  # fmt: skip
    """A member arriving from outside with a 介绍信: their relation with `to_org` opens on
    `on`. `person` is new (people.records.create_person, with no relation yet) or one who
    once left the system."""
    from_unit, letter_number = from_unit.strip(), letter_number.strip()
    if not from_unit:
        raise PeopleError("请填写转出党组织的名称")
    if not letter_number:
        raise PeopleError("请填写介绍信编号")
    if on > timezone.localdate():
        raise PeopleError("转入日期不能晚于今天")
    if to_org.kind not in HOLDS_MEMBERS:
        raise PeopleError(f"{to_org.name} 不能直接接收党员，请选择党支部、党总支或党委")
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = open_status_period(person)
    if current is None or current.status not in MEMBER_STATUSES:
        raise PeopleError(f"{person.name} 不是党员，请先登记其政治面貌")
    last = Membership.objects.filter(person=person).order_by("-started_on", "-id").first()
    if last is not None and last.ended_on is None:
        raise PeopleError(
            f"{person.name} 在本系统 {last.organization.name} 仍有组织关系，请由该组织发起系统内转接"
        )
    if last is not None and on < last.ended_on:
        raise PeopleError(f"转入日期不能早于其上次转出日期 {last.ended_on.isoformat()}")
    Membership.objects.create(
        person=person, organization=to_org, started_on=on, start_reason=MembershipReason.TRANSFER_IN
    )
    person.organization = to_org
    person.save(update_fields=["organization", "updated_at"])
    transfer = Transfer.objects.create(
        person=person, direction=D.IN, organization=to_org, other_organization=from_unit[:200],
        transferred_on=on, letter_number=letter_number[:50], state=S.REGISTERED, created_by=by,
    )  # fmt: skip
    member_moved.send(Person, person=person, from_org=None, to_org=to_org, on=on, by=by)
    audit.record(
        "transfer.in", actor=by, obj=person, org_path=to_org.path,
        summary={"from": from_unit[:200], "letter": letter_number[:50], "on": on},
    )  # fmt: skip
    return transfer


@transaction.atomic
def register_member_in(
    data: dict, from_unit: str, letter_number: str, on: dt.date, *, returning=None, by=None
) -> Transfer:
    """A member arriving with a 介绍信 (`forms_transfers.TransferInForm`'s data): a person
    new to the system is added as when adding one; one who once left it (`returning`, found
    by the ID number) keeps their record and history, with the staff fields updated. Their
    relation opens from `on`, in the same transaction."""
    if returning is None:
        person = create_person(data, by=by, relation=False)
    else:
        person = returning
        kept = {"phone"} if not data.get("phone") else set()  # a blank keeps the number
        update_person(person, {k: v for k, v in data.items() if k not in kept}, by=by)
    return register_transfer_in(person, data["organization"], from_unit, letter_number, on, by=by)
