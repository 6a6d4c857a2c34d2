"""流动党员 (people.mobile): registered out or in with the activity certificate's number,
ended on return; `is_mobile` follows; a non-member is refused; leaving the Party ends
it; another hospital's office gets 404 (issue 16)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.people.mobile import end_mobile, register_mobile
from dangjian.people.models import MobileRegistration, Person, StandingChange, Status
from dangjian.people.services import PeopleError
from dangjian.people.standing import change_standing
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = dt.date


def test_register_and_return(world):
    person = make_member(world.ha_b1)
    register_mobile(
        person, "out", D(2025, 2, 1), place="深圳市某社区党委", certificate_number="LD-001"
    )
    person.refresh_from_db()
    assert person.is_mobile
    with pytest.raises(PeopleError, match="已登记为流动党员"):
        register_mobile(person, "in", D(2025, 3, 1), place="别处")
    with pytest.raises(PeopleError, match="不能早于开始日期"):
        end_mobile(person, D(2025, 1, 1))
    end_mobile(person, D(2025, 8, 1))
    person.refresh_from_db()
    assert not person.is_mobile
    rows = list(
        MobileRegistration.objects.values_list("direction", "certificate_number", "ended_on")
    )
    assert rows == [("out", "LD-001", D(2025, 8, 1))]


def test_only_a_member_with_a_place_may_be_registered(world):
    applicant = make_member(world.ha_b1, status=Status.APPLICANT)
    with pytest.raises(PeopleError, match="不是党员"):
        register_mobile(applicant, "out", D(2025, 2, 1), place="外地")
    member = make_member(world.ha_b1)
    with pytest.raises(PeopleError, match="请填写外出地点"):
        register_mobile(member, "out", D(2025, 2, 1), place=" ")
    assert not MobileRegistration.objects.exists()


def test_leaving_the_party_ends_the_registration(world):
    person = make_member(world.ha_b1)
    register_mobile(person, "out", D(2025, 2, 1), place="外地")
    change_standing(person, StandingChange.LAPSED, D(2025, 9, 1))
    person.refresh_from_db()
    assert not person.is_mobile
    assert MobileRegistration.objects.get().ended_on == D(2025, 9, 1)


def test_the_office_registers_and_ends_from_the_pages(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    detail = reverse("people:detail", args=[person.pk])
    assert "登记为流动党员" in client.get(detail).content.decode()
    url = reverse("people:mobile", args=[person.pk])
    data = {
        "direction": "out",
        "on": "2025-02-01",
        "place": "外地某党支部",
        "certificate_number": "LD-9",
    }
    assert client.post(url, data).url == detail
    page = client.get(detail).content.decode()
    assert "外地某党支部" in page and "LD-9" in page and "登记返回" in page
    end = client.post(reverse("people:mobile_end", args=[person.pk]), {"on": "2025-06-30"})
    assert end.url == detail and not Person.objects.get(pk=person.pk).is_mobile
    refused = client.post(url, {**data, "place": ""})
    assert refused.status_code == 200 and "place" in refused.context["form"].errors


def test_another_hospitals_office_gets_404(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office", "B"))
    data = {"direction": "out", "on": "2025-02-01", "place": "外地"}
    assert client.post(reverse("people:mobile", args=[person.pk]), data).status_code == 404
    assert (
        client.post(
            reverse("people:mobile_end", args=[person.pk]), {"on": "2025-03-01"}
        ).status_code
        == 404
    )
    assert not MobileRegistration.objects.exists()
