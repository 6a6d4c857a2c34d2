"""Builders for the page tests: two hospitals under one guidance committee, a user per
role and hospital, and helpers that add rows a page shows."""

from dataclasses import dataclass, field

from dangjian.orgs.models import CommitteePost, DepartmentCategory, Organization, OrgKind
from dangjian.people.models import Status
from tests.factories import DepartmentFactory, add_org, add_seat, make_member, make_user


@dataclass
class World:
    guidance: Organization
    ha: Organization
    ha_b1: Organization
    ha_b2: Organization
    hb: Organization
    hb_b1: Organization
    hb_b2: Organization
    users: dict = field(default_factory=dict)

    def user(self, role: str, hospital: str = "A"):
        """One user per (role, hospital), made on first use; hospital "CITY" is the
        guidance committee."""
        key = (role, hospital)
        if key not in self.users:
            org = {"A": self.ha, "B": self.hb, "CITY": self.guidance}[hospital]
            self.users[key] = make_user(f"{role}-{hospital.lower()}", role, org)
        return self.users[key]


def add_dual_branch(hospital: Organization, code: str, category=DepartmentCategory.CLINICAL):
    """A branch on its own department whose secretary heads that department (双带头人)."""
    hospital.refresh_from_db()
    dept = DepartmentFactory(hospital=hospital, name=f"{code}科", category=category)
    branch = add_org(hospital, code, OrgKind.BRANCH, f"{code}党支部", department=dept)
    secretary = make_member(branch, department=dept, is_department_head=True)
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    hospital.refresh_from_db()
    return branch


def add_members(org: Organization, n: int, status=Status.FULL, **person) -> list:
    return [make_member(org, status=status, **person) for _ in range(n)]
