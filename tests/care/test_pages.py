"""Care pages: each renders for hospital A's office, is 404 for hospital B's user and for
a member, keeps its query count as entries and visits grow; reads are audited; bad input
gets a Chinese message and changes nothing; the export opens with its three sheets."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.care.models import CareCase, CareVisit
from dangjian.core.models import AuditEntry
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest

from .builders import TODAY, a_case, a_visit

pytestmark = pytest.mark.django_db


def grow_register(world, n):
    for _ in range(n):
        case = a_case(world.ha_b1)
        a_visit(case.person, reason="hardship", amount="600")
        a_visit(make_member(world.ha_b2), reason="july_first", amount="300")


def first_case(world):
    return CareCase.objects.filter(person__organization=world.ha_b1).order_by("pk").first()


class CarePage(ScopedPageTest):
    def grow(self, world, n):
        grow_register(world, n)

    def test_a_member_cannot_open_it(self, client, world):
        self.grow(world, 1)
        url = self.url(world)
        for role, hospital in [(Role.MEMBER, "A"), (Role.GUIDANCE, "CITY"), (Role.AUDITOR, "A")]:
            client.force_login(world.user(role, hospital))
            assert client.get(url).status_code == 404, (role, url)


class TestRegister(CarePage):
    expected_text = ("困难党员", "因病", "帮扶中", "600.00")

    def url(self, world):
        return reverse("care:register") + f"?org={world.ha.code}"


class TestCase(CarePage):
    expected_text = ("配偶长期住院", "帮扶与慰问记录", "困难帮扶", "标记为已脱困")

    def url(self, world):
        return reverse("care:case", args=[first_case(world).pk])

    def grow(self, world, n):
        if first_case(world) is None:
            grow_register(world, 1)
        for _ in range(n):
            a_visit(first_case(world).person, reason="hospitalized", amount="100")


class TestCaseEdit(TestCase):
    expected_text = ("修改困难党员登记", "困难情况")

    def url(self, world):
        return reverse("care:case_edit", args=[first_case(world).pk])


class TestCaseNew(CarePage):
    expected_text = ("登记困难党员", "困难类型")

    def url(self, world):
        return reverse("care:case_new") + f"?org={world.ha.code}"


class TestVisits(CarePage):
    expected_text = ("慰问台账", "七一节日慰问", "300.00")

    def url(self, world):
        return reverse("care:visits") + f"?org={world.ha.code}"


class TestVisitNew(CarePage):
    expected_text = ("登记慰问", "慰问对象", "慰问事由")

    def url(self, world):
        return reverse("care:visit_new") + f"?org={world.ha.code}"


class TestFigures(CarePage):
    expected_text = ("困难党员（在册）", "七一慰问", "各支部", "HA心内科党支部")

    def url(self, world):
        return reverse("care:figures") + f"?org={world.ha.code}"


class TestExport(CarePage):
    def url(self, world):
        return reverse("care:export") + f"?org={world.ha.code}"


class TestSecretaryRegister(CarePage):
    """A branch secretary sees the own branch's register."""

    expected_text = ("困难党员", "因病")

    def viewer(self, world):
        if "sec" not in world.users:
            world.users["sec"] = make_user("sec-a-b1", Role.SECRETARY, world.ha_b1)
        return world.users["sec"]

    def url(self, world):
        return reverse("care:register") + f"?org={world.ha_b1.code}"


def test_a_secretary_sees_only_the_own_branch(client, world):
    grow_register(world, 1)
    other = a_case(world.ha_b2, hardship="disaster")
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    assert client.get(reverse("care:case", args=[other.pk])).status_code == 404
    assert client.get(reverse("care:register") + f"?org={world.ha.code}").status_code == 404
    page = client.get(reverse("care:register")).content.decode()
    assert "因病" in page and "因灾" not in page


def test_reads_are_audited(client, world):
    grow_register(world, 1)
    client.force_login(world.user(Role.OFFICE, "A"))
    client.get(reverse("care:register") + f"?org={world.ha.code}")
    client.get(reverse("care:case", args=[first_case(world).pk]))
    client.get(reverse("care:visits") + f"?org={world.ha.code}")
    b"".join(client.get(reverse("care:export") + f"?org={world.ha.code}").streaming_content)
    actions = list(AuditEntry.objects.filter(action__in=["care.list", "care.view", "care.export"])
                   .order_by("pk").values_list("action", flat=True))  # fmt: skip
    assert actions == ["care.list", "care.view", "care.list", "care.export"]


def test_a_negative_amount_is_refused_on_the_page(client, world):
    case = a_case(world.ha_b1)
    client.force_login(world.user(Role.OFFICE, "A"))
    data = {"action": "visit", "visited_on": TODAY.isoformat(), "reason": "hardship",
            "form": "cash", "amount": "-100", "visitors": "支部书记"}  # fmt: skip
    page = client.post(reverse("care:case", args=[case.pk]), data).content.decode()
    assert "金额不能为负数" in page and not CareVisit.objects.exists()
    response = client.post(reverse("care:case", args=[case.pk]), {**data, "amount": "800"})
    assert response.status_code == 302
    assert CareVisit.objects.get().case == case


def test_the_quick_form_records_a_visit_to_a_member_not_in_the_register(client, world):
    old = make_member(world.ha_b2, name="示例老党员")
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("care:visit_new") + f"?org={world.ha.code}"
    data = {"person": old.pk, "visited_on": TODAY.isoformat(), "reason": "old_member",
            "form": "goods", "amount": "", "visitors": "党委副书记"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    visit = CareVisit.objects.get()
    assert (visit.person, visit.case, visit.amount) == (old, None, 0)
    outsider = make_member(world.hb_b1)
    page = client.post(url, {**data, "person": outsider.pk}).content.decode()
    assert "慰问对象" in page and CareVisit.objects.count() == 1


def test_entering_a_member_twice_gets_a_chinese_message(client, world):
    case = a_case(world.ha_b1)
    client.force_login(world.user(Role.OFFICE, "A"))
    data = {"person": case.person.pk, "hardship": "living", "situation": "再次登记",
            "since": TODAY.isoformat()}  # fmt: skip
    page = client.post(reverse("care:case_new") + f"?org={world.ha.code}", data)
    assert "已在困难党员名册中" in page.content.decode()
    assert CareCase.objects.count() == 1


def test_the_export_has_the_ledger_the_register_and_the_figures(client, world):
    grow_register(world, 2)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("care:export") + f"?org={world.ha.code}")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["慰问台账", "困难党员", "统计"]
    ledger = [[c.value for c in row] for row in book["慰问台账"].iter_rows(min_row=3)]
    assert len(ledger) == 4 and {row[3] for row in ledger} == {"困难帮扶", "七一节日慰问"}
    figures = [[c.value for c in row] for row in book["统计"].iter_rows(min_row=2)]
    assert figures[0][:4] == [f"{world.ha.name}（合计）", 2, 2, 4]
    assert figures[0][-1] == 1800


def test_the_quick_form_comes_with_the_person_chosen(client, world):
    old = make_member(world.ha_b2, name="示例退休党员")
    client.force_login(world.user(Role.OFFICE, "A"))
    page = client.get(reverse("care:visit_new") + f"?org={world.ha.code}&person={old.pk}")
    assert f'<option value="{old.pk}" selected>' in page.content.decode()
