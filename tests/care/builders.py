"""Builders for the care tests: a register entry and visits."""

import datetime as dt

from django.utils import timezone

from dangjian.care import services
from dangjian.care.services import CaseInput, VisitInput
from tests.factories import make_member

TODAY = timezone.localdate()


def a_case(org, *, person=None, hardship="illness", since=None):
    person = person or make_member(org)
    data = CaseInput(hardship, "配偶长期住院，家庭收入减少", since or TODAY - dt.timedelta(days=30))
    return services.open_case(person, data)


def a_visit(person, *, reason="old_member", form="cash", amount="500", on=None):
    data = VisitInput(visited_on=on or TODAY, reason=reason, form=form,
                      visitors="党委书记、支部书记", amount=amount)  # fmt: skip
    return services.record_visit(person, data)
