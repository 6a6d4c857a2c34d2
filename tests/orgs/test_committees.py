"""Committee seats at every level, the hospital's 党委班子 included (orgs.committees, issue
16): full members of the subtree only, one secretary at a time, seats closed not deleted,
and another hospital's office gets 404."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.orgs.committees import appoint, end_seat
from dangjian.orgs.models import CommitteePost, CommitteeSeat
from dangjian.orgs.services import OrgError
from dangjian.people.models import Status
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = dt.date
P = CommitteePost


def test_the_hospital_committee_draws_on_members_of_its_branches(world):
    """Seed 000's 党委班子: a secretary, two deputies and two members, all sitting in
    branches."""
    people = [make_member(world.ha_b1 if i % 2 else world.ha_b2) for i in range(5)]
    posts = [P.SECRETARY, P.DEPUTY_SECRETARY, P.DEPUTY_SECRETARY, P.MEMBER, P.MEMBER]
    for person, post in zip(people, posts, strict=True):
        appoint(world.ha, person, post, D(2024, 1, 5))
    seats = CommitteeSeat.objects.filter(organization=world.ha, ended_on__isnull=True)
    assert sorted(seats.values_list("post", flat=True)) == sorted(posts)
    assert AuditEntry.objects.filter(action="org.seat_appoint").count() == 5


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("probationary", "不是.*正式党员"),
        ("other_hospital", "不是.*正式党员"),
        ("second_secretary", "已有书记"),
        ("twice", "已任"),
        ("future", "不能晚于今天"),
    ],
)
def test_a_seat_the_rules_do_not_allow_is_refused(world, case, message):
    secretary = make_member(world.ha_b1)
    appoint(world.ha, secretary, P.SECRETARY, D(2024, 1, 5))
    person, post, on = make_member(world.ha_b2), P.MEMBER, D(2024, 2, 1)
    if case == "probationary":
        person = make_member(world.ha_b2, status=Status.PROBATIONARY)
    elif case == "other_hospital":
        person = make_member(world.hb_b1)
    elif case == "second_secretary":
        post = P.SECRETARY
    elif case == "twice":
        person = secretary
    elif case == "future":
        on = D(2099, 1, 1)
    with pytest.raises(OrgError, match=message):
        appoint(world.ha, person, post, on)
    assert CommitteeSeat.objects.filter(organization=world.ha).count() == 1


def test_leaving_closes_the_seat_and_a_new_secretary_follows(world):
    old, new = make_member(world.ha_b1), make_member(world.ha_b1)
    seat = appoint(world.ha_b1, old, P.SECRETARY, D(2022, 3, 1))
    with pytest.raises(OrgError, match="不能早于任职日期"):
        end_seat(seat, D(2022, 2, 1))
    end_seat(seat, D(2025, 3, 1))
    appoint(world.ha_b1, new, P.SECRETARY, D(2025, 3, 1))
    rows = CommitteeSeat.objects.filter(organization=world.ha_b1).order_by("started_on")
    assert [(s.person_id, s.ended_on) for s in rows] == [(old.pk, D(2025, 3, 1)), (new.pk, None)]
    with pytest.raises(OrgError, match="已离任"):
        end_seat(seat, D(2025, 4, 1))


def test_the_office_appoints_and_ends_from_the_organisation_page(client, world):
    person = make_member(world.ha_b2)
    client.force_login(world.user("office"))
    page = reverse("orgs:detail", args=[world.ha.code])
    assert "登记委员任职" in client.get(page).content.decode()
    url = reverse("orgs:appoint", args=[world.ha.code])
    assert person.name in client.get(url).content.decode()
    done = client.post(
        url, {"person": person.pk, "post": P.DEPUTY_SECRETARY, "started_on": "2024-01-05"}
    )
    assert done.status_code == 302 and done.url == page
    detail = client.get(page).content.decode()
    assert person.name in detail and "副书记" in detail
    seat = CommitteeSeat.objects.get(organization=world.ha)
    leave = reverse("orgs:leave_seat", args=[world.ha.code, seat.pk])
    assert client.post(leave, {"ended_on": "2025-01-05"}).url == page
    seat.refresh_from_db()
    assert seat.ended_on == D(2025, 1, 5)


def test_a_secretary_may_not_and_another_hospitals_office_gets_404(client, world):
    person = make_member(world.ha_b1)
    seat = appoint(world.ha_b1, person, P.SECRETARY, D(2024, 1, 5))
    client.force_login(world.user("secretary"))
    assert client.get(reverse("orgs:appoint", args=[world.ha.code])).status_code == 403
    client.force_login(world.user("office", "B"))
    data = {"person": person.pk, "post": P.MEMBER, "started_on": "2024-02-01"}
    assert client.post(reverse("orgs:appoint", args=[world.ha.code]), data).status_code == 404
    leave = reverse("orgs:leave_seat", args=[world.ha_b1.code, seat.pk])
    assert client.post(leave, {"ended_on": "2025-01-05"}).status_code == 404
    seat.refresh_from_db()
    assert seat.ended_on is None and CommitteeSeat.objects.count() == 1
