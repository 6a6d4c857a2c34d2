"""Dues pages: the calculator, a member's own dues, a month of bills, recording a
payment, arrears and fixing a base. Scoped (another hospital's user gets 404), read-only
roles get 403 on writes, refusals write nothing, list pages keep their query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.dues import services
from dangjian.dues.models import DuesBase, DuesBill, DuesPayment
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)
START = add_months(THIS_MONTH, -24)


def month_ago(n: int) -> dt.date:
    return add_months(THIS_MONTH, -n)


def _member(org, base="4500", **person):
    member = make_member(org, **person)
    services.fix_base(member, category="in_service", base=base, effective_from=START)
    return member


def _bill(org, *months):
    for month in months:
        services.generate_bills(month, org.path)


# ---- calculator ------------------------------------------------------------------------
def test_the_calculator_shows_the_amount_or_the_reason(client, world):
    client.force_login(world.user("auditor", "B"))
    url = reverse("dues:calc")
    page = client.get(url, {"base": "4500", "category": "in_service"}).content.decode()
    assert "45.00" in page
    page = client.get(url, {"base": "-1", "category": "in_service"}).content.decode()
    assert "不能为负数" in page
    page = client.get(url, {"base": "abc", "category": "retired"}).content.decode()
    assert "不是有效的金额" in page
    assert "0.20" in client.get(url, {"category": "student"}).content.decode()
    assert client.get(url).status_code == 200


def test_the_calculator_rounds_as_the_members_hospital_rounds(client, world):
    from dangjian.dues.models import DuesSettings

    DuesSettings.objects.create(organization=world.ha, rounding="up_yuan")
    member = make_member(world.ha_b1)
    member.user = make_user("member-a", "member", world.ha_b1)
    member.save(update_fields=["user"])
    client.force_login(member.user)
    page = client.get(reverse("dues:calc"), {"base": "4550", "category": "in_service"})
    assert "46.00" in page.content.decode()


def test_the_calculator_needs_a_login(client):
    assert client.get(reverse("dues:calc")).status_code == 302


# ---- my dues ---------------------------------------------------------------------------
def _linked_member(world, username="member-dues"):
    member = _member(world.ha_b1, name="甲党员")
    user = make_user(username, Role.MEMBER, world.ha_b1)
    member.user = user
    member.save()
    return member, user


def test_a_member_sees_base_amount_and_owed_months_with_a_reminder(client, world):
    member, user = _linked_member(world)
    _bill(world.ha_b1, month_ago(4), month_ago(3), month_ago(2), month_ago(1))
    services.record_payment(member, [month_ago(4)], paid_on=timezone.localdate(), method="cash")
    client.force_login(user)
    response = client.get(reverse("dues:mine"))
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "4,500.00" in page and "45.00" in page  # yuan with separators
    for n in (3, 2, 1):
        assert f"{month_ago(n):%Y-%m} 欠交" in page
    assert f"{month_ago(4):%Y-%m} 欠交" not in page
    assert "已有 3 个月未交纳党费，请及时交纳" in page and "须按规定处理" not in page


def test_six_months_unpaid_must_be_handled_but_membership_is_untouched(client, world):
    member, user = _linked_member(world)
    _bill(world.ha_b1, *[month_ago(n) for n in range(6, 0, -1)])
    client.force_login(user)
    page = client.get(reverse("dues:mine")).content.decode()
    assert "已有 6 个月未交纳党费，须按规定处理" in page
    assert member.statuses.get().ended_on is None


def test_my_dues_needs_a_person(client, world):
    client.force_login(world.user("office"))
    assert client.get(reverse("dues:mine")).status_code == 404


# ---- a month of bills ------------------------------------------------------------------
class TestMonthPage(ScopedPageTest):
    expected_text = ("党费收缴", "生成本月账单", "登记交纳", "45.00")

    def url(self, world):
        return reverse("dues:month") + f"?org={world.ha.code}&month={THIS_MONTH:%Y-%m}"

    def grow(self, world, n):
        for _ in range(n):
            _member(world.ha_b1)
        _bill(world.ha, THIS_MONTH)


def test_the_month_shows_paid_unpaid_and_totals_of_the_subtree(client, world):
    paid, unpaid = _member(world.ha_b1, name="甲已交"), _member(world.ha_b2, name="乙未交")
    _member(world.hb_b1, name="丙外院")
    _bill(world.ha, THIS_MONTH)
    _bill(world.hb, THIS_MONTH)
    services.record_payment(paid, [THIS_MONTH], paid_on=timezone.localdate(), method="cash")
    client.force_login(world.user("office"))
    page = client.get(
        reverse("dues:month"), {"org": world.ha.code, "month": f"{THIS_MONTH:%Y-%m}"}
    ).content.decode()
    assert "甲已交" in page and "乙未交" in page and "丙外院" not in page
    assert "应交 2 人 90.00 元；已交 1 人 45.00 元；未交 1 人 45.00 元" in page
    assert reverse("dues:pay", args=[unpaid.pk]) in page
    assert reverse("dues:pay", args=[paid.pk]) not in page


def test_the_month_page_leads_to_every_dues_page_and_each_opens(client, world):
    """Reconciliation, reductions and voluntary payments were reachable only by address."""
    person = _member(world.ha_b1)
    _bill(world.ha, THIS_MONTH)
    client.force_login(world.user("office"))
    page = client.get(reverse("dues:month"), {"org": world.ha.code}).content.decode()
    links = [
        reverse("dues:reconcile"), reverse("dues:reductions"),
        reverse("dues:voluntary", args=[person.pk]), reverse("dues:reduction_new", args=[person.pk]),
    ]  # fmt: skip
    for link in links:
        assert link in page, link
        assert client.get(link, {"org": world.ha.code}).status_code == 200, link


def test_readers_see_the_month_without_write_buttons(client, world):
    _member(world.ha_b1)
    _bill(world.ha, THIS_MONTH)
    client.force_login(world.user("auditor"))
    page = client.get(reverse("dues:month"), {"org": world.ha.code}).content.decode()
    assert "45.00" in page and "生成本月账单" not in page and "登记交纳" not in page


def test_generating_the_month_reports_members_without_a_base(client, world):
    _member(world.ha_b1)
    make_member(world.ha_b2, name="丁无基数")
    client.force_login(world.user("office"))
    url = reverse("dues:month") + f"?org={world.ha.code}&month={THIS_MONTH:%Y-%m}"
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert DuesBill.objects.filter(month=THIS_MONTH).count() == 1
    assert "丁无基数" in page and "尚未核定党费基数" in page
    client.post(url)
    assert DuesBill.objects.filter(month=THIS_MONTH).count() == 1  # idempotent


def test_generating_is_refused_to_readers_and_other_hospitals(client, world):
    _member(world.ha_b1)
    url = reverse("dues:month") + f"?org={world.ha.code}&month={THIS_MONTH:%Y-%m}"
    client.force_login(world.user("auditor"))
    assert client.post(url).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.post(url).status_code == 404
    assert not DuesBill.objects.exists()


def test_a_member_cannot_open_the_branch_pages(client, world):
    _member_, user = _linked_member(world)
    client.force_login(user)
    assert client.get(reverse("dues:month"), {"org": world.ha_b1.code}).status_code == 404
    assert client.get(reverse("dues:arrears"), {"org": world.ha_b1.code}).status_code == 404


def test_a_malformed_month_says_so_and_shows_this_month(client, world):
    client.force_login(world.user("office"))
    page = client.get(reverse("dues:month"), {"org": world.ha.code, "month": "2024-13"})
    assert "格式应为 年-月" in page.content.decode()


# ---- recording a payment ---------------------------------------------------------------
def _pay_data(*months, **extra):
    return {
        "months": [m.isoformat() for m in months],
        "paid_on": timezone.localdate().isoformat(),
        "method": "cash",
        **extra,
    }


def test_recording_three_months_at_once(client, world):
    member = _member(world.ha_b1, name="甲季度")
    months = (month_ago(2), month_ago(1), THIS_MONTH)
    _bill(world.ha, *months)
    client.force_login(world.user("secretary"))
    url = reverse("dues:pay", args=[member.pk])
    page = client.get(url).content.decode()
    assert f"{month_ago(2):%Y-%m} · 45.00 元" in page
    response = client.post(url, _pay_data(*months, reference="WX123"))
    assert response.status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.total, payment.reference, payment.bills.count()) == (135, "WX123", 3)


def test_refused_payments_write_nothing(client, world):
    member = _member(world.ha_b1)
    _bill(world.ha, *[month_ago(n) for n in range(8, -1, -1)])
    client.force_login(world.user("office"))
    url = reverse("dues:pay", args=[member.pk])
    too_old = client.post(url, _pay_data(month_ago(8), month_ago(7)))
    assert too_old.status_code == 200 and "补交党费一般不超过 6 个月" in too_old.content.decode()
    handed = client.post(url, _pay_data(month_ago(1), handed_in_by="配偶"))
    assert "须经支部同意" in handed.content.decode()
    nothing = client.post(url, _pay_data())
    assert "请选择交纳的月份" in nothing.content.decode()
    assert not DuesPayment.objects.exists()
    assert not DuesBill.objects.filter(paid_by__isnull=False).exists()
    ok = client.post(url, _pay_data(month_ago(8), make_up_approval="支委会2024年第3次会议同意"))
    assert ok.status_code == 302 and DuesPayment.objects.count() == 1


def test_a_paid_month_is_not_offered_again(client, world):
    member = _member(world.ha_b1)
    _bill(world.ha, month_ago(1))
    services.record_payment(member, [month_ago(1)], paid_on=timezone.localdate(), method="cash")
    client.force_login(world.user("office"))
    url = reverse("dues:pay", args=[member.pk])
    response = client.post(url, _pay_data(month_ago(1)))
    assert response.status_code == 200 and DuesPayment.objects.count() == 1
    assert "没有未交的党费账单" in response.content.decode()


def test_payment_page_scope(client, world):
    member = _member(world.ha_b1)
    _bill(world.ha, month_ago(1))
    url = reverse("dues:pay", args=[member.pk])
    client.force_login(world.user("office"))
    assert client.get(url).status_code == 200
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, _pay_data(month_ago(1))).status_code == 404
    client.force_login(world.user("auditor"))
    assert client.get(url).status_code == 403
    assert client.post(url, _pay_data(month_ago(1))).status_code == 403
    assert not DuesPayment.objects.exists()


# ---- arrears ---------------------------------------------------------------------------
class TestArrearsPage(ScopedPageTest):
    expected_text = ("欠交党费", "须按规定处理")

    def url(self, world):
        return reverse("dues:arrears") + f"?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            _member(world.ha_b2)
        _bill(world.ha, *[month_ago(k) for k in range(6, 0, -1)])


def test_arrears_are_sorted_with_their_level(client, world):
    six, three, one = (_member(world.ha_b1, name=n) for n in ("甲六月", "乙三月", "丙一月"))
    _member(world.hb_b1, name="丁外院")
    months = [month_ago(k) for k in range(6, 0, -1)]
    _bill(world.ha, *months)
    _bill(world.hb, *months)
    today = timezone.localdate()
    services.record_payment(three, months[:3], paid_on=today, method="cash")
    services.record_payment(one, months[:5], paid_on=today, method="cash")
    client.force_login(world.user("office"))
    page = client.get(reverse("dues:arrears"), {"org": world.ha.code}).content.decode()
    assert page.index("甲六月") < page.index("乙三月") < page.index("丙一月")
    assert "丁外院" not in page
    assert "须按规定处理" in page and "提醒交纳" in page
    assert six.statuses.get().ended_on is None


# ---- fixing a base ---------------------------------------------------------------------
def test_fixing_a_base_from_pay_components(client, world):
    member = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("dues:base", args=[member.pk])
    page = client.get(url).content.decode()
    assert "奖励性绩效" in page and "不计入基数" in page
    # component fields follow PAY_COMPONENTS order: 岗位工资, 薪级工资, 基础性绩效, 津贴补贴, 奖励性绩效
    data = {
        "category": "in_service", "effective_from": f"{THIS_MONTH:%Y-%m}", "reason": "年度核定",
        "component_0": "3000", "component_2": "2500", "component_4": "8000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    row = DuesBase.objects.get(person=member)
    assert (row.base, row.effective_from, row.reason) == (5500, THIS_MONTH, "年度核定")


def test_bad_bases_are_refused_and_write_nothing(client, world):
    member = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    url = reverse("dues:base", args=[member.pk])
    month = f"{THIS_MONTH:%Y-%m}"
    for data, message in (
        ({"category": "in_service", "effective_from": month, "base": "-5"}, "不能为负数"),
        ({"category": "in_service", "effective_from": month, "base": "abc"}, "不是有效的金额"),
        ({"category": "in_service", "effective_from": month}, "请填写月交纳基数或工资项目"),
        ({"category": "in_service", "effective_from": "2024-13", "base": "1"}, "格式应为"),
        ({"category": "in_service", "effective_from": month, "component_1": "x"}, "不是有效的金额"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), message
    assert not DuesBase.objects.exists()


def test_base_page_scope(client, world):
    member = make_member(world.ha_b1)
    url = reverse("dues:base", args=[member.pk])
    data = {"category": "student", "effective_from": f"{THIS_MONTH:%Y-%m}"}
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(world.user("auditor"))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert not DuesBase.objects.exists()
    client.force_login(world.user("secretary"))
    assert client.post(url, data).status_code == 302
    assert DuesBase.objects.get().base == 0


def test_the_export_is_scoped_audited_and_opens_in_excel(client, world):
    import io

    from openpyxl import load_workbook

    from dangjian.core.models import AuditEntry

    client.force_login(world.user("office"))
    response = client.get(reverse("dues:export"), {"org": world.ha.code, "year": 2024})
    assert response.status_code == 200
    assert "党费收缴汇总" in load_workbook(io.BytesIO(response.content)).sheetnames
    assert AuditEntry.objects.filter(action="dues.export").count() == 1
    client.force_login(world.user("office", "B"))
    assert client.get(reverse("dues:export"), {"org": world.ha.code}).status_code == 404
    assert (
        client.get(reverse("dues:export"), {"org": world.hb.code, "month": "13"}).status_code == 404
    )


def test_the_office_sets_rounding_and_advance_payment(client, world):
    from dangjian.dues.models import DuesSettings

    url = reverse("dues:settings") + f"?org={world.ha.code}"
    client.force_login(world.user("secretary"))
    assert client.post(url, {"rounding": "up_yuan"}).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
    client.force_login(world.user("office"))
    assert client.post(url, {"rounding": "up_yuan", "allow_advance": "on"}).status_code == 302
    saved = DuesSettings.objects.get(organization=world.ha)
    assert (saved.rounding, saved.allow_advance) == ("up_yuan", True)
    assert client.post(url, {"rounding": "bogus"}).status_code == 200
    assert DuesSettings.objects.get(organization=world.ha).rounding == "up_yuan"


def test_the_office_finds_the_dues_settings_from_the_month_page(client, world):
    settings_url = reverse("dues:settings") + f"?org={world.ha.code}"
    client.force_login(world.user("office"))
    page = client.get(reverse("dues:month"), {"org": world.ha.code}).content.decode()
    assert settings_url in page
    assert client.get(settings_url).status_code == 200
    for role, org in (("secretary", world.ha_b1), ("auditor", world.ha)):
        client.force_login(world.user(role))
        response = client.get(reverse("dues:month"), {"org": org.code})
        assert response.status_code == 200
        assert reverse("dues:settings") not in response.content.decode()
