"""factory-boy factories shared by every test module. All people are fictitious."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from dangjian.accounts.models import Role, RoleGrant, User
from dangjian.core.crypto import digest
from dangjian.orgs.models import (
    CommitteeSeat,
    CommitteeTerm,
    Department,
    DepartmentCategory,
    Organization,
    OrgKind,
)
from dangjian.people.models import Membership, Person, Status, StatusPeriod
from dangjian.people.rules import make_id_number

TEST_PASSWORD = "Test-Pass-2024"


def add_org(parent: Organization | None, code: str, kind: str, name: str | None = None, **extra):
    """Organisations live in a treebeard tree, so they are added to a parent, not created."""
    fields = {"code": code, "name": name or code, "kind": kind, **extra}
    if parent is None:
        return Organization.objects.add_root(fields)
    return Organization.objects.add_child(parent, fields)


def hospital_tree(code: str = "H1", guidance: Organization | None = None):
    """A guidance committee (optional), a hospital committee and two branches."""
    hospital = add_org(guidance, code, OrgKind.COMMITTEE, f"{code}医院党委")
    dept = DepartmentFactory(hospital=hospital, name=f"{code}心内科")
    b1 = add_org(hospital, f"{code}-B1", OrgKind.BRANCH, f"{code}心内科党支部", department=dept)
    b2 = add_org(hospital, f"{code}-B2", OrgKind.BRANCH, f"{code}行政党支部")
    return hospital, b1, b2


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"科室{n}")
    category = DepartmentCategory.CLINICAL


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    gender = "female"
    # Distinct birth dates make distinct ID numbers; all fictitious (region 990101).
    birth_date = factory.Sequence(lambda n: dt.date(1960, 1, 1) + dt.timedelta(days=n % 15000))
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(o.birth_date, o.gender, n // 15000 + 1)
    )
    id_digest = factory.LazyAttribute(lambda o: digest(o.id_number))
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def make_member(org: Organization, status: str = Status.FULL, since=dt.date(2010, 7, 1), **person):
    """A person attached to `org` with one open status period (as the importer writes)."""
    p = PersonFactory(organization=org, **person)
    Membership.objects.create(person=p, organization=org, started_on=since)
    StatusPeriod.objects.create(person=p, status=status, started_on=since)
    return p


def make_user(username: str, role: str | None = None, org: Organization | None = None, **extra):
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, must_change_password=False, **extra
    )
    from django.utils import timezone

    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    if role:
        RoleGrant.objects.create(user=user, role=role, organization=org)
    return user


def add_seat(org, person, post, started_on=dt.date(2023, 1, 1)):
    return CommitteeSeat.objects.create(
        organization=org, person=person, post=post, started_on=started_on
    )


def add_term(org, started_on, years=3):
    return CommitteeTerm.objects.create(
        organization=org,
        started_on=started_on,
        ends_on=started_on.replace(year=started_on.year + years),
    )


def api_auth(client, user) -> dict:
    """The Authorization header of an API token for `user` (password TEST_PASSWORD)."""
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def make_member_user(org: Organization, username: str, **person):
    """A member of `org` with an account that logs in with the member role."""
    member = make_member(org, **person)
    member.user = make_user(username, Role.MEMBER, org)
    member.save(update_fields=["user"])
    return member
