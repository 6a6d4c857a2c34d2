import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.dates import add_months
from dangjian.dashboard.stats import compute_stats
from dangjian.dues import services
from dangjian.dues.models import DuesBill
from dangjian.dues.queries import arrears, arrears_count, arrears_level, dues_figures
from tests.factories import make_member

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)


def _months(n, start=JAN):
    from dangjian.core.dates import add_months

    return [add_months(start, i) for i in range(n)]


@pytest.fixture
def hospital(two_hospitals):
    _, (ha, b1, _), _ = two_hospitals
    payer, late = make_member(b1, name="甲按时"), make_member(b1, name="乙欠交")
    for person in (payer, late):
        services.fix_base(person, category="in_service", base="4500", effective_from=JAN)
    for month in _months(8):
        services.generate_bills(month, ha.path)
    return ha, payer, late


def test_arrears_count_the_unpaid_months_that_have_ended(hospital):
    ha, payer, late = hospital
    for month in _months(7):
        services.record_payment(payer, [month], paid_on=month + dt.timedelta(days=9), method="cash")
    services.record_payment(late, [JAN], paid_on=dt.date(2024, 1, 10), method="cash")
    # As of 15 August: July has ended unpaid for `late`, February to July is 6 months.
    rows = {p.name: p.arrears_months for p in arrears(ha.path, dt.date(2024, 8, 15))}
    assert rows == {"乙欠交": 6}
    assert (
        arrears_level(6) == "handle" and arrears_level(3) == "remind" and arrears_level(2) is None
    )
    # As of 31 July, July is not owed yet: 5 months.
    assert arrears(ha.path, dt.date(2024, 7, 31)).get().arrears_months == 5


@pytest.mark.parametrize(
    "paid, day, months, first_unpaid",
    [
        # Owes February–July, pays the latest month: still 5 unpaid of the 6 ended.
        (["2024-01", "2024-07"], "2024-08-15", 5, "2024-02"),
        # Pays only August (early) and nothing before: all 7 ended months count.
        (["2024-08"], "2024-08-15", 7, "2024-01"),
        # A gap in the middle: January and April–May unpaid, the rest paid.
        (["2024-02", "2024-03", "2024-06", "2024-07"], "2024-08-15", 3, "2024-01"),
        # The boundary of the handle level: six unpaid months around a paid one.
        (["2024-04"], "2024-08-01", 6, "2024-01"),
        # Nothing ended yet on the 31st of January.
        ([], "2024-01-31", 0, None),
    ],
)
def test_every_unpaid_month_counts_whatever_was_paid_after_it(
    hospital, paid, day, months, first_unpaid
):
    ha, _payer, late = hospital
    bills = [dt.date.fromisoformat(f"{m}-01") for m in paid]
    if bills:
        services.record_payment(
            late, bills, paid_on=dt.date(2024, 8, 10), method="cash", make_up_approval="支部同意"
        )
    on = dt.date.fromisoformat(day)
    found = {p.pk: p for p in arrears(ha.path, on)}
    if months == 0:
        assert late.pk not in found
    else:
        assert found[late.pk].arrears_months == months
        assert f"{found[late.pk].first_unpaid:%Y-%m}" == first_unpaid
    assert arrears_count(ha.path, on) == len(found)


def test_an_exempt_month_is_not_arrears(hospital):
    ha, _payer, late = hospital
    DuesBill.objects.filter(person=late).update(amount=Decimal("0"))
    assert not arrears(ha.path, dt.date(2024, 8, 15)).filter(pk=late.pk).exists()


def test_dues_figures_collected_arrears_and_on_time(hospital):
    ha, payer, late = hospital
    services.record_payment(payer, [JAN], paid_on=dt.date(2024, 1, 31), method="cash")  # on time
    services.record_payment(
        payer, [dt.date(2024, 2, 1)], paid_on=dt.date(2024, 3, 1), method="cash"
    )
    figures = dues_figures(ha.path, JAN, dt.date(2024, 3, 15))
    # Months ended in the period: January and February, two members each: 4 bills, 1 on time.
    assert figures == {"collected": 90.0, "arrears_members": 1, "on_time_rate": 0.25}
    stats = compute_stats(ha, JAN, dt.date(2024, 3, 15))
    assert stats["dues"] == figures


