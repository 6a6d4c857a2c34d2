"""The shape of a generated city, shared by the modules that fill it: hospitals,
branches and people as plain records holding the primary keys already chosen."""

import datetime as dt
import random
from dataclasses import dataclass, field

# Seed 002: 87 hospitals (42 tertiary, 45 secondary), 2,066 branches, 24,411 members.
CITY_HOSPITALS = 87
CITY_TERTIARY = 42
CITY_BRANCHES = 2066
CITY_MEMBERS = 24411


@dataclass
class PersonRec:
    pk: int
    status: str  # the current StatusPeriod status
    joined: dt.date | None  # became a probationary member (None: not a member)
    full_on: dt.date | None
    employment: str
    name: str

    @property
    def is_member(self) -> bool:
        return self.status in ("probationary", "full")

    def member_on(self, day: dt.date) -> bool:
        return self.joined is not None and self.joined <= day

    def voter_on(self, day: dt.date) -> bool:
        return self.full_on is not None and self.full_on <= day


@dataclass
class BranchRec:
    pk: int
    code: str
    name: str
    path: str
    hospital: "HospitalRec"
    department_pk: int | None
    category: str
    retired: bool
    term_start: dt.date
    people: list[PersonRec] = field(default_factory=list)
    secretary: PersonRec | None = None
    has_committee: bool = False
    committee_members: list[PersonRec] = field(default_factory=list)

    @property
    def members(self) -> list[PersonRec]:
        return [p for p in self.people if p.is_member]


@dataclass
class HospitalRec:
    pk: int
    number: int
    code: str
    name: str
    path: str
    tertiary: bool
    branches: list[BranchRec] = field(default_factory=list)
    committee: list[PersonRec] = field(default_factory=list)
    secretary_name: str = ""


@dataclass
class City:
    seed: int
    hospitals_wanted: int
    years: int
    today: dt.date
    guidance_pk: int = 0
    guidance_path: str = ""
    hospitals: list[HospitalRec] = field(default_factory=list)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.today.year - self.years + 1, 1, 1)

    def rng(self, *key) -> random.Random:
        """A random stream of its own for each part, so that one part's draws never shift
        another's: the same seed always gives the same city."""
        return random.Random("/".join(str(k) for k in (self.seed, *key)))

    @property
    def branches(self):
        for hospital in self.hospitals:
            yield from hospital.branches

    def months(self):
        """First days of the months from `first_day` to this month."""
        year, month = self.first_day.year, 1
        while (year, month) <= (self.today.year, self.today.month):
            yield dt.date(year, month, 1)
            month += 1
            if month == 13:
                year, month = year + 1, 1
