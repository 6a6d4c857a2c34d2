"""流动党员: registering a member who takes part in Party life elsewhere (流出) or here from
another organisation (流入), and ending it when they return. One open registration per
person; `Person.is_mobile` follows it in the same transaction."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit

from .models import MEMBER_STATUSES, MobileDirection, MobileRegistration, Person
from .queries import open_status_period
from .services import PeopleError


@transaction.atomic
def register_mobile(
    person: Person, direction: str, on: dt.date, *, place: str, certificate_number: str = "",
    note: str = "", by=None,
) -> MobileRegistration:  # fmt: skip
    person = Person.objects.select_for_update().get(pk=person.pk)
    if direction not in MobileDirection.values:
        raise PeopleError("请选择流动方向（流出或流入）")
    if not place.strip():
        raise PeopleError("请填写外出地点或参加活动的党组织")
    if on > timezone.localdate():
        raise PeopleError("开始日期不能晚于今天")
    current = open_status_period(person)
    if current is None or current.status not in MEMBER_STATUSES:
        raise PeopleError(f"{person.name} 不是党员，不能登记为流动党员")
    if MobileRegistration.objects.filter(person=person, ended_on__isnull=True).exists():
        raise PeopleError(f"{person.name} 已登记为流动党员，请先登记返回")
    registration = MobileRegistration.objects.create(
        person=person, direction=direction, started_on=on, place=place.strip()[:200],
        certificate_number=certificate_number.strip()[:50], note=note.strip()[:200],
    )  # fmt: skip
    person.is_mobile = True
    person.save(update_fields=["is_mobile", "updated_at"])
    audit.record(
        "person.mobile",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"direction": direction, "on": on, "place": registration.place},
    )
    return registration


@transaction.atomic
def end_mobile(person: Person, on: dt.date, *, by=None) -> MobileRegistration:
    """The member is back (or no longer takes part here): the registration ends on `on`."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    registration = MobileRegistration.objects.filter(person=person, ended_on__isnull=True).first()
    if registration is None:
        raise PeopleError(f"{person.name} 没有未结束的流动党员登记")
    if on < registration.started_on:
        raise PeopleError(f"结束日期不能早于开始日期 {registration.started_on.isoformat()}")
    if on > timezone.localdate():
        raise PeopleError("结束日期不能晚于今天")
    registration.ended_on = on
    registration.save(update_fields=["ended_on"])
    person.is_mobile = False
    person.save(update_fields=["is_mobile", "updated_at"])
    audit.record(
        "person.mobile_end",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"on": on},
    )
    return registration