def test_the_on_time_fact_is_kept_on_the_bill_as_the_payment_is_recorded(hospital):
    """The on-time rate counts a flag on the bill (no join with years of payments): it is
    set with the payment, in the same statement, and agrees with the payments' dates."""
    _ha, payer, late = hospital
    services.record_payment(payer, [JAN], paid_on=dt.date(2024, 1, 31), method="cash")
    services.record_payment(payer, _months(2, dt.date(2024, 2, 1)), paid_on=dt.date(2024, 3, 1),
                            method="cash")  # fmt: skip  # February late, March early
    flags = dict(DuesBill.objects.filter(person=payer, paid_by__isnull=False)
                 .values_list("month", "paid_on_time"))  # fmt: skip
    assert flags == {JAN: True, dt.date(2024, 2, 1): False, dt.date(2024, 3, 1): True}
    assert not DuesBill.objects.filter(person=late, paid_on_time=True).exists()
    from django.db.models import F

    by_join = DuesBill.objects.filter(paid_by__paid_on__lte=F("due_on")).count()
    assert DuesBill.objects.filter(paid_on_time=True).count() == by_join == 2


def test_the_bills_command_is_idempotent_and_reports_missing_bases(hospital, capsys):
    ha, _payer, _late = hospital
    call_command("dues-bills", "--month", "2024-09", "--org", ha.code)
    assert "新生成账单 2 张" in capsys.readouterr().out
    call_command("dues-bills", "--month", "2024-09", "--org", ha.code)
    assert "新生成账单 0 张" in capsys.readouterr().out
    make_member(ha)
    with pytest.raises(CommandError, match="1 名党员未核定党费基数"):
        call_command("dues-bills", "--month", "2024-10", "--org", ha.code)


def test_the_arrears_count_is_the_number_the_arrears_list_has(hospital):
    """arrears_count counts from the unsettled bills; arrears() walks every member's.
    They agree through unpaid months, payments, an old unpaid month followed by paid
    ones, and an exempt latest month."""
    ha, payer, late = hospital
    b1 = payer.organization
    exempt, paid_up = make_member(b1, name="丙免交"), make_member(b1, name="丁补齐")
    for person in (exempt, paid_up):
        services.fix_base(person, category="in_service", base="4500", effective_from=JAN)
    for month in _months(8):
        services.generate_bills(month, ha.path)
    services.record_payment(payer, _months(3), paid_on=dt.date(2024, 3, 20), method="cash")
    services.record_payment(paid_up, _months(1, dt.date(2024, 5, 1)), paid_on=dt.date(2024, 6, 2),
                            method="cash")  # fmt: skip
    DuesBill.objects.filter(person=exempt, month=dt.date(2024, 6, 1)).update(amount=Decimal("0"))
    for day in (JAN, dt.date(2024, 2, 1), dt.date(2024, 3, 31), dt.date(2024, 4, 1),
                dt.date(2024, 6, 15), dt.date(2024, 7, 1), dt.date(2024, 9, 30)):  # fmt: skip
        for path in (ha.path, b1.path):
            assert arrears_count(path, day) == arrears(path, day).count(), (path, day)
    # Mid-June (May the last month owed): 丁 paid May but owes January–April, so all four.
    assert arrears_count(ha.path, dt.date(2024, 6, 15)) == 4
    # July (June owed): 丙's exempt June settles June only; January–May stay unpaid.
    july = dt.date(2024, 7, 1)
    assert arrears_count(ha.path, july) == 4
    assert arrears(ha.path, july).get(pk=exempt.pk).arrears_months == 5
    assert arrears_count(ha.path, JAN) == 0


@given(
    start=st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)),
    days=st.integers(0, 800),
)
def test_whole_months_and_the_days_left_cover_a_period_exactly(start, days):
    """The collected figure adds the rollup's whole months to the payments of the days
    left over: together they cover the period, each day once."""
    from dangjian.dues.queries import whole_months

    end = start + dt.timedelta(days=days)
    months, rest = whole_months(start, end)
    covered = []
    if months is not None:
        first, last = months
        assert first.day == 1 and last.day == 1 and first <= last
        day = first
        while day < add_months(last, 1):
            covered.append(day)
            day += dt.timedelta(days=1)
    for a, b in rest:
        covered += [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    assert sorted(covered) == [start + dt.timedelta(days=i) for i in range(days + 1)]
    assert len(rest) <= 2
