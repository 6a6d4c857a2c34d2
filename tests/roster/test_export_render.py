"""The roster export as LibreOffice prints it (three sheets in the shared layout, the wide
人员 sheet landscape and one page wide, dates as dates, nothing printed as ###), and a
city's export naming each row's hospital in an informational 所属医院 column that the
import reads past."""

import io

import pytest
from openpyxl import load_workbook

from dangjian.orgs.models import Organization
from dangjian.roster.format import COMMITTEE_HEADERS, ORG_HEADERS, PERSON_HEADERS
from dangjian.roster.services import export_roster, import_roster
from tests.office import assert_layout, assert_rendered, column, pdf_page_texts, rolled_back, to_pdf

from .builder import person_row, small_hospital, write_roster

pytestmark = pytest.mark.django_db


def _people(hospital: str) -> list[dict]:
    return [
        person_row(1, f"{hospital}-B1", 党内职务="书记", 科室="心内科", 是否科室负责人="是"),
        person_row(2, f"{hospital}-B1", "预备党员", 人员类别="离退休"),
        person_row(3, f"{hospital}-B2", "发展对象", 科室="检验科"),
        person_row(4, f"{hospital}-G1", "入党积极分子"),
    ]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Hospital H1 imported, exported and rendered once for the module."""
    folder = tmp_path_factory.mktemp("roster")
    with rolled_back(django_db_blocker):
        report = import_roster(write_roster(folder / "in.xlsx", small_hospital(), _people("H1")))
        assert report.ok, report.errors
        out = io.BytesIO()
        export_roster(Organization.objects.get(code="H1"), out)
    content = out.getvalue()
    return content, to_pdf(content, directory=folder)


def test_the_roster_prints_a_page_per_sheet(rendered):
    content, pdf = rendered
    book = assert_layout(content)
    assert [c.value for c in book["党组织"][1]] == ORG_HEADERS  # the exchange format, as is
    assert [c.value for c in book["人员"][1]] == PERSON_HEADERS
    assert [c.value for c in book["委员"][1]] == COMMITTEE_HEADERS
    assert book["人员"].page_setup.orientation == "landscape"
    birth = column(book["人员"], "出生日期")[0]
    assert birth.is_date and birth.number_format == "yyyy-mm-dd"
    assert column(book["人员"], "身份证号")[0].data_type == "s"
    pages = pdf_page_texts(pdf)
    assert_rendered(pdf, pages=3)
    assert "H1医院党委" in pages[0] and "党员名册" in pages[1] and "转正日期" in pages[1]


def test_a_city_export_names_each_rows_hospital_and_re_imports(world, tmp_path):
    for n, code in enumerate(("HA", "HB")):
        rows = [person_row(10 * n + 10 + i, f"{code}-B1") for i in range(2)]
        report = import_roster(write_roster(tmp_path / f"{code}.xlsx", [], rows))
        assert report.ok, report.errors
    path = tmp_path / "city.xlsx"
    export_roster(world.guidance, path)
    book = load_workbook(path)
    assert [c.value for c in book["党组织"][1]] == [*ORG_HEADERS, "所属医院"]
    assert [c.value for c in book["人员"][1]] == [*PERSON_HEADERS, "所属医院"]
    assert [c.value for c in book["委员"][1]] == COMMITTEE_HEADERS
    orgs = {r[0]: r[-1] for r in book["党组织"].iter_rows(min_row=2, values_only=True)}
    assert orgs["CITY"] is None and orgs["HA-B2"] == "HA医院党委" and orgs["HB"] == "HB医院党委"
    people = {r[5]: r[-1] for r in book["人员"].iter_rows(min_row=2, values_only=True)}
    assert people == {"HA-B1": "HA医院党委", "HB-B1": "HB医院党委"}
    again = import_roster(path, dry_run=True)
    assert again.ok, again.errors
    hospital = tmp_path / "ha.xlsx"
    export_roster(world.ha, hospital)
    assert "所属医院" not in [c.value for c in load_workbook(hospital)["人员"][1]]
