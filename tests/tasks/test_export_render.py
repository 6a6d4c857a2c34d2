"""The task ledger as LibreOffice prints it: both sheets in the shared layout, one page
wide (the task list landscape), dates as dates, nothing printed as ###; above the
hospitals each task names its hospital."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dangjian.orgs.models import Organization, OrgKind
from dangjian.tasks import services
from dangjian.tasks.export import build_workbook
from dangjian.tasks.models import WorkTask
from tests.factories import add_org, hospital_tree, make_member
from tests.office import assert_layout, assert_rendered, column, rolled_back, to_pdf

from .builders import a_list, a_task

TODAY = dt.date(2025, 7, 15)

# Marked so that the session sets up the test database the module fixture writes to.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two hospitals under a guidance committee, three tasks each (one with a long
    expected result), a ledger entry each; the hospital's and the city's ledger."""
    with rolled_back(django_db_blocker):
        city = add_org(None, "TCITY", OrgKind.GUIDANCE_COMMITTEE, "示例市医院党建工作指导委员会")
        for code in ("TA", "TB"):
            city.refresh_from_db()
            hospital, b1, b2 = hospital_tree(code, city)
            _target, area = a_list(hospital)
            owner = make_member(b1, name=f"{code}负责人")
            for i, branch in enumerate((b1, b2, b1)):
                task = a_task(
                    area, branch, title=f"{code}任务{i}", owners=[owner],
                    due=dt.date(2025, 3 + i, 28), expected_result="形成制度文件并落实到每个支部" * 4,
                )  # fmt: skip
                services.record_progress(task, text="召开推进会", percent=30 * i, today=TODAY)
        hospital = Organization.objects.get(code="TA")
        city = Organization.objects.get(pk=city.pk)
        tasks = WorkTask.objects.all()
        files = {
            "hospital": build_workbook(tasks.filter(responsible_org__path__startswith=hospital.path),
                                       TODAY, hospital).getvalue(),
            "city": build_workbook(tasks, TODAY, city).getvalue(),
        }  # fmt: skip
    return {
        name: (content, to_pdf(content, directory=tmp_path_factory.mktemp(name)))
        for name, content in files.items()
    }


def test_the_hospital_ledger_prints_a_page_per_sheet(rendered):
    content, pdf = rendered["hospital"]
    book = assert_layout(content)
    tasks = book["任务清单"]
    assert tasks.page_setup.orientation == "landscape"
    assert column(tasks, "完成时限")[0].number_format == "yyyy-mm-dd"
    assert column(tasks, "预期成果")[0].alignment.wrap_text  # long text wraps, within the cap
    assert "所属医院" not in [c.value for c in tasks[1]]
    text = assert_rendered(pdf, pages=2)
    assert "2025-03-28" in text and "TA任务2" in text and "TB任务0" not in text


def test_the_city_ledger_names_each_hospital(rendered):
    content, pdf = rendered["city"]
    book = load_workbook(io.BytesIO(content))
    hospitals = {c.value for c in column(book["任务清单"], "所属医院")}
    assert hospitals == {"TA医院党委", "TB医院党委"}
    text = assert_rendered(pdf, pages=2)
    assert "TB医院党委" in text
