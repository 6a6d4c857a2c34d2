"""JOURNEYS, the hospital Party office step 1, in Debian's Chromium on a desktop: the
office uploads last year's roster workbook; a workbook with a bad cell is refused with
every bad cell and its row, nothing written; the corrected one is previewed (branches and
people by status), committed, and the dashboard counts the new members. Every step passes
the checks of checks.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.people.models import Person
from tests.factories import TEST_PASSWORD, make_user
from tests.roster.builder import org_row, person_row, write_roster

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ORGS = [org_row("HA-B3", "眼科党支部", "", 对应科室="眼科", 科室类别="临床")]


def _people(phone: str) -> list[dict]:
    return [
        person_row(1, "HA-B3", 党内职务="书记", 手机号=phone),
        person_row(2, "HA-B3"),
        person_row(3, "HA-B3", "预备党员"),
        person_row(4, "HA-B3", "入党积极分子"),
    ]


def _upload(page, path, hospital):
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("select[name=org]").select_option(str(hospital.pk))
    page.get_by_role("button", name="检查并预览").click()


def test_the_office_imports_the_roster(desktop, live_server, two_hospitals, tmp_path):
    _guidance, (ha, _b1, _b2), _b = two_hospitals
    make_user("office-a", "office", ha)
    login(desktop, live_server, "office-a", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}{reverse('roster:upload')}")
    expect(desktop.locator("h1")).to_contain_text("名册导入")
    assert_page_sound(desktop, "upload")

    _upload(desktop, write_roster(tmp_path / "有错.xlsx", ORGS, _people("123")), ha)
    expect(desktop.locator("main")).to_contain_text("人员 第2行 手机号")
    expect(desktop.get_by_role("button", name="确认导入")).to_have_count(0)
    assert_page_sound(desktop, "refused workbook")
    assert not Person.objects.exists()

    desktop.goto(f"{live_server.url}{reverse('roster:upload')}")
    _upload(desktop, write_roster(tmp_path / "名册.xlsx", ORGS, _people("13800001111")), ha)
    expect(desktop.locator("h1")).to_contain_text("名册导入预览")
    expect(desktop.locator("main")).to_contain_text("入党积极分子")
    assert_page_sound(desktop, "preview")
    assert not Person.objects.exists()
    desktop.get_by_role("button", name="确认导入").click()
    expect(desktop.locator("main")).to_contain_text("导入完成")
    assert_page_sound(desktop, "imported")
    assert Person.objects.count() == 4

    desktop.goto(f"{live_server.url}{reverse('dashboard:home')}?org={ha.code}")
    total = desktop.locator(".dj-figure[data-key='members.total'] .dj-figure-value")
    expect(total).to_have_text("3")  # two full members and a probationary one
    assert_page_sound(desktop, "dashboard")
