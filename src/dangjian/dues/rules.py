"""Party dues rules of RULES.md §1 (中组发〔2008〕3号; 组电明字〔2017〕5号), encoded once as
data and versioned by the date they took effect. Pure functions; amounts are Decimal yuan.

A member's monthly amount is the whole base times the rate of the bracket the base falls
in (not a progressive tax), capped at 1,000 yuan, rounded half up to the fen (or, where a
hospital chooses, up to the whole yuan).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _


class DuesCategory(models.TextChoices):
    IN_SERVICE = "in_service", _("在职")
    RETIRED = "retired", _("离退休")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("失业")
    RELIEF = "relief", _("低保·救济")
    FARMER = "farmer", _("农民")


class Rounding(models.TextChoices):
    HALF_UP_FEN = "half_up_fen", _("四舍五入到分")
    UP_YUAN = "up_yuan", _("向上取整到元")


class DuesError(ValueError):
    """Bad input to the dues rules; the message is Chinese."""


@dataclass(frozen=True)
class Bracket:
    up_to: Decimal | None  # inclusive upper bound of the monthly base; None: no bound
    rate: Decimal


@dataclass(frozen=True)
class Ruleset:
    effective_from: dt.date
    in_service: tuple[Bracket, ...]
    retired: tuple[Bracket, ...]
    flat: Decimal  # students, unemployed, relief
    farmer_range: tuple[Decimal, Decimal]
    cap: Decimal


D = Decimal
RULESETS = (
    Ruleset(
        effective_from=dt.date(2008, 4, 1),
        in_service=(
            Bracket(D("3000"), D("0.005")),
            Bracket(D("5000"), D("0.01")),
            Bracket(D("10000"), D("0.015")),
            Bracket(None, D("0.02")),
        ),
        retired=(Bracket(D("5000"), D("0.005")), Bracket(None, D("0.01"))),
        flat=D("0.20"),
        farmer_range=(D("0.20"), D("1.00")),
        cap=D("1000.00"),
    ),
)
FLAT_CATEGORIES = (DuesCategory.STUDENT, DuesCategory.UNEMPLOYED, DuesCategory.RELIEF)

# Pay components (SPEC: 岗位工资 + 薪级工资 + 绩效工资 + 津贴补贴; hospitals count 基础性绩效
# in and 奖励性绩效 out). True: in the base; False: excluded.
PAY_COMPONENTS = {
    "岗位工资": True,
    "薪级工资": True,
    "基础性绩效": True,
    "津贴补贴": True,
    "奖励性绩效": False,
    "个人所得税": False,
    "养老保险": False,
    "医疗保险": False,
    "失业保险": False,
    "工伤保险": False,
    "生育保险": False,
    "住房公积金": False,
    "职业年金": False,
    "企业年金": False,
    "住房补贴": False,
    "交通补贴": False,
    "通讯补贴": False,
    "加班费": False,
    "误餐补贴": False,
}
MAKE_UP_MONTHS = 6  # make-up payments generally cover at most 6 months
ARREARS_REMIND_MONTHS = 3
ARREARS_HANDLE_MONTHS = 6  # 党章 第三十八条: regarded as having left; the assembly decides
# The member is reminded of the open month's unpaid bill on this day of the month: after
# the bills exist (the 1st) and the payroll has come (commonly before the 10th), with
# three weeks left to pay before the month ends and the bill counts as owed.
MONTH_REMIND_DAY = 10
PASS_UP_VOLUNTARY = D("1000")  # a one-off voluntary payment this large is passed up in full


def ruleset_on(day: dt.date) -> Ruleset:
    applicable = [r for r in RULESETS if r.effective_from <= day]
    if not applicable:
        raise DuesError(f"{day} 之前没有党费收缴规定")
    return applicable[-1]


def to_amount(value, what: str = "基数") -> Decimal:
    """A yuan amount from user input: numeric, not negative, at most two decimals."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise DuesError(f"{what}“{value}”不是有效的金额") from exc
    if not amount.is_finite():
        raise DuesError(f"{what}“{value}”不是有效的金额")
    if amount < 0:
        raise DuesError(f"{what}不能为负数")
    try:
        cents = amount.quantize(D("0.01"))
    except InvalidOperation as exc:  # too many digits to hold in cents (e.g. 1e999999)
        raise DuesError(f"{what}“{value}”不是有效的金额") from exc
    if amount != cents:
        raise DuesError(f"{what}最多保留两位小数")
    return amount


def base_from_components(components: dict[str, object]) -> Decimal:
    """The monthly base from named pay items: the included ones summed, the excluded
    ignored; an unknown item is refused so that nothing typed is silently dropped."""
    unknown = [name for name in components if name not in PAY_COMPONENTS]
    if unknown:
        raise DuesError(f"未知的工资项目：{'、'.join(unknown)}")
    total = sum(
        (to_amount(value, name) for name, value in components.items() if PAY_COMPONENTS[name]),
        D("0"),
    )
    return total


def rate_for(base: Decimal, brackets: tuple[Bracket, ...]) -> Decimal:
    for bracket in brackets:
        if bracket.up_to is None or base <= bracket.up_to:
            return bracket.rate
    raise AssertionError("the last bracket has no bound")  # pragma: no cover


def round_amount(amount: Decimal, rounding: str = Rounding.HALF_UP_FEN) -> Decimal:
    if rounding == Rounding.UP_YUAN:
        return amount.quantize(D("1"), rounding=ROUND_CEILING).quantize(D("0.01"))
    if rounding == Rounding.HALF_UP_FEN:
        return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    raise DuesError(f"未知的取整方式：{rounding}")


def monthly_amount(
    base,
    category: str,
    *,
    on: dt.date | None = None,
    rounding: str = Rounding.HALF_UP_FEN,
    farmer_amount=None,
) -> Decimal:
    """The monthly dues for a member of `category` with monthly `base` (yuan)."""
    if category not in DuesCategory.values:
        raise DuesError(f"未知的党费类别：{category}")
    rules = ruleset_on(on or dt.date.today())
    if category in FLAT_CATEGORIES:
        return rules.flat
    if category == DuesCategory.FARMER:
        amount = to_amount(farmer_amount if farmer_amount is not None else rules.farmer_range[0])
        low, high = rules.farmer_range
        if not low <= amount <= high:
            raise DuesError(f"农民党员每月交纳 {low}–{high} 元")
        return amount
    base = to_amount(base)
    brackets = rules.in_service if category == DuesCategory.IN_SERVICE else rules.retired
    amount = round_amount(base * rate_for(base, brackets), rounding)
    return min(amount, rules.cap)


# ---- reductions (RULES.md §1: member → branch committee → next level) -------------------
def check_reduced_amount(amount: Decimal, computed: Decimal) -> None:
    """A reduction or exemption only lowers the dues: its monthly amount must be below
    the amount computed from the member's base."""
    if amount >= computed:
        raise DuesError(
            f"少交后的每月金额 {amount} 元须低于按基数计算的应交金额 {computed} 元"
            "（少交或免交只能减少党费，不能增加）"
        )


def reduced_amount(computed: Decimal, reduction: Decimal) -> Decimal:
    """The month's bill under an approved reduction: never more than computed."""
    return min(computed, reduction)


def check_two_levels(branch_agreed_by, approver) -> None:
    """The branch committee's agreement and the next level's approval are two acts by
    two people: one account cannot pass both levels."""
    if branch_agreed_by is not None and approver is not None and branch_agreed_by == approver:
        raise DuesError("支部委员会同意与上级党委批准须由不同的人办理：您已在支部一级同意过本申请")
