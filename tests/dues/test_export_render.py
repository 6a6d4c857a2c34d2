"""The dues workbooks as LibreOffice prints them (tests/office.py): the month's and the
year's reconciliation (summary and detail) and the arrears list, each one page wide, no
figure printed as ###, money, dates and months formatted; the arrears export is scoped
and linked from its page, and a city's names each member's hospital."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.dues import services
from dangjian.dues.export import build_arrears_workbook, build_workbook
from dangjian.dues.queries import arrears
from dangjian.orgs.models import Organization, OrgKind
from tests.factories import add_org, hospital_tree, make_member
from tests.office import (
    assert_layout,
    assert_rendered,
    column,
    pdf_page_texts,
    rolled_back,
    to_pdf,
)

MONTHS = [dt.date(2024, m, 1) for m in range(1, 13)]
TODAY = dt.date(2025, 1, 15)
# Marked so that the session sets up the test database the module fixture writes to.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """A hospital of two branches, 14 members billed every month of 2024, the first six
    paying everything (one a large base), the others stopping at various months; rendered
    once for the module."""
    with rolled_back(django_db_blocker):
        city = add_org(None, "RCITY", OrgKind.GUIDANCE_COMMITTEE, "示例市医院党建工作指导委员会")
        hospital, b1, b2 = hospital_tree("RH", city)
        people = [make_member(b1 if i % 2 else b2, name=f"党员{i:02d}") for i in range(14)]
        for i, person in enumerate(people):
            base = "123456.78" if i == 0 else str(3000 + 500 * i)
            services.fix_base(person, category="in_service", base=base, effective_from=MONTHS[0])
        for month in MONTHS:
            services.generate_bills(month)
        for i, person in enumerate(people):
            for month in MONTHS if i < 6 else MONTHS[: i - 6]:
                day = month.replace(day=20)
                services.record_payment(person, [month], paid_on=day, method="cash")
        hospital = Organization.objects.get(pk=hospital.pk)
        city = Organization.objects.get(pk=city.pk)
        files = {
            "month": build_workbook(hospital, 2024, 2, today=TODAY),
            "year": build_workbook(hospital, 2024, today=TODAY),
            "arrears": build_arrears_workbook(
                city, arrears(city.path, TODAY).select_related("organization"), TODAY
            ),
        }
    return {
        name: (content, to_pdf(content, directory=tmp_path_factory.mktemp(name)))
        for name, content in files.items()
    }


def _one_page_wide(pages: list[str], first: str, last: str) -> None:
    for page in pages:
        assert first in page and last in page  # every column on every page


def test_the_month_workbook_prints_a_page_per_sheet(rendered):
    content, pdf = rendered["month"]
    book = assert_layout(content, header_rows={"党费收缴汇总": 2})
    text = assert_rendered(pdf, pages=2)
    assert "123,456.78" in text  # a base of six figures shows whole, with its separators
    detail = book["党费明细"]
    assert column(detail, "应交金额")[0].number_format == "#,##0.00"
    assert column(detail, "月份")[0].number_format == "yyyy-mm"
    assert column(detail, "交纳日期")[0].number_format == "yyyy-mm-dd"
    assert "1,000.00" in text  # the capped monthly amount, with its thousands separator
    summary = book["党费收缴汇总"]
    assert column(summary, "应交金额", header_row=2)[0].number_format == "#,##0.00"


def test_the_year_workbook_is_one_page_wide_with_the_header_on_every_page(rendered):
    content, pdf = rendered["year"]
    assert_layout(content, header_rows={"党费收缴汇总": 2})
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 3  # the summary and 168 bills over several pages
    assert_rendered(pdf, pages=len(pages))
    _one_page_wide(pages[:1], "党支部", "自愿")
    _one_page_wide(pages[1:], "党员", "经批准")  # (the last header wraps onto two lines)


def test_the_arrears_list_of_a_city_names_each_hospital(rendered):
    content, pdf = rendered["arrears"]
    book = assert_layout(content)
    sheet = book.active
    assert [c.value for c in sheet[1]][-1] == "所属医院"
    assert {c.value for c in column(sheet, "所属医院")} == {"RH医院党委"}
    months = [c.value for c in column(sheet, "未交月数")]
    assert months == sorted(months, reverse=True) and months[0] == 12
    assert column(sheet, "最早未交月份")[0].number_format == "yyyy-mm"
    text = assert_rendered(pdf, pages=1, landscape=False)
    assert "须按规定处理" in text and "2024-01" in text


def test_the_arrears_export_is_scoped_audited_and_linked_from_its_page(client, world):
    owing = make_member(world.ha_b1, name="欠交者")
    services.fix_base(owing, category="in_service", base="4000", effective_from=MONTHS[0])
    services.generate_bills(MONTHS[0])
    client.force_login(world.user(Role.OFFICE, "A"))
    page = client.get(reverse("dues:arrears"), {"org": world.ha.code}).content.decode()
    url = reverse("dues:arrears_export") + f"?org={world.ha.code}"
    assert url in page.replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in column(sheet, "姓名")] == ["欠交者"]
    assert "所属医院" not in [c.value for c in sheet[1]]  # one hospital: no such column
    assert AuditEntry.objects.filter(action="dues.export").count() == 1
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="dues.export").count() == 1


def test_a_city_reconciliation_names_each_branch_hospital(world):
    for branch in (world.ha_b1, world.hb_b1):
        person = make_member(branch)
        services.fix_base(person, category="in_service", base="4000", effective_from=MONTHS[0])
    services.generate_bills(MONTHS[0])
    world.guidance.refresh_from_db()
    book = load_workbook(io.BytesIO(build_workbook(world.guidance, 2024, 1, today=TODAY)))
    summary = book["党费收缴汇总"]
    hospitals = {row[0].value: row[-1].value for row in summary.iter_rows(min_row=3)
                 if row[0].value and row[0].value.endswith("党支部")}  # fmt: skip
    assert hospitals["HA心内科党支部"] == "HA医院党委"
    assert hospitals["HB心内科党支部"] == "HB医院党委"
    assert [c.value for c in column(book["党费明细"], "所属医院")] == ["HA医院党委", "HB医院党委"]
