"""Organisational life and dues over the generated years: each branch's 三会一课, theme
days, life meetings, appraisals and heart talks (about 6% skipped, so compliance varies),
attendance at the general assemblies, and each member's dues bases, monthly bills and
payments (most within the month) (about 2% of members in arrears for the last months)."""

import calendar
import datetime as dt
from decimal import Decimal

from dangjian.dues.models import DuesBase, DuesBill, DuesPayment
from dangjian.dues.rules import monthly_amount
from dangjian.meetings.models import Attendance, Meeting

from .city import BranchRec, City
from .writer import Writer

# (kind, months it is held in, day of the month, needs a branch committee)
SCHEDULE = [
    ("theme_day", range(1, 13), 15, False),
    ("committee_meeting", range(1, 13), 5, True),
    ("general_assembly", (3, 6, 9, 12), 20, False),
    ("party_lecture", (2, 5, 8, 11), 25, False),
    ("heart_talk", (1,), 8, False),
    ("life_meeting", (1,), 10, False),
    ("appraisal", (1,), 12, False),
]
TOPICS = {
    "theme_day": "主题党日：学习贯彻党的创新理论",
    "committee_meeting": "支委会：研究本月支部工作",
    "general_assembly": "支部党员大会：通报季度工作",
    "party_lecture": "党课：加强公立医院党的建设",
    "heart_talk": "谈心谈话",
    "life_meeting": "年度组织生活会",
    "appraisal": "民主评议党员",
}


def _last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class ActivityBuilder:
    def __init__(self, city: City, writer: Writer):
        self.city = city
        self.meetings = writer.table(
            Meeting,
            ["organization_id", "kind", "topic", "planned_on", "held_on", "status", "host",
             "lecturer_id", "expected_voters", "place"],
        )  # fmt: skip
        self.attendance = writer.table(Attendance, ["meeting_id", "person_id", "state", "is_voter"])
        self.bases = writer.table(
            DuesBase, ["person_id", "category", "base", "effective_from", "reason"]
        )
        self.bills = writer.table(
            DuesBill,
            ["person_id", "organization_id", "month", "due_on", "category", "base", "amount",
             "paid_by_id", "paid_on_time"],
        )  # fmt: skip
        self.payments = writer.table(
            DuesPayment, ["person_id", "organization_id", "paid_on", "total", "method"]
        )

    def build(self, progress=None) -> None:
        for hospital in self.city.hospitals:
            for branch in hospital.branches:
                self._meetings(branch)
                self._dues(branch)
            if progress:
                progress(hospital.code)

    # -- meetings --------------------------------------------------------------------------
    def _meetings(self, branch: BranchRec) -> None:
        city, today = self.city, self.city.today
        rng = city.rng("meetings", branch.code)
        secretary = branch.secretary
        host = secretary.name if secretary else ""
        members = branch.members
        for month in city.months():
            for kind, months, day, needs_committee in SCHEDULE:
                if month.month not in months or (needs_committee and not branch.has_committee):
                    continue
                if rng.random() < 0.06:
                    continue
                planned = month.replace(day=day)
                held = planned <= today
                # Assemblies and committee meetings have a roll of voters: they count
                # toward compliance only with more than half of them present.
                roll = []
                if kind == "general_assembly":
                    roll = [p for p in members if p.member_on(planned)]
                elif kind == "committee_meeting":
                    roll = branch.committee_members
                voters = sum(1 for p in roll if p.voter_on(planned)) if roll else None
                pk = self.meetings.add(
                    branch.pk, kind, TOPICS[kind], planned, planned if held else None,
                    ("filed" if (today - planned).days > 10 else "held") if held else "planned",
                    host, secretary.pk if kind == "party_lecture" and secretary else None,
                    voters, "支部活动室",
                )  # fmt: skip
                if held:
                    for person in roll:
                        draw = rng.random()
                        state = "present" if draw < 0.9 else ("leave" if draw < 0.97 else "absent")
                        self.attendance.add(pk, person.pk, state, person.voter_on(planned))

    # -- dues ------------------------------------------------------------------------------
    def _dues(self, branch: BranchRec) -> None:
        city, today = self.city, self.city.today
        rng = city.rng("dues", branch.code)
        months = list(city.months())
        for person in branch.members:
            category = "retired" if person.employment == "retired" else "in_service"
            in_arrears = rng.random() < 0.02
            method = rng.choice(("online", "online", "transfer", "cash"))
            level = (
                rng.randrange(3000, 16000)
                if category == "in_service"
                else rng.randrange(2500, 7000)
            )
            amounts: dict[int, tuple[Decimal, Decimal]] = {}
            pending: list[tuple] = []
            first = person.joined.replace(day=1)
            for month in months:
                if month < first:
                    continue
                if month.year not in amounts:
                    base = Decimal(level + 150 * (month.year - city.first_day.year))
                    effective = max(month, dt.date(month.year, 1, 1))
                    self.bases.add(person.pk, category, base, effective, "年度核定")
                    amounts[month.year] = (base, monthly_amount(base, category, on=month))
                base, amount = amounts[month.year]
                pending.append((person.pk, branch.pk, month, _last_day(month), category, base,
                                amount))  # fmt: skip
                # Most pay within the month; some a month late with the next month's dues.
                paid_on = month.replace(day=rng.randrange(5, 29))
                months_left = (today.year - month.year) * 12 + today.month - month.month
                if paid_on <= today and rng.random() < 0.9 and not (in_arrears and months_left < 7):
                    total = sum((row[6] for row in pending), Decimal(0))
                    payment = (
                        self.payments.add(person.pk, branch.pk, paid_on, total, method)
                        if total > 0
                        else None
                    )
                    for row in pending:
                        self.bills.add(*row, payment, payment is not None and paid_on <= row[3])
                    pending = []
            for row in pending:
                self.bills.add(*row, None, False)
