import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.models import AuditEntry
from dangjian.dues.models import DuesBill
from dangjian.orgs.models import CommitteePost, OrgKind
from dangjian.orgs.services import OrgError, create_organization, restructure
from dangjian.people.models import Membership, Transfer
from dangjian.people.services import PeopleError, move_person
from dangjian.people.transfers import issue_letter, register_transfer_in
from tests.factories import add_seat, make_member

pytestmark = pytest.mark.django_db


def test_move_keeps_history_and_ends_old_posts(two_hospitals):
    _, (ha, b1, b2), _ = two_hospitals
    person = make_member(b1)
    add_seat(b1, person, CommitteePost.SECRETARY)
    move_person(person, b2, dt.date(2024, 5, 1))
    rows = list(
        Membership.objects.filter(person=person).values_list("organization__code", "ended_on")
    )
    assert rows == [("HA-B1", dt.date(2024, 5, 1)), ("HA-B2", None)]
    person.refresh_from_db()
    assert person.organization == b2
    assert person.seats.get().ended_on == dt.date(2024, 5, 1)
    assert AuditEntry.objects.filter(action="person.move", object_id=str(person.pk)).exists()


def test_a_moved_members_unpaid_bills_of_later_months_follow_them(two_hospitals):
    _, (ha, b1, b2), _ = two_hospitals
    person = make_member(b1)
    bills = [
        DuesBill.objects.create(
            person=person,
            organization=b1,
            month=month,
            due_on=month,
            category="in_service",
            amount=Decimal("10"),
        )  # fmt: skip
        for month in (dt.date(2024, 5, 1), dt.date(2024, 6, 1))
    ]
    move_person(person, b2, dt.date(2024, 5, 20))
    assert [DuesBill.objects.get(pk=b.pk).organization for b in bills] == [b1, b2]


def test_move_before_the_current_relationship_started_is_refused(two_hospitals):
    _, (ha, b1, b2), _ = two_hospitals
    person = make_member(b1, since=dt.date(2020, 1, 1))
    with pytest.raises(PeopleError, match="不能早于"):
        move_person(person, b2, dt.date(2019, 12, 31))
    assert Membership.objects.get(person=person).ended_on is None


def test_restructure_splits_a_branch_and_dissolves_the_old_one(two_hospitals):
    _, (ha, b1, _), _ = two_hospitals
    people = [make_member(b1) for _ in range(6)]
    ha.refresh_from_db()
    new = [
        create_organization(ha, code=f"HA-N{i}", name=f"新支部{i}", kind=OrgKind.BRANCH)
        for i in range(3)
    ]
    moves = [(p, new[i % 3]) for i, p in enumerate(people)]
    assert restructure(moves, dt.date(2024, 7, 1), dissolve=[b1]) == 6
    b1.refresh_from_db()
    assert b1.dissolved_on == dt.date(2024, 7, 1)
    assert all(n.memberships.filter(ended_on__isnull=True).count() == 2 for n in new)
    assert Membership.objects.filter(organization=b1, ended_on=dt.date(2024, 7, 1)).count() == 6


def test_restructure_refuses_to_dissolve_a_branch_with_members_and_changes_nothing(two_hospitals):
    _, (ha, b1, b2), _ = two_hospitals
    _stays, goes = make_member(b1), make_member(b1)
    with pytest.raises(OrgError, match="仍有成员"):
        restructure([(goes, b2)], dt.date(2024, 7, 1), dissolve=[b1])
    goes.refresh_from_db()
    assert goes.organization == b1 and Membership.objects.filter(organization=b2).count() == 0


def test_transfer_out_and_back_in(two_hospitals):
    _, (ha, b1, _), (hb, hb1, _) = two_hospitals
    person = make_member(b1)
    issue_letter(person, "外院党支部", dt.date(2024, 3, 1))
    assert not Membership.objects.filter(person=person, ended_on__isnull=True).exists()
    with pytest.raises(PeopleError, match="没有组织关系"):
        issue_letter(person, "外院党支部", dt.date(2024, 4, 1))
    register_transfer_in(person, hb1, "外院党支部", "外-2024-7", dt.date(2024, 9, 1))
    person.refresh_from_db()
    assert person.organization == hb1
    assert list(Transfer.objects.filter(person=person).values_list("direction", flat=True)) == [
        "in",
        "out",
    ]


def test_duplicate_org_code_is_refused(two_hospitals):
    _, (ha, *_), _ = two_hospitals
    with pytest.raises(OrgError, match="已存在"):
        create_organization(ha, code="HA-B1", name="重复", kind=OrgKind.BRANCH)
