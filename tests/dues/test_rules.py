"""RULES.md §1 at every bracket boundary, the cap, rounding and bad input; and the
property that an amount is never negative, never above the cap and never falls as the
base grows within a category."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.dues.rules import (
    DuesError,
    Rounding,
    base_from_components,
    check_reduced_amount,
    check_two_levels,
    monthly_amount,
    reduced_amount,
    to_amount,
)

D = Decimal


@pytest.mark.parametrize(
    ("base", "amount"),
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),
        ("3000.00", "15.00"),  # 0.5%
        ("3000.01", "30.00"),  # 1%
        ("4500", "45.00"),
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),  # 1.5%
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),  # 2%
        ("49999.99", "1000.00"),
        ("50000.00", "1000.00"),  # the cap reached exactly
        ("50000.01", "1000.00"),
        ("120000", "1000.00"),
    ],
)
def test_in_service_brackets(base, amount):
    assert monthly_amount(base, "in_service") == D(amount)


@pytest.mark.parametrize(
    ("base", "amount"),
    [("3000", "15.00"), ("5000.00", "25.00"), ("5000.01", "50.00"), ("8000", "80.00")],
)
def test_retired_brackets(base, amount):
    assert monthly_amount(base, "retired") == D(amount)


@pytest.mark.parametrize("category", ["student", "unemployed", "relief"])
def test_flat_categories_pay_twenty_fen_whatever_the_base(category):
    assert monthly_amount("0", category) == D("0.20")
    assert monthly_amount("9000", category) == D("0.20")


@pytest.mark.parametrize(
    ("amount", "ok"), [("0.19", False), ("0.20", True), ("1.00", True), ("1.01", False)]
)
def test_farmers_pay_twenty_fen_to_one_yuan(amount, ok):
    if ok:
        assert monthly_amount("0", "farmer", farmer_amount=amount) == D(amount)
    else:
        with pytest.raises(DuesError, match="0.20–1.00"):
            monthly_amount("0", "farmer", farmer_amount=amount)


@pytest.mark.parametrize(
    ("base", "half_up", "up_yuan"),
    [
        ("3333.33", "33.33", "34.00"),
        ("3333.50", "33.34", "34.00"),
        ("1001", "5.01", "6.00"),
        ("6000", "90.00", "90.00"),
    ],
)
def test_rounding_half_up_to_the_fen_or_up_to_the_yuan(base, half_up, up_yuan):
    assert monthly_amount(base, "in_service") == D(half_up)
    assert monthly_amount(base, "in_service", rounding=Rounding.UP_YUAN) == D(up_yuan)


@pytest.mark.parametrize(
    ("base", "category", "message"),
    [
        ("-1", "in_service", "不能为负数"),
        ("abc", "in_service", "不是有效的金额"),
        ("nan", "in_service", "不是有效的金额"),
        ("12.345", "in_service", "两位小数"),
        ("4500", "pensioner", "未知的党费类别"),
    ],
)
def test_bad_input_is_refused(base, category, message):
    with pytest.raises(DuesError, match=message):
        monthly_amount(base, category)


def test_the_base_counts_basic_performance_pay_but_not_the_bonus_or_deductions():
    base = base_from_components(
        {
            "岗位工资": "2800",
            "薪级工资": "1200.50",
            "基础性绩效": "1500",
            "津贴补贴": "300",
            "奖励性绩效": "4000",
            "住房公积金": "900",
            "个人所得税": "210",
        }
    )
    assert base == D("5800.50")
    with pytest.raises(DuesError, match="未知的工资项目：年终奖"):
        base_from_components({"岗位工资": "2800", "年终奖": "10000"})


def test_amounts_parse_with_thousands_separators():
    assert to_amount("4,500.00") == D("4500.00")


bases = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)


@given(st.sampled_from(["in_service", "retired"]), bases, bases, st.sampled_from(list(Rounding)))
def test_amount_is_bounded_and_never_falls_as_the_base_grows(category, a, b, rounding):
    low, high = sorted((a, b))
    small = monthly_amount(low, category, rounding=rounding)
    large = monthly_amount(high, category, rounding=rounding)
    assert D("0") <= small <= large <= D("1000")


# ---- reductions (RULES.md §1) -----------------------------------------------------------
@pytest.mark.parametrize(
    "amount, computed, allowed",
    [
        ("0", "45.00", True),  # exemption
        ("44.99", "45.00", True),  # one fen less
        ("45.00", "45.00", False),  # the same amount is no reduction
        ("45.01", "45.00", False),  # more than computed: refused
        ("0.20", "0.20", False),  # a flat category cannot be "reduced" to itself
        ("0", "0.20", True),
    ],
)
def test_a_reduction_only_lowers_the_amount(amount, computed, allowed):
    if allowed:
        check_reduced_amount(D(amount), D(computed))
    else:
        with pytest.raises(DuesError, match="须低于按基数计算的应交金额"):
            check_reduced_amount(D(amount), D(computed))


@pytest.mark.parametrize(
    "computed, reduction, bill",
    [("45.00", "10.00", "10.00"), ("10.00", "30.00", "10.00"), ("0.20", "0", "0")],
)
def test_a_reduced_bill_is_never_more_than_computed(computed, reduction, bill):
    assert reduced_amount(D(computed), D(reduction)) == D(bill)


@pytest.mark.parametrize(
    "agreed_by, approver, allowed",
    [("甲", "乙", True), ("甲", "甲", False), (None, "甲", True), ("甲", None, True)],
)
def test_the_two_levels_are_two_people(agreed_by, approver, allowed):
    if allowed:
        check_two_levels(agreed_by, approver)
    else:
        with pytest.raises(DuesError, match="须由不同的人办理"):
            check_two_levels(agreed_by, approver)
