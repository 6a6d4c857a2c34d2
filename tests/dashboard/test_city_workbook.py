"""The city statistics workbook (the dashboard's figures per hospital and the totals, for
the provincial report): from the page (guidance committee and Party office only, scoped)
and from `dangjian stats --xlsx`; figures from grouped queries, as many whatever the
number of hospitals; a ratio over nothing is "—"; as LibreOffice prints it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.dashboard.export import SHEETS, build_city_workbook
from dangjian.dashboard.labels import LABELS, flatten
from dangjian.dashboard.stats import compute_stats
from dangjian.orgs.models import Organization, OrgKind
from tests.factories import add_org, hospital_tree
from tests.office import assert_layout, assert_rendered, column, pdf_page_texts, rolled_back, to_pdf
from tests.pages.world import add_dual_branch, add_members

DAY = dt.date(2025, 6, 30)
pytestmark = pytest.mark.django_db


def _city(guidance, ha):
    """Hospital A with a dual-leader branch and members; hospital B with nothing to
    measure; hospital C with a branch of members but no department."""
    add_dual_branch(ha, "HA-D1")
    add_members(Organization.objects.get(code="HA-B1"), 3)
    guidance.refresh_from_db()
    hc = add_org(guidance, "HC", OrgKind.COMMITTEE, "HC医院党委")
    add_members(add_org(hc, "HC-B1", OrgKind.BRANCH, "HC综合党支部"), 2)
    return Organization.objects.get(pk=guidance.pk)


def _sheet_rows(content: bytes, title: str) -> dict:
    sheet = load_workbook(io.BytesIO(content))[title]
    headers = [c.value for c in sheet[2]]
    return {row[0]: dict(zip(headers, row, strict=True))
            for row in sheet.iter_rows(min_row=3, values_only=True)}  # fmt: skip


def test_one_row_per_hospital_and_the_totals_of_the_dashboard(world):
    city = _city(world.guidance, world.ha)
    content = build_city_workbook(city, date_to=DAY)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [title for title, _ in SHEETS]
    rows = _sheet_rows(content, "党员与组织")
    assert list(rows) == ["HA医院党委", "HB医院党委", "HC医院党委", "合计"]
    assert [rows[name]["组织编码"] for name in rows] == ["HA", "HB", "HC", "CITY"]
    assert rows["HA医院党委"]["党员总数"] == 4 and rows["HC医院党委"]["党员总数"] == 2
    assert rows["HA医院党委"]["“双带头人”比例"] == 0.5  # HA-D1 of HA-B1 and HA-D1
    assert rows["HB医院党委"]["“双带头人”比例"] == 0  # its linked branch has no such secretary
    assert rows["HC医院党委"]["“双带头人”比例"] == "—"  # no branch linked to a department
    figures = flatten(compute_stats(city, date_to=DAY))
    every = {}
    for title, _ in SHEETS:
        every.update(_sheet_rows(content, title)["合计"])
    for key, value in figures.items():
        if key in LABELS:
            assert every[str(LABELS[key])] == ("—" if value is None else value), (key, value)
    ratio = column(book["党员与组织"], "“双带头人”比例", header_row=2)[0]
    assert ratio.number_format == "0.0%"
    money = column(book["组织生活与党费"], "党费收缴（元）", header_row=2)[0]
    assert money.number_format == "#,##0.00"


def test_the_query_count_does_not_grow_with_the_hospitals(world):
    city = _city(world.guidance, world.ha)
    with CaptureQueriesContext(connection) as few:
        build_city_workbook(city, date_to=DAY)
    for i in range(4):
        city.refresh_from_db()
        hospital, b1, _b2 = hospital_tree(f"HX{i}", city)
        add_members(b1, 2)
    city.refresh_from_db()
    with CaptureQueriesContext(connection) as many:
        content = build_city_workbook(city, date_to=DAY)
    assert len(_sheet_rows(content, "党员发展")) == 8  # seven hospitals and the totals
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_command_writes_the_workbook_and_refuses_a_branch(world, tmp_path):
    city = _city(world.guidance, world.ha)
    path = tmp_path / "city.xlsx"
    call_command("stats", "--org", "CITY", "--to", DAY.isoformat(), "--xlsx", str(path))
    same = build_city_workbook(city, date_to=DAY)
    for title, _ in SHEETS:
        assert _sheet_rows(path.read_bytes(), title) == _sheet_rows(same, title)
    with pytest.raises(CommandError, match="按医院汇总"):
        call_command("stats", "--org", "HA-B1", "--xlsx", str(tmp_path / "branch.xlsx"))
    assert not (tmp_path / "branch.xlsx").exists()


def test_the_page_offers_it_to_the_committee_and_the_office_only(client, world):
    _city(world.guidance, world.ha)
    export = reverse("dashboard:export")
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    page = client.get(reverse("dashboard:home"), {"org": "CITY"}).content.decode()
    assert f"{export}?org=CITY" in page
    response = client.get(export, {"org": "CITY", "to": DAY.isoformat()})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert list(_sheet_rows(response.content, "三重一大"))[-1] == "合计"
    assert AuditEntry.objects.filter(action="dashboard.export").count() == 1
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get(export, {"org": "HA"}).status_code == 200
    assert client.get(export, {"org": "CITY"}).status_code == 404  # above its hospital
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(export, {"org": "HA"}).status_code == 404
    client.force_login(world.user(Role.SECRETARY, "A"))
    page = client.get(reverse("dashboard:home"), {"org": "HA"}).content.decode()
    assert export not in page
    assert client.get(export, {"org": "HA"}).status_code == 403
    assert AuditEntry.objects.filter(action="dashboard.export").count() == 2


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back(django_db_blocker):
        guidance = add_org(None, "CITY", OrgKind.GUIDANCE_COMMITTEE, "示例市医院党建工作指导委员会")
        ha, _b1, _b2 = hospital_tree("HA", guidance)
        guidance.refresh_from_db()
        hospital_tree("HB", guidance)
        city = _city(Organization.objects.get(pk=guidance.pk), Organization.objects.get(code="HA"))
        content = build_city_workbook(city, date_to=DAY)
    return content, to_pdf(content, directory=tmp_path_factory.mktemp("city"))


def test_it_prints_a_page_per_sheet_with_every_hospital(rendered):
    content, pdf = rendered
    assert_layout(content, header_rows={title: 2 for title, _ in SHEETS})
    text = assert_rendered(pdf, pages=len(SHEETS))
    for page in pdf_page_texts(pdf):
        assert "HA医院党委" in page and "HC医院党委" in page and "合计" in page
    assert "50.0%" in text and "—" in text
