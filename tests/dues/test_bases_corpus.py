"""Issue 17: payroll workbooks as offices make them (tests/dues/corpus/, made by
tests/roster/corpus/make_corpus.py): each is checked exactly as BASES_CORPUS states."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.dues.bases_import import import_bases
from dangjian.dues.models import DuesBase
from dangjian.people.rules import make_id_number
from tests.factories import make_member

pytestmark = pytest.mark.django_db
CORPUS_DIR = Path(__file__).parent / "corpus"
D = Decimal


@pytest.fixture
def members(world):
    """The two fictitious members the corpus names."""
    return [
        make_member(world.ha_b1, name="测试甲", gender="male", birth_date=dt.date(1975, 4, 2),
                    id_number=make_id_number(dt.date(1975, 4, 2), "male", 11)),
        make_member(world.ha_b1, name="测试乙", birth_date=dt.date(1990, 8, 21),
                    id_number=make_id_number(dt.date(1990, 8, 21), "female", 12)),
    ]  # fmt: skip


BASES_CORPUS = {
    "b1-title-row-aliases.xlsx": ((D("8500"), D("9000")), [
        "党费基数：第2行为表头（上方第1行视为标题，未导入）",
        "党费基数：列“科室”不是工资项目，不会导入",
    ]),
    # 岗位工资（元）3000 + 薪级工资(元) 1500 + 基础性绩效 2000; 奖励性绩效 and 住房公积金 out.
    "b2-pay-items-units.xls": ((D("6500"), D("6500")), []),
    "b3-bases-gbk.csv": ((D("6500"), D("6500")), []),
    "b4-fullwidth-utf8-bom.csv": ((D("7200"), D("7200")), []),
    "b5-hidden-sheet-filtered-row.xlsx": ((D("5000"), D("5000")), [
        "工作表“党费基数”是隐藏的工作表，已按它读取：请确认正是这一张",
        "工作表“党费基数（新）”未读取：它的表头像党费基数表，但名称不是“党费基数”",
        "党费基数：第3行在表格中被隐藏或筛选掉了，已一并读取（共 1 行）：不应导入的行请从表中删除",
    ]),
    "b6-trailing-space-sheet.xlsx": ((D("5000"), D("5000")), [
        "工作表“党费基数 ”按“党费基数”读取（名称中多了空格）",
    ]),
}  # fmt: skip


def test_the_corpus_is_complete():
    assert {p.name for p in CORPUS_DIR.iterdir()} == set(BASES_CORPUS)


@pytest.mark.parametrize("name", sorted(BASES_CORPUS))
def test_each_payroll_file_reads_as_stated(members, name):
    bases, notices = BASES_CORPUS[name]
    report = import_bases(CORPUS_DIR / name, year=2025, dry_run=True)
    assert report.errors == []
    assert report.notices == notices
    assert [(line.person, line.base) for line in report.lines] == list(
        zip(members, bases, strict=True)
    )
    assert not DuesBase.objects.exists()


def test_a_gbk_csv_is_written(members):
    report = import_bases(CORPUS_DIR / "b3-bases-gbk.csv", year=2025)
    assert report.written
    assert sorted(DuesBase.objects.values_list("person__name", "base")) == [
        ("测试乙", D("6500")),
        ("测试甲", D("6500")),
    ]


def test_the_check_page_shows_how_the_file_was_read_and_the_xls_confirms(client, members, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    name = "b5-hidden-sheet-filtered-row.xlsx"
    upload = SimpleUploadedFile(name, (CORPUS_DIR / name).read_bytes())
    page = client.post(reverse("dues:bases_import"), {"year": 2025, "file": upload})
    text = page.content.decode()
    assert "读取文件时的 3 条说明：请核对后再确认" in text
    for line in BASES_CORPUS[name][1]:
        assert line in text
    assert text.index("读取文件时的") < text.index("确认写入")
    name = "b2-pay-items-units.xls"
    upload = SimpleUploadedFile(name, (CORPUS_DIR / name).read_bytes())
    page = client.post(reverse("dues:bases_import"), {"year": 2025, "file": upload})
    assert "检查通过：2 名党员" in page.content.decode()
    client.post(reverse("dues:bases_import_confirm"), {"token": page.context["token"]})
    assert DuesBase.objects.count() == 2


def test_the_page_refuses_a_wps_file_with_the_steps(client, members, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    upload = SimpleUploadedFile("工资.et", b"whatever")
    page = client.post(reverse("dues:bases_import"), {"year": 2025, "file": upload})
    assert page.context["form"].errors["file"][0].startswith("无法读取WPS 表格文件（.et）。")


def test_the_command_prints_how_the_file_was_read(members, capsys):
    call_command(
        "import-dues-bases", str(CORPUS_DIR / "b6-trailing-space-sheet.xlsx"), "--year", "2025",
        "--dry-run",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "读取说明：工作表“党费基数 ”按“党费基数”读取（名称中多了空格）" in out
    assert "检查通过（未写入）：2025 年度党费基数 2 名党员" in out
