"""A probationary member pays from the month the branch assembly admits them (RULES.md
§1). When the higher committee's approval is recorded after those months' bills were
generated, the missing bills are created then and the Party office is told."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.development.services import record_step
from dangjian.dues import services
from dangjian.dues.models import DuesBill
from tests.development.builders import S, advance, input_for, step_dates
from tests.development.builders import new_applicant as applicant
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
APPLIED = dt.date(2022, 11, 1)
DATES = step_dates(APPLIED)  # the assembly on 2024-02-19, the approval on 2024-03-30
FEB, MAR, APR = dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2024, 4, 1)


@pytest.fixture
def branch_with_bills(world):
    """A branch billing February and March, with a candidate voted in on 19 February
    whose approval is not yet recorded."""
    branch = world.ha_b1
    old_hand = make_member(branch, name="老党员")
    services.fix_base(old_hand, category="in_service", base="4500", effective_from=FEB)
    candidate = applicant(branch, name="新同志")
    advance(candidate, S.ASSEMBLY_VOTE, APPLIED)
    office = make_user("office-a", Role.OFFICE, world.ha)
    for month in (FEB, MAR):
        services.generate_bills(month, world.ha.path)
    return branch, candidate, office


def approve(candidate):
    for code in (S.COMMITTEE_TALK, S.APPROVAL):
        record_step(candidate, input_for(code, DATES[code]), today=DATES[code])


def test_the_months_already_billed_get_the_new_members_bills(branch_with_bills):
    branch, candidate, office = branch_with_bills
    services.fix_base(candidate, category="in_service", base="6000", effective_from=FEB)
    assert not DuesBill.objects.filter(person=candidate).exists()
    approve(candidate)
    bills = dict(DuesBill.objects.filter(person=candidate).values_list("month", "amount"))
    assert bills == {FEB: Decimal("90.00"), MAR: Decimal("90.00")}  # 1.5% of 6,000
    (notice,) = Notice.objects.filter(recipient=office, kind="dues_backfill")
    assert "新同志" in notice.title and "2024年02月、2024年03月" in notice.body
    # April's bills are generated as usual; nothing is billed twice.
    services.generate_bills(APR, branch.path)
    assert DuesBill.objects.filter(person=candidate).count() == 3


def test_without_a_base_the_office_is_told_to_fix_one(branch_with_bills):
    _branch, candidate, office = branch_with_bills
    approve(candidate)
    assert not DuesBill.objects.filter(person=candidate).exists()
    (notice,) = Notice.objects.filter(recipient=office, kind="dues_backfill")
    assert "尚未核定党费基数" in notice.title and "2 个月" in notice.title


def test_nothing_happens_when_no_month_was_billed_yet(world):
    candidate = applicant(world.ha_b1, name="新同志")
    advance(candidate, S.APPROVAL, APPLIED)
    assert not DuesBill.objects.exists()
    assert not Notice.objects.filter(kind="dues_backfill").exists()


def test_another_hospitals_office_hears_nothing(branch_with_bills, world):
    _branch, candidate, _office = branch_with_bills
    other = make_user("office-b", Role.OFFICE, world.hb)
    services.fix_base(candidate, category="in_service", base="6000", effective_from=FEB)
    approve(candidate)
    assert not Notice.objects.filter(recipient=other).exists()
