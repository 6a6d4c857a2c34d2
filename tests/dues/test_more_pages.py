"""Reduction applications, voluntary payments and the reconciliation page: scoped
(another hospital's user gets 404), read-only roles get 403 on writes, refusals write
nothing and say why in Chinese, list pages keep their query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.dues import services
from dangjian.dues.models import DuesBill, DuesReduction, ReductionStatus, VoluntaryPayment
from dangjian.orgs.models import OrgKind
from tests.factories import add_org, make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
START = add_months(THIS_MONTH, -24)
TODAY = timezone.localdate()


def _member(org, base="4500", **person):
    member = make_member(org, **person)
    services.fix_base(member, category="in_service", base=base, effective_from=START)
    return member


def _apply(member, amount="0", reason="重病住院"):
    return services.apply_reduction(
        member, from_month=THIS_MONTH, to_month=add_months(THIS_MONTH, 5), amount=amount,
        reason=reason, applied_on=TODAY,
    )  # fmt: skip


# ---- reductions list -------------------------------------------------------------------
class TestReductionsPage(ScopedPageTest):
    expected_text = ("少交或免交党费申请", "重病住院", "本人申请", "支委会同意")

    def url(self, world):
        return reverse("dues:reductions") + f"?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            _apply(_member(world.ha_b1))


def test_the_list_shows_the_subtree_only_and_readers_get_no_buttons(client, world):
    _apply(_member(world.ha_b1, name="甲困难"))
    _apply(_member(world.hb_b1, name="丙外院"))
    client.force_login(world.user("auditor"))
    page = client.get(reverse("dues:reductions"), {"org": world.ha.code}).content.decode()
    assert "甲困难" in page and "丙外院" not in page
    assert "支委会同意" not in page and "不同意" not in page


# ---- a new application -----------------------------------------------------------------
def _reduction_data(**extra):
    return {
        "from_month": f"{THIS_MONTH:%Y-%m}",
        "to_month": f"{add_months(THIS_MONTH, 2):%Y-%m}",
        "amount": "0",
        "reason": "家庭生活困难",
        "applied_on": TODAY.isoformat(),
        **extra,
    }


def test_a_secretary_records_an_application(client, world):
    member = _member(world.ha_b1, name="乙申请")
    client.force_login(world.user("secretary"))
    url = reverse("dues:reduction_new", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _reduction_data(amount="5"))
    assert response.status_code == 302
    row = DuesReduction.objects.get()
    assert (row.person, row.status, row.amount, row.from_month) == (
        member, ReductionStatus.APPLIED, 5, THIS_MONTH,
    )  # fmt: skip
    assert "乙申请" in client.get(response["Location"]).content.decode()


def test_refused_applications_write_nothing(client, world):
    member = _member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("dues:reduction_new", args=[member.pk])
    backwards = client.post(url, _reduction_data(to_month=f"{add_months(THIS_MONTH, -1):%Y-%m}"))
    assert "截止月份不能早于起始月份" in backwards.content.decode()
    no_reason = client.post(url, _reduction_data(reason=""))
    assert "请填写少交或免交党费的事由" in no_reason.content.decode()
    bad_amount = client.post(url, _reduction_data(amount="abc"))
    assert "不是有效的金额" in bad_amount.content.decode()
    bad_month = client.post(url, _reduction_data(from_month="2024-13"))
    assert "格式应为 年-月" in bad_month.content.decode()
    assert not DuesReduction.objects.exists()


def test_applying_is_refused_to_readers_and_other_hospitals(client, world):
    member = _member(world.ha_b1)
    url = reverse("dues:reduction_new", args=[member.pk])
    client.force_login(world.user("auditor"))
    assert client.get(url).status_code == 403
    assert client.post(url, _reduction_data()).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, _reduction_data()).status_code == 404
    assert not DuesReduction.objects.exists()


# ---- deciding --------------------------------------------------------------------------
def test_branch_committee_agrees_then_the_next_level_approves_and_bills_follow(client, world):
    member = _member(world.ha_b1)
    reduction = _apply(member, amount="0")
    url = reverse("dues:reduction_decide", args=[reduction.pk])
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    assert client.post(url, {"decision": "agree"}).status_code == 302
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.BRANCH_AGREED and reduction.branch_agreed_on
    client.force_login(world.user("office"))
    page = client.post(url, {"decision": "agree"}, follow=True).content.decode()
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.APPROVED and "上级党委批准" in page
    done = client.post(url, {"decision": "refuse"}, follow=True).content.decode()
    assert "该申请已办结" in done
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.APPROVED
    services.generate_bills(THIS_MONTH, world.ha.path)
    bill = DuesBill.objects.get(person=member)
    assert bill.amount == 0 and bill.reduced


def test_one_account_cannot_pass_both_levels(client, world):
    """The office may write for the branch too; it agrees at the branch level and is
    then refused the next level's approval: two people, two acts (RULES.md §1)."""
    reduction = _apply(_member(world.ha_b1))
    client.force_login(world.user("office"))
    url = reverse("dues:reduction_decide", args=[reduction.pk])
    assert client.post(url, {"decision": "agree"}).status_code == 302
    page = client.post(url, {"decision": "agree"}, follow=True).content.decode()
    assert "须由不同的人办理" in page
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.BRANCH_AGREED and reduction.approved_by is None
    other_office = make_user("office-2", Role.OFFICE, world.ha)
    client.force_login(other_office)
    assert client.post(url, {"decision": "agree"}).status_code == 302
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.APPROVED
    assert reduction.approved_by == other_office


