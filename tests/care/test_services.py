"""Care services and figures: one open entry per member, amounts never negative,
refusals in Chinese that write nothing, and figures by database aggregation for the
hospital and each branch."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.care import queries, services
from dangjian.care.models import CareCase, CareVisit, CaseStatus
from dangjian.care.services import CareError, CaseInput, VisitInput
from dangjian.core.models import AuditEntry
from dangjian.people.models import Status
from tests.factories import make_member

from .builders import TODAY, a_case, a_visit

pytestmark = pytest.mark.django_db


def test_one_open_entry_per_member(world):
    case = a_case(world.ha_b1)
    with pytest.raises(CareError, match="已在困难党员名册中"):
        a_case(world.ha_b1, person=case.person)
    assert CareCase.objects.count() == 1
    services.resolve_case(case, TODAY)
    again = a_case(world.ha_b1, person=case.person, hardship="disaster")
    assert again.status == CaseStatus.HELPING


def test_only_members_enter_the_register(world):
    activist = make_member(world.ha_b1, status=Status.ACTIVIST)
    with pytest.raises(CareError, match="不是党员"):
        a_case(world.ha_b1, person=activist)
    assert not CareCase.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "-50", "金额不能为负数"),
        ("amount", "五百", "不是数字"),
        ("visited_on", TODAY + dt.timedelta(days=3), "不能晚于今天"),
        ("visitors", "  ", "请填写慰问人"),
        ("reason", "hardship", "不在困难党员名册中"),
        ("reason", "birthday", "未知的慰问事由"),
    ],
)
def test_bad_visit_changes_nothing(world, field, value, message):
    person = make_member(world.ha_b1)
    data = VisitInput(visited_on=TODAY, reason="hospitalized", form="goods", visitors="支部书记",
                      amount="200")  # fmt: skip
    setattr(data, field, value)
    with pytest.raises(CareError, match=message):
        services.record_visit(person, data)
    assert not CareVisit.objects.exists()
    assert not AuditEntry.objects.filter(action="care.visit").exists()


def test_a_cash_visit_needs_an_amount(world):
    with pytest.raises(CareError, match="慰问金须填写金额"):
        a_visit(make_member(world.ha_b1), form="cash", amount="0")
    visit = a_visit(make_member(world.ha_b1), form="visit", amount="")
    assert visit.amount == Decimal("0.00")


def test_help_to_a_member_in_the_register_goes_through_their_entry(world):
    case = a_case(world.ha_b1)
    visit = a_visit(case.person, reason="july_first", amount="800")
    assert visit.case == case
    plain = a_visit(make_member(world.ha_b1), reason="old_member")
    assert plain.case is None
    entry = AuditEntry.objects.get(action="care.visit", object_id=str(visit.pk))
    assert entry.summary["amount"] == "800.00"


def test_the_audit_entry_does_not_repeat_the_situation(world):
    case = a_case(world.ha_b1)
    services.update_case(case, CaseInput("living", "子女上学，家庭支出大", case.since))
    entries = AuditEntry.objects.filter(action__startswith="care.case")
    assert "住院" not in str([e.summary for e in entries])
    assert "子女" not in str([e.summary for e in entries])


def test_resolving_before_the_entry_is_refused(world):
    case = a_case(world.ha_b1, since=TODAY - dt.timedelta(days=10))
    with pytest.raises(CareError, match="不能早于登记日期"):
        services.resolve_case(case, TODAY - dt.timedelta(days=20))
    case.refresh_from_db()
    assert case.status == CaseStatus.HELPING


def _figures_world(world):
    year = TODAY.year
    sick = a_case(world.ha_b1)
    a_visit(sick.person, reason="hardship", amount="1000")
    a_visit(sick.person, reason="july_first", amount="500")
    a_visit(sick.person, reason="hardship", amount="300", on=dt.date(year - 1, 12, 1))
    resolved = a_case(world.ha_b2, since=dt.date(year - 1, 3, 1))
    a_visit(resolved.person, reason="spring_festival", form="goods", amount="200")
    services.resolve_case(resolved, TODAY)
    old = make_member(world.ha_b2)
    a_visit(old, reason="old_member", form="visit", amount="0")
    a_visit(old, reason="july_first", amount="300")
    a_visit(a_case(world.hb_b1).person, reason="hardship", amount="9999")  # hospital B
    return year


def test_figures_for_the_hospital_and_each_branch(world):
    year = _figures_world(world)
    office = world.user(Role.OFFICE, "A")
    found = queries.figures(office, world.ha, year)
    total = found["total"]
    assert total["in_register"] == 1
    assert total["helped"] == 2  # the sick member and the one since resolved
    assert total["visits"] == 5
    assert total["july_first"] == 2
    assert total["amount"] == Decimal("2000.00")
    assert total["reason_hardship"] == 1 and total["reason_old_member"] == 1
    branches = {branch.code: row for branch, row in found["branches"]}
    assert branches[world.ha_b1.code]["amount"] == Decimal("1500.00")
    assert branches[world.ha_b2.code]["in_register"] == 0
    assert branches[world.ha_b2.code]["visits"] == 3
    last_year = queries.figures(office, world.ha, year - 1)["total"]
    assert (last_year["visits"], last_year["amount"]) == (1, Decimal("300.00"))


def test_figures_take_the_same_queries_as_data_grows(world):
    year = TODAY.year
    office = world.user(Role.OFFICE, "A")
    a_visit(a_case(world.ha_b1).person, reason="hardship")
    queries.figures(office, world.ha, year)
    with CaptureQueriesContext(connection) as few:
        queries.figures(office, world.ha, year)
    for _ in range(4):
        a_visit(a_case(world.ha_b2).person, reason="july_first")
    with CaptureQueriesContext(connection) as more:
        queries.figures(office, world.ha, year)
    assert len(few.captured_queries) == len(more.captured_queries)


def test_scope_of_the_register(world):
    a_case(world.ha_b1)
    a_case(world.ha_b2)
    from tests.factories import make_user

    secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    assert CareCase.objects.visible_to(secretary).count() == 1
    assert CareCase.objects.visible_to(world.user(Role.OFFICE, "A")).count() == 2
    for role, hospital in [(Role.OFFICE, "B"), (Role.GUIDANCE, "CITY"), (Role.MEMBER, "A"),
                           (Role.AUDITOR, "A")]:  # fmt: skip
        assert not CareCase.objects.visible_to(world.user(role, hospital)).exists()
