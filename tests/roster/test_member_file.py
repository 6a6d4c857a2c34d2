"""The member's file page (党员档案, issue 16): every record of the person across the apps
— standing, relations and transfers, posts, development, dues by year, study by year,
organisational life — for whoever may read the person; another hospital's user gets
404, and the query count does not grow with the person's history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.dues.models import DuesBill
from dangjian.meetings.models import Study, StudyKind
from dangjian.people.models import Person
from dangjian.people.transfers import accept_transfer, start_transfer
from tests.factories import make_member
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db


def _person(world) -> Person:
    person = Person.objects.filter(name="档案示例").first()
    return person or make_member(world.ha_b1, name="档案示例")


class TestMemberFile(ScopedPageTest):
    expected_text = ("党员档案", "档案示例", "政治面貌历程", "党费（按年）")

    def url(self, world):
        return reverse("roster:member_file", args=[_person(world).pk])

    def grow(self, world, n):
        person = _person(world)
        start = DuesBill.objects.filter(person=person).count()
        for i in range(start, start + n):
            month = dt.date(2020 + i // 12, i % 12 + 1, 1)
            DuesBill.objects.create(person=person, organization=world.ha_b1, month=month,
                                    due_on=month, category="in_service", amount=Decimal("10"))  # fmt: skip
            Study.objects.create(person=person, kind=StudyKind.SELF_STUDY, title=f"学习{i}",
                                 studied_on=month, hours=Decimal("2"))  # fmt: skip


def test_the_file_sums_dues_and_study_by_year_and_follows_a_transfer(client, world):
    person = _person(world)
    for month in (1, 2, 3):
        DuesBill.objects.create(person=person, organization=world.ha_b1, month=dt.date(2024, month, 1),
                                due_on=dt.date(2024, month, 28), category="in_service",
                                amount=Decimal("12.50"))  # fmt: skip
    Study.objects.create(person=person, kind=StudyKind.SELF_STUDY, title="党章",
                         studied_on=dt.date(2024, 5, 1), hours=Decimal("3.5"))  # fmt: skip
    accept_transfer(start_transfer(person, world.hb_b1, dt.date(2025, 1, 2)))
    client.force_login(world.user("office", "B"))  # the new hospital reads the whole file
    response = client.get(reverse("roster:member_file", args=[person.pk]))
    file = response.context["file"]
    assert [(y["year"], y["months"], y["due"], y["unpaid_months"]) for y in file.dues_years] == [
        (2024, 3, Decimal("37.50"), 3)
    ]
    assert [(y["year"], y["hours"]) for y in file.study_years] == [(2024, Decimal("3.5"))]
    assert [m.organization.code for m in file.memberships] == ["HA-B1", "HB-B1"]
    assert "HA心内科党支部" in response.content.decode()
    client.force_login(world.user("office"))  # the old hospital no longer reads it
    assert client.get(reverse("roster:member_file", args=[person.pk])).status_code == 404


def test_the_member_page_links_to_the_file(client, world):
    person = _person(world)
    client.force_login(world.user("office"))
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("roster:member_file", args=[person.pk]) in page
