"""Party dues for the demo hospitals of organisational life: a base for every member,
the bills of each month of the last year (through `generate_bills`, as the monthly job
makes them) and the payments, so that the office's month page, the arrears list, the
reconciliation and a member's "my dues" have something real to show.

Most members pay within the month; some hand in a quarter at once (late for its first
two months); a few have stopped paying, some of them for six months or more (the
branch assembly must decide: RULES.md §3); the demo member owes last month. Payments are
bulk-created like the demo meetings; each settles whole bills, as the service does.
"""

import datetime as dt
import random
from decimal import Decimal

from dangjian.dues.models import DuesBase, DuesBill, DuesPayment, PaymentMethod
from dangjian.dues.services import generate_bills
from dangjian.orgs.models import Organization
from dangjian.people.models import MEMBER_STATUSES, Employment, Person

from .dates import add_months, first_of_month
from .meetings import MEETING_HOSPITALS

MONTHS_BACK = 12
QUARTERLY_SHARE = 0.15  # members who hand in three months at once
STOPPED = (3, 4, 7)  # months unpaid of the few who stopped paying, one each per hospital


def load_demo_dues(today: dt.date, seed: int, member_digest: str = "") -> int:
    """Bases, bills and payments for the demo hospitals; the number of bills. The member
    whose ID digest is `member_digest` (the demo member account) owes last month."""
    bills = 0
    first = add_months(first_of_month(today), -(MONTHS_BACK - 1))
    for code in MEETING_HOSPITALS:
        hospital = Organization.objects.get(code=code)
        rng = random.Random(f"{seed}:dues:{code}")
        _bases(hospital, first, rng)
        month = first
        while month <= today:
            bills += generate_bills(month, hospital.path)[0]
            month = add_months(month, 1)
        _payments(hospital, today, rng, member_digest)
    return bills


def _bases(hospital: Organization, first: dt.date, rng: random.Random) -> None:
    people = Person.objects.filter(
        organization__path__startswith=hospital.path,
        statuses__ended_on__isnull=True,
        statuses__status__in=MEMBER_STATUSES,
    ).order_by("pk")
    bases = []
    for pk, employment in people.values_list("pk", "employment"):
        retired = employment == Employment.RETIRED
        amount = rng.randrange(2500, 7000, 50) if retired else rng.randrange(3000, 16000, 50)
        bases.append(
            DuesBase(
                person_id=pk, category="retired" if retired else "in_service",
                base=Decimal(amount), effective_from=first, reason="年度核定（示例）",
            )
        )  # fmt: skip
    DuesBase.objects.bulk_create(bases, batch_size=1000)


def _payments(hospital: Organization, today: dt.date, rng: random.Random, member: str) -> None:
    """Settle the bills of months that have begun, person by person, in bulk."""
    by_person: dict[int, list[DuesBill]] = {}
    for bill in DuesBill.objects.filter(
        organization__path__startswith=hospital.path, month__lte=today
    ).order_by("person_id", "month"):
        by_person.setdefault(bill.person_id, []).append(bill)
    owing = set(Person.objects.filter(id_digest=member).values_list("pk", flat=True))
    people = sorted(by_person)
    stopped = dict(zip(rng.sample(people, min(len(STOPPED), len(people))), STOPPED, strict=False))
    settled: list[tuple[DuesPayment, list[DuesBill]]] = []
    for person in people:
        method = rng.choice((PaymentMethod.ONLINE, PaymentMethod.ONLINE, PaymentMethod.CASH))
        quarterly = rng.random() < QUARTERLY_SHARE
        current = first_of_month(today)
        if person in stopped:
            unpaid_from = add_months(current, -stopped[person])
        elif person in owing:
            unpaid_from = add_months(current, -1)  # last month and this one
        else:
            unpaid_from = add_months(current, 1)  # this month too, if paid by today
        due = [b for b in by_person[person] if b.month < unpaid_from and b.amount > 0]
        for group in _groups(due, quarterly):
            paid_on = _paid_on(group[-1].month, quarterly, today, rng)
            if paid_on is None:
                continue
            total = sum((b.amount for b in group), Decimal(0))
            payment = DuesPayment(person_id=person, organization_id=group[0].organization_id,
                                  paid_on=paid_on, total=total, method=method)  # fmt: skip
            settled.append((payment, group))
    DuesPayment.objects.bulk_create([payment for payment, _ in settled], batch_size=1000)
    for payment, group in settled:
        for bill in group:
            bill.paid_by = payment
            bill.paid_on_time = payment.paid_on <= bill.due_on
    DuesBill.objects.bulk_update(
        [bill for _, group in settled for bill in group], ["paid_by", "paid_on_time"],
        batch_size=1000,
    )  # fmt: skip


def _groups(bills: list[DuesBill], quarterly: bool) -> list[list[DuesBill]]:
    """One bill per payment, or the bills of each calendar quarter together."""
    if not quarterly:
        return [[bill] for bill in bills]
    groups: dict[tuple[int, int], list[DuesBill]] = {}
    for bill in bills:
        groups.setdefault((bill.month.year, (bill.month.month - 1) // 3), []).append(bill)
    return list(groups.values())


def _paid_on(month: dt.date, quarterly: bool, today: dt.date, rng) -> dt.date | None:
    """The payment day: within the month (a quarter: in its last month), never after
    today; None when that day has not come yet."""
    day = month.replace(day=rng.randint(5, 25 if quarterly else 28))
    return day if day <= today else None
