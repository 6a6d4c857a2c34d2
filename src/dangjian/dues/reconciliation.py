"""Reconciliation of Party dues (RULES.md §1): branch collections → the hospital's totals
→ what is passed up, for one month or a whole year of a subtree.

Per branch: members billed (应交人数) and the amount due (应交金额); members who settled
every bill of the period (实交人数) and the amount collected, i.e. the paid bills
(实交金额); members with a bill of an ended month still unsettled (欠交人数) and what they
owe; members whose only unsettled bills are of months not yet ended (待交人数, 待交金额:
the current month, or later ones, is still open and is not arrears, as in
`queries.with_arrears`). A bill of an approved zero amount counts as settled. Voluntary payments (自愿多交, 特殊党费) are kept
apart: those of 1,000 yuan or more are passed up in full, separately from the dues.

Three queries whatever the size of the subtree: the organisations, the bills grouped by
organisation, the voluntary payments grouped by organisation. Members attached to a Party
group (党小组) are counted in the branch above it; members attached directly to a
committee or general branch appear as a row of that organisation.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.orgs.models import Organization, OrgKind

from .models import DuesBill, VoluntaryPayment
from .services import first_of_month

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
UNSETTLED = Q(paid_by__isnull=True, amount__gt=0)


def owed_before(open_from: dt.date) -> Q:
    """Unsettled bills of the months that have ended (before the open month)."""
    return UNSETTLED & Q(month__lt=open_from)


ROW_KINDS = (OrgKind.BRANCH,)


@dataclass
class Line:
    """One branch's figures (or the totals)."""

    organization: Organization | None
    due_members: int = 0
    due_amount: Decimal = ZERO
    paid_members: int = 0
    collected: Decimal = ZERO
    unpaid_members: int = 0  # with an unsettled bill of an ended month (欠交)
    owed: Decimal = ZERO
    open_members: int = 0  # unsettled only in months not yet ended (待交)
    open_amount: Decimal = ZERO
    voluntary: Decimal = ZERO
    voluntary_pass_up: Decimal = ZERO

    def add(self, other: "Line") -> None:
        for name in (
            "due_members", "due_amount", "paid_members", "collected", "unpaid_members",
            "owed", "open_members", "open_amount", "voluntary", "voluntary_pass_up",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Reconciliation:
    organization: Organization
    start: dt.date  # first month of the period
    end: dt.date  # first month after the period
    lines: list[Line] = field(default_factory=list)
    total: Line = field(default_factory=lambda: Line(None))

    @property
    def passed_up(self) -> Decimal:
        """The dues collected, all of which the hospital passes up under its rules."""
        return self.total.collected

    @property
    def passed_up_in_full(self) -> Decimal:
        """Voluntary payments of 1,000 yuan or more, passed up in full to the Centre."""
        return self.total.voluntary_pass_up


def period(year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """[start, end) months of a calendar month or, without `month`, the whole year."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.date(year, month, 1)
    return start, add_months(start, 1)


def reconcile(
    org: Organization, year: int, month: int | None = None, *, today: dt.date | None = None
) -> Reconciliation:
    """The figures of `org`'s subtree for `month` of `year`, or the whole year, as they
    stand on `today` (default: today): a month that has not ended by then is open."""
    start, end = period(year, month)
    open_from = first_of_month(today or timezone.localdate())
    owed = owed_before(open_from)
    still_open = UNSETTLED & Q(month__gte=open_from)
    orgs = list(
        Organization.objects.filter(path__startswith=org.path)
        .order_by("path")
        .only("pk", "path", "code", "name", "kind", "depth")
    )
    by_pk = {o.pk: o for o in orgs}
    branches = [o for o in orgs if o.kind in ROW_KINDS]

    def line_org(pk: int) -> Organization:
        """The branch over an organisation (itself if it is one), else the organisation."""
        own = by_pk[pk]
        over = [b for b in branches if own.path.startswith(b.path)]
        return max(over, key=lambda b: b.depth) if over else own

    lines: dict[int, Line] = {b.pk: Line(b) for b in branches}

    def line_for(pk: int) -> Line:
        target = line_org(pk)
        return lines.setdefault(target.pk, Line(target))

    bills = (
        DuesBill.objects.filter(
            organization__path__startswith=org.path, month__gte=start, month__lt=end
        )
        .order_by()
        .values("organization_id")
        .annotate(
            due_members=Count("person", distinct=True),
            unsettled_members=Count("person", distinct=True, filter=UNSETTLED),
            unpaid_members=Count("person", distinct=True, filter=owed),
            due_amount=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
            collected=Coalesce(
                Sum("amount", filter=Q(paid_by__isnull=False)), Value(ZERO), output_field=MONEY
            ),
            owed=Coalesce(Sum("amount", filter=owed), Value(ZERO), output_field=MONEY),
            open_amount=Coalesce(Sum("amount", filter=still_open), Value(ZERO), output_field=MONEY),
        )
    )
    for row in bills:
        line = line_for(row["organization_id"])
        line.add(
            Line(
                None,
                due_members=row["due_members"],
                due_amount=row["due_amount"],
                paid_members=row["due_members"] - row["unsettled_members"],
                collected=row["collected"],
                unpaid_members=row["unpaid_members"],
                owed=row["owed"],
                # 待交: unsettled this month but owing nothing of the months before.
                open_members=row["unsettled_members"] - row["unpaid_members"],
                open_amount=row["open_amount"],
            )
        )
    voluntary = (
        VoluntaryPayment.objects.filter(
            person__organization__path__startswith=org.path,
            paid_on__gte=start,
            paid_on__lt=end,
        )
        .order_by()
        .values("person__organization_id")
        .annotate(
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
            pass_up=Coalesce(
                Sum("amount", filter=Q(pass_up_in_full=True)), Value(ZERO), output_field=MONEY
            ),
        )
    )
    for row in voluntary:
        line = line_for(row["person__organization_id"])
        line.add(Line(None, voluntary=row["total"], voluntary_pass_up=row["pass_up"]))
    result = Reconciliation(org, start, end)
    result.lines = sorted(lines.values(), key=lambda line: line.organization.path)
    for line in result.lines:
        result.total.add(line)
    return result
