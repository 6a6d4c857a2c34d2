"""Bases, bills (idempotent, probationary from admission, reductions only when
approved), payments (several months, make-up limit, no double payment, even from two
clerks at once) and voluntary payments."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from dangjian.dues import services
from dangjian.dues.models import DuesBill, DuesPayment, ReductionStatus
from dangjian.dues.rules import DuesError
from dangjian.people.models import Status
from tests.factories import make_member

D = Decimal
JAN = dt.date(2024, 1, 1)


def _member(org, base="4500", category="in_service", **kwargs):
    person = make_member(org, **kwargs)
    services.fix_base(person, category=category, base=base, effective_from=JAN)
    return person


def _bills(path, *months):
    for month in months:
        services.generate_bills(month, path)


@pytest.fixture
def branch(two_hospitals):
    _, (_, b1, _), _ = two_hospitals
    return b1


@pytest.mark.django_db
def test_bills_are_generated_once_with_the_computed_amount(branch):
    person = _member(branch)
    assert services.generate_bills(JAN, branch.path) == (1, [])
    assert services.generate_bills(JAN, branch.path) == (0, [])
    bill = DuesBill.objects.get()
    assert (bill.person, bill.month, bill.amount, bill.base) == (
        person,
        JAN,
        D("45.00"),
        D("4500.00"),
    )


@pytest.mark.django_db
def test_a_member_without_a_base_is_reported_not_billed(branch):
    person = make_member(branch)
    assert services.generate_bills(JAN, branch.path) == (0, [person.pk])


@pytest.mark.django_db
def test_probationary_members_pay_from_the_admission_month(branch):
    person = _member(branch, status=Status.PROBATIONARY, since=dt.date(2024, 3, 20))
    _bills(branch.path, JAN, dt.date(2024, 2, 1), dt.date(2024, 3, 1))
    assert list(DuesBill.objects.filter(person=person).values_list("month", flat=True)) == [
        dt.date(2024, 3, 1)
    ]


@pytest.mark.django_db
def test_a_re_fixed_base_applies_from_its_month(branch):
    person = _member(branch, base="4500")
    services.fix_base(
        person, category="in_service", effective_from=dt.date(2024, 7, 15),
        components={"岗位工资": "3000", "基础性绩效": "3000", "奖励性绩效": "5000"},
        pay_changed_on=dt.date(2024, 7, 15),
    )  # fmt: skip
    _bills(branch.path, dt.date(2024, 6, 1), dt.date(2024, 7, 1))
    amounts = dict(DuesBill.objects.values_list("month", "amount"))
    assert amounts == {dt.date(2024, 6, 1): D("45.00"), dt.date(2024, 7, 1): D("90.00")}


@pytest.mark.django_db
def test_a_reduction_applies_only_once_approved_by_both_levels(branch):
    person = _member(branch)
    reduction = services.apply_reduction(
        person, from_month=JAN, to_month=dt.date(2024, 12, 1), amount="0",
        reason="示例：家庭困难", applied_on=dt.date(2023, 12, 1),
    )  # fmt: skip
    services.advance_reduction(reduction, agree=True, on=dt.date(2023, 12, 5))
    _bills(branch.path, JAN)
    assert DuesBill.objects.get(month=JAN).amount == D("45.00")  # branch agreed only
    reduction = services.advance_reduction(reduction, agree=True, on=dt.date(2024, 1, 20))
    assert reduction.status == ReductionStatus.APPROVED
    _bills(branch.path, dt.date(2024, 2, 1))
    bill = DuesBill.objects.get(month=dt.date(2024, 2, 1))
    assert bill.amount == D("0.00") and bill.reduced


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount, refused",
    [
        ("0", None),
        ("44.99", None),
        ("45", "须低于按基数计算的应交金额 45.00 元"),
        ("60", "不能增加"),
    ],
)
def test_a_reduction_may_only_lower_the_amount(branch, amount, refused):
    from dangjian.dues.models import DuesReduction

    person = _member(branch)  # 4,500 yuan in service: 45.00 a month
    apply = lambda: services.apply_reduction(  # noqa: E731
        person, from_month=JAN, to_month=dt.date(2024, 6, 1), amount=amount,
        reason="示例：家庭困难", applied_on=dt.date(2023, 12, 1),
    )  # fmt: skip
    if refused:
        with pytest.raises(DuesError, match=refused):
            apply()
        assert not DuesReduction.objects.exists()
    else:
        assert apply().amount == D(amount)


@pytest.mark.django_db
def test_a_reduction_is_checked_against_every_base_in_its_range(branch):
    person = _member(branch)  # 45.00 from January
    services.fix_base(
        person, category="in_service", base="2000", effective_from=dt.date(2024, 7, 1)
    )
    with pytest.raises(DuesError, match="应交金额 10.00 元"):  # 0.5% of 2,000 from July
        services.apply_reduction(
            person, from_month=JAN, to_month=dt.date(2024, 12, 1), amount="20",
            reason="示例：家庭困难", applied_on=dt.date(2023, 12, 1),
        )  # fmt: skip
    stranger = make_member(branch)  # no base fixed
    with pytest.raises(DuesError, match="尚未核定 2024年01月 的党费基数"):
        services.apply_reduction(
            stranger, from_month=JAN, to_month=JAN, amount="0", reason="示例",
            applied_on=dt.date(2023, 12, 1),
        )  # fmt: skip


@pytest.mark.django_db
def test_a_base_lowered_after_approval_never_lets_a_reduction_raise_the_bill(branch):
    person = _member(branch)
    reduction = services.apply_reduction(
        person, from_month=JAN, to_month=dt.date(2024, 12, 1), amount="30",
        reason="示例：家庭困难", applied_on=dt.date(2023, 12, 1),
    )  # fmt: skip
    services.advance_reduction(reduction, agree=True, on=dt.date(2023, 12, 5))
    services.advance_reduction(reduction, agree=True, on=dt.date(2023, 12, 9))
    services.fix_base(
        person, category="in_service", base="2000", effective_from=dt.date(2024, 7, 1)
    )
    _bills(branch.path, JAN, dt.date(2024, 7, 1))
    amounts = dict(DuesBill.objects.values_list("month", "amount"))
    assert amounts == {JAN: D("30.00"), dt.date(2024, 7, 1): D("10.00")}


@pytest.mark.django_db
def test_one_person_cannot_agree_and_approve(branch):
    from tests.factories import make_user

    person = _member(branch)
    clerk = make_user("clerk")
    reduction = services.apply_reduction(
        person, from_month=JAN, to_month=JAN, amount="0", reason="示例",
        applied_on=dt.date(2023, 12, 1),
    )  # fmt: skip
    services.advance_reduction(reduction, agree=True, on=dt.date(2023, 12, 5), by=clerk)
    with pytest.raises(DuesError, match="须由不同的人办理"):
        services.advance_reduction(reduction, agree=True, on=dt.date(2023, 12, 6), by=clerk)
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.BRANCH_AGREED


@pytest.mark.django_db
def test_several_months_paid_at_once_and_never_twice(branch):
    person = _member(branch)
    months = [dt.date(2024, m, 1) for m in (1, 2, 3)]
    _bills(branch.path, *months)
    payment = services.record_payment(person, months, paid_on=dt.date(2024, 3, 10), method="cash")
    assert payment.total == D("135.00") and payment.bills.count() == 3
    with pytest.raises(DuesError, match="已交纳：2024年02月"):
        services.record_payment(person, months[1:2], paid_on=dt.date(2024, 3, 11), method="cash")
    assert DuesPayment.objects.count() == 1


@pytest.mark.django_db
def test_make_up_beyond_six_months_needs_an_approval(branch):
    person = _member(branch)
    months = [dt.date(2024, m, 1) for m in range(1, 9)]
    _bills(branch.path, *months)
    paid_on = dt.date(2024, 8, 10)
    with pytest.raises(DuesError, match="不超过 6 个月"):
        services.record_payment(person, months[:2], paid_on=paid_on, method="cash")
    assert (
        services.record_payment(person, months[2:], paid_on=paid_on, method="cash").bills.count()
        == 6
    )
    approved = services.record_payment(
        person, months[:2], paid_on=paid_on, method="cash", make_up_approval="支委会同意补交"
    )
    assert approved.bills.count() == 2


@pytest.mark.django_db
def test_refusals_write_nothing(branch):
    person = _member(branch)
    _bills(branch.path, JAN)
    cases = [
        ({"months": [dt.date(2024, 2, 1)]}, "预交党费"),
        ({"months": [dt.date(2024, 2, 1)], "paid_on": dt.date(2024, 2, 3)}, "尚无党费账单"),
        ({"months": [JAN], "handed_in_by": "示例家属"}, "须经支部同意"),
        ({"months": [JAN], "method": "cheque"}, "未知的交纳方式"),
    ]
    for overrides, message in cases:
        kwargs = {"paid_on": dt.date(2024, 1, 10), "method": "cash"} | overrides
        months = kwargs.pop("months")
        with pytest.raises(DuesError, match=message):
            services.record_payment(person, months, **kwargs)
    assert not DuesPayment.objects.exists()


@pytest.mark.django_db
def test_voluntary_payments_of_a_thousand_are_passed_up_in_full(branch):
    person = _member(branch)
    small = services.record_voluntary(person, kind="special", paid_on=JAN, amount="999.99")
    large = services.record_voluntary(person, kind="special", paid_on=JAN, amount="1000")
    assert (small.pass_up_in_full, large.pass_up_in_full) == (False, True)
    with pytest.raises(DuesError):
        services.record_voluntary(person, kind="special", paid_on=JAN, amount="-5")


@pytest.mark.django_db(transaction=True)
def test_two_clerks_recording_the_same_month_at_once_make_one_payment(two_hospitals):
    """Two threads, two database connections, one bill: exactly one payment lands."""
    _, (_, branch, _), _ = two_hospitals
    person = _member(branch)
    _bills(branch.path, JAN)
    start = threading.Barrier(2)
    outcomes = []

    def clerk():
        try:
            start.wait()
            services.record_payment(person, [JAN], paid_on=dt.date(2024, 1, 10), method="cash")
            outcomes.append("paid")
        except DuesError as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # e.g. a lock timeout: recorded so the test shows it
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("paid") == 1, outcomes
    assert "已交纳" in next(o for o in outcomes if o != "paid"), outcomes
    assert DuesPayment.objects.count() == 1
    assert DuesBill.objects.get().paid_by_id == DuesPayment.objects.get().pk


@pytest.mark.django_db
def test_a_hospital_chooses_rounding_and_advance_payment(two_hospitals):
    from dangjian.dues.models import DuesSettings

    _, (ha, branch, _), (hb, other, _) = two_hospitals
    DuesSettings.objects.create(organization=ha, rounding="up_yuan", allow_advance=True)
    here = _member(branch, base="3333.33")
    there = _member(other, base="3333.33")
    _bills("", JAN, dt.date(2024, 2, 1))
    amounts = dict(DuesBill.objects.filter(month=JAN).values_list("person", "amount"))
    assert amounts == {here.pk: D("34.00"), there.pk: D("33.33")}
    paid = services.record_payment(
        here, [JAN, dt.date(2024, 2, 1)], paid_on=dt.date(2024, 1, 5), method="cash"
    )
    assert paid.total == D("68.00")
    with pytest.raises(DuesError, match="预交"):
        services.record_payment(
            there, [dt.date(2024, 2, 1)], paid_on=dt.date(2024, 1, 5), method="cash"
        )