def test_a_branch_secretary_cannot_give_the_next_levels_approval(client, world):
    reduction = _apply(_member(world.ha_b1))
    branch_secretary = make_user("sec-b1", Role.SECRETARY, world.ha_b1)
    client.force_login(branch_secretary)
    url = reverse("dues:reduction_decide", args=[reduction.pk])
    assert client.post(url, {"decision": "agree"}).status_code == 302
    assert client.post(url, {"decision": "agree"}).status_code == 403
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.BRANCH_AGREED


def test_refusing_and_bad_decisions(client, world):
    reduction = _apply(_member(world.ha_b1))
    url = reverse("dues:reduction_decide", args=[reduction.pk])
    client.force_login(world.user("secretary"))
    page = client.post(url, {"decision": "maybe"}, follow=True).content.decode()
    assert "请选择同意或不同意" in page
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.APPLIED
    client.post(url, {"decision": "refuse"})
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.REJECTED


def test_deciding_is_refused_to_readers_other_hospitals_and_gets(client, world):
    reduction = _apply(_member(world.ha_b1))
    url = reverse("dues:reduction_decide", args=[reduction.pk])
    client.force_login(world.user("auditor"))
    assert client.post(url, {"decision": "agree"}).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.post(url, {"decision": "agree"}).status_code == 404
    client.force_login(world.user("office"))
    assert client.get(url).status_code == 405
    reduction.refresh_from_db()
    assert reduction.status == ReductionStatus.APPLIED


# ---- voluntary payments ----------------------------------------------------------------
def _voluntary_data(**extra):
    return {"kind": "special", "paid_on": TODAY.isoformat(), "amount": "1000", **extra}


def test_a_special_payment_of_1000_is_passed_up_in_full(client, world):
    member = _member(world.ha_b1)
    client.force_login(world.user("secretary"))
    url = reverse("dues:voluntary", args=[member.pk])
    page = client.post(url, _voluntary_data(), follow=True).content.decode()
    assert "全额上缴中央" in page and "特殊党费" in page and "1000.00" in page
    small = client.post(url, _voluntary_data(kind="extra", amount="200"), follow=True)
    assert "已登记" in small.content.decode()
    rows = dict(VoluntaryPayment.objects.values_list("amount", "pass_up_in_full"))
    assert rows == {1000: True, 200: False}


def test_refused_voluntary_payments_write_nothing(client, world):
    member = _member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("dues:voluntary", args=[member.pk])
    assert "金额须大于 0" in client.post(url, _voluntary_data(amount="0")).content.decode()
    assert "不是有效的金额" in client.post(url, _voluntary_data(amount="x")).content.decode()
    future = (TODAY + timezone.timedelta(days=3)).isoformat()
    later = client.post(url, _voluntary_data(paid_on=future)).content.decode()
    assert "交纳日期不能晚于今天" in later
    assert not VoluntaryPayment.objects.exists()


def test_voluntary_is_refused_to_readers_and_other_hospitals(client, world):
    member = _member(world.ha_b1)
    url = reverse("dues:voluntary", args=[member.pk])
    client.force_login(world.user("auditor"))
    assert client.post(url, _voluntary_data()).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, _voluntary_data()).status_code == 404
    assert not VoluntaryPayment.objects.exists()


# ---- reconciliation --------------------------------------------------------------------
class TestReconcilePage(ScopedPageTest):
    expected_text = ("党费对账", "合计", "应交人数", "导出收缴表")

    def url(self, world):
        return reverse("dues:reconcile") + (
            f"?org={world.ha.code}&year={THIS_MONTH.year}&month={THIS_MONTH.month}"
        )

    def grow(self, world, n):
        for _ in range(n):
            world.ha.refresh_from_db()
            count = DuesBill.objects.count() + VoluntaryPayment.objects.count()
            branch = add_org(world.ha, f"HAX{count}", OrgKind.BRANCH, f"加{count}党支部")
            member = _member(branch)
            services.generate_bills(THIS_MONTH, branch.path)
            services.record_voluntary(member, kind="extra", paid_on=TODAY, amount="10")


def test_reconcile_shows_each_branch_and_the_totals(client, world):
    paid = _member(world.ha_b1)
    _member(world.ha_b2)
    _member(world.hb_b1)
    services.generate_bills(THIS_MONTH, "")
    services.record_payment(paid, [THIS_MONTH], paid_on=TODAY, method="cash")
    services.record_voluntary(paid, kind="special", paid_on=TODAY, amount="1500")
    client.force_login(world.user("auditor"))
    params = {"org": world.ha.code, "year": THIS_MONTH.year, "month": THIS_MONTH.month}
    response = client.get(reverse("dues:reconcile"), params)
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert world.ha_b1.name in page and world.ha_b2.name in page and world.hb_b1.name not in page
    total = page.split("合计")[1]
    for text in ("90.00", "45.00", "1500.00"):
        assert text in total
    assert "上缴党费 45.00 元；全额上缴中央的自愿交纳 1500.00 元" in page
    export = reverse("dues:export") + f"?org={world.ha.code}&amp;year={THIS_MONTH.year}"
    assert export in page
    year_page = client.get(
        reverse("dues:reconcile"), {"org": world.ha.code, "year": THIS_MONTH.year}
    )
    assert f"{THIS_MONTH.year}年全年" in year_page.content.decode()


def test_reconcile_bad_period_says_so_and_members_cannot_open_it(client, world):
    client.force_login(world.user("office"))
    page = client.get(reverse("dues:reconcile"), {"org": world.ha.code, "month": "13"})
    assert page.status_code == 200 and "年度或月份不正确" in page.content.decode()
    client.force_login(world.user("office", "B"))
    assert client.get(reverse("dues:reconcile"), {"org": world.ha.code}).status_code == 404
