"""The payroll office's workbook of dues bases (SPEC.md §4b): `dangjian import-dues-bases`
and the upload on the dues pages, all or nothing, one line per bad cell; the yearly
reminder to re-fix bases."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from dangjian.accounts.models import Role
from dangjian.core.models import Notice
from dangjian.dues.bases_import import import_bases
from dangjian.dues.models import DuesBase
from dangjian.dues.reminders import BASES_KIND, send_base_reminders
from dangjian.people.models import Employment, Person, Status
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
D = Decimal


def workbook(header, *rows, sheet="党费基数") -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bases.xlsx"
    return buffer


@pytest.fixture
def staff(world):
    doctor = make_member(world.ha_b1, name="甲医生")
    nurse = make_member(world.ha_b2, name="乙护士")
    retired = make_member(world.ha_b1, name="丙退休", employment=Employment.RETIRED)
    return world, doctor, nurse, retired


def bases():
    return {(b.person.name, b.effective_from): (b.category, b.base) for b in DuesBase.objects.all()}


def test_a_column_of_bases_fixes_each_members_base_from_january(staff):
    world, doctor, nurse, retired = staff
    source = workbook(
        ["身份证号", "姓名", "基数"],
        [doctor.id_number, "甲医生", "8,600.50"],
        [nurse.id_number, "乙护士", 4200],
        [retired.id_number, "丙退休", 5300],
    )
    report = import_bases(source, year=2025)
    assert report.ok and report.written and len(report.lines) == 3
    jan = dt.date(2025, 1, 1)
    assert bases() == {
        ("甲医生", jan): ("in_service", D("8600.50")),
        ("乙护士", jan): ("in_service", D("4200.00")),
        ("丙退休", jan): ("retired", D("5300.00")),
    }


def test_pay_items_count_basic_performance_and_ignore_the_excluded(staff):
    world, doctor, *_ = staff
    source = workbook(
        [
            "姓名",
            "身份证号",
            "岗位工资",
            "薪级工资",
            "基础性绩效",
            "津贴补贴",
            "奖励性绩效",
            "住房公积金",
        ],
        ["甲医生", doctor.id_number, 2800, "1200.50", 1500, 300, 4000, None],
    )
    report = import_bases(source, year=2025)
    assert report.ok
    (row,) = DuesBase.objects.all()
    assert row.base == D("5800.50")  # 奖励性绩效 and 住房公积金 read and left out
    assert row.components["奖励性绩效"] == "4000"


@pytest.mark.parametrize(
    "header, row, expected",
    [
        (["身份证号", "姓名", "年终奖"], None, "党费基数 第1行 年终奖：未知的工资项目"),
        (["身份证号", "姓名", "基数", "岗位工资"], None, "“基数”与工资项目只能选其一"),
        (["身份证号", "姓名"], None, "须有“基数”列或工资项目列"),
        (["姓名", "基数"], None, "缺少“身份证号”列"),
        (["身份证号", "姓名", "基数", "基数"], None, "党费基数 第1行 基数：列名重复"),
        (None, ["ID", "甲医生", "-5"], "党费基数 第3行 基数：基数不能为负数"),
        (None, ["ID", "甲医生", "abc"], "党费基数 第3行 基数：基数“abc”不是有效的金额"),
        (None, ["ID", "甲医生", None], "党费基数 第3行 基数：不能为空"),
        (None, ["ID", "甲某", "5000"], "党费基数 第3行 姓名：与名册不符（名册中为“甲医生”）"),
        (
            None,
            ["NUMBER", "甲医生", "5000"],
            "党费基数 第3行 身份证号：身份证号被 Excel 存成了数字",
        ),
        (
            None,
            ["990101198001019999", "甲医生", "5000"],
            "党费基数 第3行 身份证号：身份证号校验位不正确",
        ),
        (None, ["APPLICANT", "丁群众", "5000"], "丁群众 不是党员，无须核定党费基数"),
        (None, ["OTHER", "戊外院", "5000"], "党员名册中没有此身份证号"),
    ],
)
def test_each_bad_cell_gives_one_line_and_nothing_is_written(staff, header, row, expected):
    world, doctor, nurse, _ = staff
    applicant = make_member(world.ha_b1, name="丁群众", status=Status.APPLICANT)
    ids = {"ID": doctor.id_number, "NUMBER": int(doctor.id_number[:15] + "000"),
           "APPLICANT": applicant.id_number}  # fmt: skip
    good = [nurse.id_number, "乙护士", 4200]
    rows = [good]
    if row is not None:
        rows.append([ids.get(row[0], row[0]), *row[1:]])
    if row is not None and row[0] == "OTHER":  # a member of hospital B, outside A's scope
        rows[-1][0] = make_member(world.hb_b1, name="戊外院").id_number
    source = workbook(header or ["身份证号", "姓名", "基数"], *rows)
    people = Person.objects.filter(organization__path__startswith=world.ha.path)
    report = import_bases(source, year=2025, people=people)
    assert not report.ok and not report.written
    assert any(expected in line for line in report.errors), report.errors
    assert not DuesBase.objects.exists()


def test_a_person_twice_and_a_missing_sheet(staff):
    _world, doctor, *_ = staff
    twice = workbook(
        ["身份证号", "姓名", "基数"],
        [doctor.id_number, "甲医生", 5000],
        [doctor.id_number, "甲医生", 6000],
    )
    assert "党费基数 第3行 身份证号：与第2行重复" in import_bases(twice, year=2025).errors
    wrong = workbook(["身份证号", "姓名", "基数"], sheet="Sheet1")
    assert import_bases(wrong, year=2025).errors == [
        "工作簿：缺少工作表“党费基数”（工作簿中的工作表：“Sheet1”）"
    ]
    garbage = io.BytesIO(b"not a workbook")
    assert import_bases(garbage, year=2025).errors[0].startswith("工作簿：无法读取")
    assert not DuesBase.objects.exists()


def test_the_command_checks_writes_and_refuses(staff, tmp_path, capsys):
    _world, doctor, nurse, _ = staff
    path = tmp_path / "bases.xlsx"
    path.write_bytes(
        workbook(["身份证号", "姓名", "基数"], [doctor.id_number, "甲医生", 5000]).getvalue()
    )
    call_command("import-dues-bases", str(path), "--year", "2025", "--dry-run")
    assert "检查通过（未写入）：2025 年度党费基数 1 名党员" in capsys.readouterr().out
    assert not DuesBase.objects.exists()
    call_command("import-dues-bases", str(path), "--year", "2025")
    assert "已核定：2025 年度党费基数 1 名党员" in capsys.readouterr().out
    assert DuesBase.objects.get().base == D("5000")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(["身份证号", "姓名", "基数"], [nurse.id_number, "错名", 1]).getvalue())
    with pytest.raises(CommandError, match="党费基数表有 1 处错误，未写入任何数据"):
        call_command("import-dues-bases", str(bad), "--year", "2025")
    assert "党费基数 第2行 姓名：与名册不符" in capsys.readouterr().err
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import-dues-bases", str(tmp_path / "none.xlsx"), "--year", "2025")


# ---- the page ---------------------------------------------------------------------------
def test_upload_check_then_confirm(client, staff):
    world, doctor, nurse, _ = staff
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("dues:bases_import")
    assert client.get(url).status_code == 200
    source = workbook(["身份证号", "姓名", "基数"], [doctor.id_number, "甲医生", "6000"])
    page = client.post(url, {"year": 2025, "file": source})
    text = page.content.decode()
    assert page.status_code == 200 and "检查通过：1 名党员" in text and "90.00" in text
    assert not DuesBase.objects.exists()
    token = page.context["token"]
    done = client.post(reverse("dues:bases_import_confirm"), {"token": token}, follow=True)
    assert "已核定 2025 年度党费基数：1 名党员" in done.content.decode()
    assert DuesBase.objects.get().effective_from == dt.date(2025, 1, 1)
    # The same token cannot be confirmed twice.
    again = client.post(reverse("dues:bases_import_confirm"), {"token": token}, follow=True)
    assert "没有待确认的导入" in again.content.decode()


def test_another_hospitals_office_cannot_fix_our_members_bases(client, staff):
    world, doctor, *_ = staff
    client.force_login(world.user(Role.OFFICE, "B"))
    source = workbook(["身份证号", "姓名", "基数"], [doctor.id_number, "甲医生", "6000"])
    page = client.post(reverse("dues:bases_import"), {"year": 2025, "file": source})
    assert "党员名册中没有此身份证号（或不在您的管理范围内）" in page.content.decode()
    assert not DuesBase.objects.exists()


def test_a_token_of_someone_else_confirms_nothing(client, staff):
    world, doctor, *_ = staff
    client.force_login(world.user(Role.OFFICE, "A"))
    source = workbook(["身份证号", "姓名", "基数"], [doctor.id_number, "甲医生", "6000"])
    token = client.post(reverse("dues:bases_import"), {"year": 2025, "file": source}).context[
        "token"
    ]
    client.force_login(make_user("office-a2", Role.OFFICE, world.ha))
    client.post(reverse("dues:bases_import_confirm"), {"token": token})
    assert not DuesBase.objects.exists()


def test_members_and_readers_may_not_upload(client, world):
    client.force_login(world.user(Role.AUDITOR, "A"))
    assert client.get(reverse("dues:bases_import")).status_code == 403
    client.force_login(world.user(Role.MEMBER, "A"))
    assert client.get(reverse("dues:bases_import")).status_code == 403


def test_the_month_page_links_the_upload(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    page = client.get(reverse("dues:month"), {"org": world.ha.code}).content.decode()
    assert reverse("dues:bases_import") in page


# ---- the yearly reminder ----------------------------------------------------------------
def test_offices_are_reminded_once_a_year_to_fix_the_coming_years_bases(world):
    office_a, office_b = world.user(Role.OFFICE, "A"), world.user(Role.OFFICE, "B")
    secretary = world.user(Role.SECRETARY, "A")
    assert send_base_reminders(dt.date(2025, 12, 1)) == 2
    (notice,) = Notice.objects.filter(recipient=office_a, kind=BASES_KIND)
    assert "2026 年度党费基数" in notice.title
    assert Notice.objects.filter(recipient=office_b, kind=BASES_KIND).count() == 1
    assert not Notice.objects.filter(recipient=secretary).exists()
    assert send_base_reminders(dt.date(2025, 12, 1)) == 0
    assert send_base_reminders(dt.date(2026, 1, 1)) == 0  # the same year, already told
    assert send_base_reminders(dt.date(2026, 12, 1)) == 2  # the next year
