"""A member's points (SPEC.md §4b): `GET /points/members/{id}[?year=]` answers
{"total", "items": [{"points", "rule", "source", "on"}]}; every item names its record
(type and id) or the adjustment's reason and approver; total = the sum of the items.
Same scope as the member's page: a member reads their own, anyone else 404."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema

from dangjian.people.models import Person
from dangjian.points.queries import member_points
from dangjian.points.services import rules_for

from .routing import ApiRouter
from .schemas import Id

router = ApiRouter(tags=["points"])
Year = Annotated[int, Field(ge=2000, le=2100)]


class PointItemOut(Schema):
    points: Decimal
    rule: str
    source: str
    source_type: str
    source_id: int
    on: dt.date


class MemberPointsOut(Schema):
    person: int
    year: int
    total: Decimal
    items: list[PointItemOut]


@router.get("/points/members/{person_id}", response=MemberPointsOut)
def points_of_member(request, person_id: Id, year: Year | None = None):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=person_id
    )
    year = year or timezone.localdate().year
    result = member_points(person, year, rules_for(person.organization, year))
    return {"person": person.pk, "year": year, **result}
