"""The 三重一大 register as LibreOffice prints it: one page wide and landscape, amounts
as money, dates as dates, nothing printed as ###; above the hospitals each matter names
its hospital."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dangjian.decisions.export import build_workbook
from dangjian.decisions.models import MajorMatter
from dangjian.orgs.models import Organization, OrgKind
from tests.factories import add_org, hospital_tree
from tests.office import assert_layout, assert_rendered, column, rolled_back, to_pdf

from .builders import matter

# Marked so that the session sets up the test database the module fixture writes to.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker):
        city = add_org(None, "DCITY", OrgKind.GUIDANCE_COMMITTEE, "示例市医院党建工作指导委员会")
        for code in ("DA", "DB"):
            city.refresh_from_db()
            hospital, _b1, _b2 = hospital_tree(code, city)
            matter(hospital, title=f"{code}年度预算方案")
            matter(hospital, category="large_fund", amount=Decimal("12345678.90"),
                   title=f"{code}购置大型医疗设备", day=dt.date(2025, 4, 2))  # fmt: skip
        hospital = Organization.objects.get(code="DA")
        city = Organization.objects.get(pk=city.pk)
        matters = MajorMatter.objects.all()
        files = {
            "hospital": build_workbook(
                matters.filter(organization__path__startswith=hospital.path), hospital
            ).getvalue(),
            "city": build_workbook(matters, city).getvalue(),
        }
    return {
        name: (content, to_pdf(content, directory=tmp_path_factory.mktemp(name)))
        for name, content in files.items()
    }


def test_the_register_prints_on_one_landscape_page(rendered):
    content, pdf = rendered["hospital"]
    book = assert_layout(content)
    sheet = book.active
    assert sheet.page_setup.orientation == "landscape"
    amounts = column(sheet, "金额（元）")
    assert amounts[1].value == 12345678.9 and amounts[1].number_format == "#,##0.00"
    assert column(sheet, "提出日期")[0].number_format == "yyyy-mm-dd"
    text = assert_rendered(pdf, pages=1, landscape=True)
    assert "12,345,678.90" in text and "2025-04-02" in text and "DB" not in text


def test_the_city_register_names_each_hospital(rendered):
    content, pdf = rendered["city"]
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in column(sheet, "所属医院")] == [
        "DA医院党委", "DB医院党委", "DA医院党委", "DB医院党委",
    ]  # fmt: skip
    assert "DB医院党委" in assert_rendered(pdf, pages=1)
