import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import CommitteeSeat, CommitteeTerm, Department, Organization
from dangjian.people.models import Membership, MembershipReason, Person, StatusPeriod
from dangjian.people.rules import make_id_number
from dangjian.roster.format import PERSON_HEADERS
from dangjian.roster.read import stage_periods
from dangjian.roster.services import import_roster

from .builder import (
    generated_roster,
    org_row,
    person_id,
    person_row,
    small_hospital,
    write_roster,
)


def _rounded_but_valid() -> str:
    """A fictitious ID number ending in 000 whose checksum is right: what a number cell
    can hold by chance after Excel rounded it."""
    from dangjian.people.rules import FICTITIOUS_REGION, id_check_char

    day = dt.date(1980, 1, 1)
    while True:
        first17 = f"{FICTITIOUS_REGION}{day:%Y%m%d}100"
        if id_check_char(first17) == "0":
            return first17 + "0"
        day += dt.timedelta(days=1)


ROUNDED_BUT_VALID = _rounded_but_valid()

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def base_people() -> list[dict]:
    return [
        person_row(
            1, "H1-B1", 党内职务="书记", 科室="心内科", 是否科室负责人="是", 行政职务="主任"
        ),
        person_row(2, "H1-B1", "预备党员", 人才类别="业务骨干", 人员类别="离退休"),
        person_row(3, "H1-B2", "发展对象", 科室="检验科"),
        person_row(4, "H1-B2", "入党积极分子"),
        person_row(5, "H1-B1-1", "入党申请人"),
        person_row(6, "H1-T1", "群众", 科室="行政办公室"),
    ]


def roster(tmp_path, orgs=None, people=None, name="roster.xlsx"):
    return write_roster(
        tmp_path / name,
        small_hospital() if orgs is None else orgs,
        base_people() if people is None else people,
    )


def person(n: int) -> Person:
    return Person.objects.get(id_digest=_digest(person_id(n)))


def _digest(number):
    from dangjian.core.crypto import digest

    return digest(number)


def parent_of(org: Organization) -> Organization:
    return Organization.objects.get_parent(org)


def periods(p: Person) -> list[tuple]:
    return list(p.statuses.values_list("status", "started_on", "ended_on"))


def nothing_written():
    return (
        Organization.objects.count() == 0
        and Person.objects.count() == 0
        and Department.objects.count() == 0
        and not AuditEntry.objects.filter(action="roster.import").exists()
    )


# -- a good workbook -----------------------------------------------------------------------
def test_good_workbook_builds_the_tree_people_history_and_one_audit_entry(tmp_path):
    report = import_roster(roster(tmp_path))
    assert report.ok, report.errors
    assert (report.organizations_created, report.people_created) == (6, 6)
    assert report.people_by_status == {
        "正式党员": 1,
        "预备党员": 1,
        "发展对象": 1,
        "入党积极分子": 1,
        "入党申请人": 1,
        "群众": 1,
    }
    h1 = Organization.objects.get(code="H1")
    b1 = Organization.objects.get(code="H1-B1")
    assert parent_of(b1).code == "H1-G1" and parent_of(parent_of(b1)) == h1
    assert parent_of(Organization.objects.get(code="H1-B1-1")) == b1
    assert Organization.objects.get(code="H1-T1").is_temporary
    assert b1.department.name == "心内科" and b1.department.category == "clinical"
    assert b1.department.hospital == h1 and b1.founded_on == dt.date(2010, 5, 1)
    assert h1.founded_on == dt.date(2000, 1, 1)
    # 29 February plus three years is 28 February.
    assert b1.terms.get().ends_on == dt.date(2027, 2, 28)
    assert h1.terms.get().ends_on == dt.date(2026, 6, 1)

    secretary = person(1)
    assert secretary.organization == b1 and secretary.department == b1.department
    assert secretary.is_department_head and secretary.admin_title == "主任"
    assert secretary.gender == "male"
    assert f"{secretary.birth_date:%Y%m%d}" == secretary.id_number[6:14]
    assert periods(secretary) == [
        ("applicant", dt.date(2015, 3, 1), dt.date(2015, 9, 1)),
        ("activist", dt.date(2015, 9, 1), dt.date(2016, 10, 8)),
        ("candidate", dt.date(2016, 10, 8), dt.date(2017, 7, 1)),
        ("probationary", dt.date(2017, 7, 1), dt.date(2018, 7, 1)),
        ("full", dt.date(2018, 7, 1), None),
    ]
    seat = CommitteeSeat.objects.get(person=secretary)
    assert (seat.organization, seat.post, seat.started_on) == (
        b1,
        "secretary",
        dt.date(2024, 2, 29),
    )
    membership = Membership.objects.get(person=secretary)
    assert (membership.organization, membership.started_on) == (b1, dt.date(2015, 3, 1))
    assert membership.start_reason == MembershipReason.IMPORT

    retired = person(2)
    assert (retired.talent_category, retired.employment) == ("backbone", "retired")
    assert periods(retired)[-1] == ("probationary", dt.date(2017, 7, 1), None)
    masses = person(6)
    assert periods(masses) == [] and masses.department.name == "行政办公室"
    assert Membership.objects.get(person=masses).started_on == TODAY()
    assert Department.objects.get(name="检验科").category == "medical_technical"

    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.summary["file"] == "roster.xlsx" and entry.summary["people_created"] == 6
    assert entry.org_path == h1.path


def test_numbers_are_encrypted_at_rest(tmp_path):
    import_roster(roster(tmp_path))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person")
        for id_number, phone in cursor.fetchall():
            assert id_number.startswith("sm4gcm1:") and phone.startswith("sm4gcm1:")
    assert person(1).phone == "13900000001"


def test_full_member_without_full_date_is_full_one_year_after_admission(tmp_path):
    row = person_row(1, "H1-B1", 转正日期="")
    import_roster(roster(tmp_path, people=[row]))
    assert periods(person(1))[-1] == ("full", dt.date(2018, 7, 1), None)


def test_headers_in_any_order_excel_dates_and_numeric_cells(tmp_path):
    wb = Workbook()
    orgs = wb.active
    orgs.title = "党组织"
    orgs.append(["类型", "组织名称", "组织编码", "成立日期"])
    orgs.append(["党委", "示例医院党委", 101, dt.datetime(2001, 2, 3)])
    people = wb.create_sheet("人员")
    people.append(["政治面貌", "入党日期", "所在组织编码", "身份证号", "姓名", "手机号"])
    number = make_id_number(dt.date(1980, 5, 6), "female", 7)
    people.append(["预备党员", dt.date(2026, 1, 5), 101, number, "测试甲", 13912345678])
    path = tmp_path / "free.xlsx"
    wb.save(path)
    report = import_roster(path)
    assert report.ok, report.errors
    org = Organization.objects.get(code="101")
    assert org.founded_on == dt.date(2001, 2, 3)
    p = Person.objects.get()
    assert (p.phone, p.gender, p.birth_date) == ("13912345678", "female", dt.date(1980, 5, 6))
    assert periods(p) == [("probationary", dt.date(2026, 1, 5), None)]


def test_a_file_object_is_accepted(tmp_path):
    path = roster(tmp_path)
    with path.open("rb") as handle:
        report = import_roster(io.BytesIO(handle.read()))
    assert report.ok and Person.objects.count() == 6


def test_dry_run_counts_and_writes_nothing(tmp_path):
    report = import_roster(roster(tmp_path), dry_run=True)
    assert report.ok and report.dry_run
    assert (report.organizations_created, report.people_created, report.branches) == (6, 6, 3)
    assert nothing_written()


# -- bad cells: one line each, nothing written ---------------------------------------------
def _edit_org(code, **cells):
    def edit(orgs, people):
        for row in orgs:
            if row["组织编码"] == code:
                row.update(cells)

    return edit


def _edit_person(n, **cells):
    def edit(orgs, people):
        people[n - 1].update(cells)

    return edit


def _add_org(**cells):
    return lambda orgs, people: orgs.append(org_row(**cells))


def _add_person(row):
    return lambda orgs, people: people.append(row)


RECENT = (dt.date.today() - dt.timedelta(days=100)).isoformat()
FUTURE = "2099-01-01"
BAD_CELLS = [
    (_edit_org("H1-B2", 类型="支部"), "党组织 第5行 类型：“支部”不是可选值"),
    (_edit_org("H1-T1", 是否临时="临时"), "党组织 第6行 是否临时：“临时”不是可选值"),
    (_edit_org("H1-B2", 科室类别="外科"), "党组织 第5行 科室类别：“外科”不是可选值"),
    (
        _edit_org("H1-B1", 成立日期="05/01/2010"),
        "党组织 第4行 成立日期：无法识别的日期：05/01/2010",
    ),
    (_edit_org("H1-B1", 成立日期="2010-02-30"), "党组织 第4行 成立日期：不是有效的日期"),
    (_edit_org("H1-B1", 本届开始日期=FUTURE), "党组织 第4行 本届开始日期：不能晚于今天"),
    (_edit_org("H1-B2", 上级组织编码="NOPE"), "党组织 第5行 上级组织编码：上级组织 NOPE 不存在"),
    (_edit_org("H1-B2", 上级组织编码="H1-B2"), "党组织 第5行 上级组织编码：上级组织不能是本组织"),
    (_edit_org("H1-B2", 组织名称=""), "党组织 第5行 组织名称：不能为空"),
    (
        _edit_org("H1-T1", 科室类别="临床"),
        "党组织 第6行 科室类别：填写科室类别时须同时填写对应科室",
    ),
    (
        _edit_org("H1-B2", 对应科室="心内科", 科室类别="护理"),
        "党组织 第5行 科室类别：与第4行对同一科室",
    ),
    (_add_org(code="H1-B2", name="重复"), "党组织 第8行 组织编码：与第5行重复"),
    (
        _add_org(code="X-B1", kind="党支部", 对应科室="外科"),
        "党组织 第8行 对应科室：本组织及其上级中没有医院党委",
    ),
    (
        _edit_person(1, 身份证号=person_id(1)[:17] + "0"),
        "人员 第2行 身份证号：身份证号校验位不正确",
    ),
    (_edit_person(1, 身份证号="12345"), "人员 第2行 身份证号：身份证号须为18位"),
    # Stored by Excel as a number: 15 significant digits, the rest zeros, even when the
    # rounded number passes the checksum; or shown in scientific notation.
    (
        _edit_person(1, 身份证号=int(person_id(1)[:15] + "000")),
        "人员 第2行 身份证号：身份证号被 Excel 存成了数字",
    ),
    (
        _edit_person(1, 身份证号=int(ROUNDED_BUT_VALID)),
        "人员 第2行 身份证号：身份证号被 Excel 存成了数字",
    ),
    (
        _edit_person(1, 身份证号=float(person_id(1)[:17])),
        "人员 第2行 身份证号：身份证号被 Excel 存成了数字",
    ),
    (
        _edit_person(1, 身份证号="9.90101199E+17"),
        "人员 第2行 身份证号：身份证号被 Excel 存成了数字",
    ),
    (_edit_person(1, 身份证号=""), "人员 第2行 身份证号：不能为空"),
    (_add_person(person_row(1, "H1-B2", "群众")), "人员 第8行 身份证号：与第2行重复"),
    (_edit_person(1, 性别="女"), "人员 第2行 性别：与身份证号不符（身份证号为男）"),
    (_edit_person(2, 出生日期="1990-01-01"), "人员 第3行 出生日期：与身份证号不符"),
    (_edit_person(1, 手机号="12345"), "人员 第2行 手机号：手机号应为以 1 开头的 11 位数字"),
    (_edit_person(1, 手机号="23900000001"), "人员 第2行 手机号：手机号应为以 1 开头的 11 位数字"),
    (_edit_person(3, 所在组织编码="H9"), "人员 第4行 所在组织编码：组织 H9 不存在"),
    (_edit_person(3, 所在组织编码=""), "人员 第4行 所在组织编码：不能为空"),
    (_edit_person(3, 人才类别="专家"), "人员 第4行 人才类别：“专家”不是可选值"),
    (_edit_person(3, 人员类别="退休"), "人员 第4行 人员类别：“退休”不是可选值"),
    (_edit_person(3, 政治面貌="党员"), "人员 第4行 政治面貌：“党员”不是可选值"),
    (_edit_person(3, 政治面貌=""), "人员 第4行 政治面貌：不能为空"),
    (_edit_person(3, 党内职务="主任"), "人员 第4行 党内职务：“主任”不是可选值"),
    (_edit_person(2, 党内职务="组织委员"), "人员 第3行 党内职务：党内职务须由正式党员担任"),
    (_edit_person(3, 是否科室负责人="Y"), "人员 第4行 是否科室负责人：“Y”不是可选值"),
    (_edit_person(3, 姓名=""), "人员 第4行 姓名：不能为空"),
    (_edit_person(3, 姓名="长" * 51), "人员 第4行 姓名：不能超过 50 个字"),
    (_edit_person(1, 入党日期=""), "人员 第2行 入党日期：正式党员须填写入党日期"),
    (_edit_person(2, 入党日期=""), "人员 第3行 入党日期：政治面貌为预备党员，须填写此日期"),
    (
        _edit_person(4, 入党日期="2020-01-01"),
        "人员 第5行 入党日期：政治面貌为入党积极分子，不应填写",
    ),
    (
        _edit_person(6, 申请入党日期="2020-01-01"),
        "人员 第7行 申请入党日期：政治面貌为群众，不应填写",
    ),
    (
        _edit_person(4, 确定积极分子日期="2015-01-01"),
        "人员 第5行 确定积极分子日期：2015-01-01 早于申请入党日期（2015-03-01）",
    ),
    (
        _edit_person(1, 入党日期=RECENT, 转正日期=""),
        "人员 第2行 转正日期：未填写时按入党日期满一年计为",
    ),
    (_edit_person(5, 申请入党日期=FUTURE), "人员 第6行 申请入党日期：不能晚于今天"),
]


@pytest.mark.parametrize("edit,expected", BAD_CELLS, ids=[e for _, e in BAD_CELLS])
def test_each_bad_cell_gives_one_line_and_nothing_is_written(tmp_path, edit, expected):
    orgs, people = small_hospital(), base_people()
    edit(orgs, people)
    report = import_roster(write_roster(tmp_path / "bad.xlsx", orgs, people))
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(expected), report.errors
    assert nothing_written()


def test_every_bad_cell_is_listed_in_sheet_and_row_order(tmp_path):
    orgs, people = small_hospital(), base_people()
    _edit_person(3, 手机号="1")(orgs, people)
    _edit_person(1, 性别="女", 手机号="2")(orgs, people)
    _edit_org("H1-B2", 类型="?")(orgs, people)
    report = import_roster(write_roster(tmp_path / "bad.xlsx", orgs, people))
    assert [line.split("：")[0] for line in report.errors] == [
        "党组织 第5行 类型",
        "人员 第2行 性别",
        "人员 第2行 手机号",
        "人员 第4行 手机号",
    ]
    assert report.summary() == "名册有 4 处错误，未导入任何数据"


def test_a_row_under_a_bad_organisation_row_gets_no_second_error(tmp_path):
    orgs, people = small_hospital(), base_people()
    _edit_org("H1-B1", 类型="?")(orgs, people)  # H1-B1-1 and people 1, 2 hang below it
    report = import_roster(write_roster(tmp_path / "bad.xlsx", orgs, people))
    assert report.errors == [
        "党组织 第4行 类型：“?”不是可选值（可选：指导委员会、党委、党总支、党支部、党小组）"
    ]


def test_a_cycle_is_reported_on_each_row_of_it(tmp_path):
    orgs = small_hospital()
    _edit_org("H1-G1", 上级组织编码="H1-B1")(orgs, [])
    report = import_roster(roster(tmp_path, orgs=orgs))
    assert report.errors == [
        "党组织 第3行 上级组织编码：上级关系形成循环：H1-G1 → H1-B1 → H1-G1",
        "党组织 第4行 上级组织编码：上级关系形成循环：H1-B1 → H1-G1 → H1-B1",
    ]
    assert nothing_written()


def test_missing_sheets_columns_and_unreadable_files(tmp_path):
    no_id = [h for h in PERSON_HEADERS if h != "身份证号"]
    path = write_roster(tmp_path / "a.xlsx", small_hospital(), base_people(), person_headers=no_id)
    assert import_roster(path).errors == ["人员 第1行 身份证号：缺少必填列"]

    wb = Workbook()
    wb.active.title = "人员"
    wb.active.append(PERSON_HEADERS)
    wb.save(tmp_path / "b.xlsx")
    assert import_roster(tmp_path / "b.xlsx").errors == [
        "工作簿：缺少工作表“党组织”（工作簿中的工作表：“人员”）"
    ]

    (tmp_path / "c.xlsx").write_text("not a workbook")
    assert import_roster(tmp_path / "c.xlsx").errors[0].startswith("工作簿：无法读取文件")
    assert nothing_written()


def test_stage_periods_rules():
    today = dt.date(2024, 1, 1)
    d = dt.date
    assert stage_periods("", [None] * 5, today) == ([], [])
    assert stage_periods("applicant", [d(2020, 1, 1), None, None, None, None], today) == (
        [("applicant", d(2020, 1, 1))],
        [],
    )
    # Earlier dates optional, equal dates allowed.
    periods_, problems = stage_periods(
        "candidate", [None, d(2020, 1, 1), d(2020, 1, 1), None, None], today
    )
    assert periods_ == [("activist", d(2020, 1, 1)), ("candidate", d(2020, 1, 1))] and not problems
    # 转正日期 defaults to one year after admission (28 February after 29 February).
    periods_, problems = stage_periods("full", [None, None, None, d(2020, 2, 29), None], today)
    assert periods_[-1] == ("full", d(2021, 2, 28)) and not problems
    _, problems = stage_periods("full", [None, None, None, d(2023, 6, 1), None], today)
    assert problems and problems[0][0] == "转正日期"


# -- re-import -----------------------------------------------------------------------------
def test_identical_reimport_changes_nothing_but_logs_the_import(tmp_path):
    path = roster(tmp_path)
    import_roster(path)
    ids = sorted(StatusPeriod.objects.values_list("id", flat=True))
    report = import_roster(path)
    assert report.ok
    assert (report.organizations_created, report.organizations_updated) == (0, 0)
    assert (report.people_created, report.people_updated, report.people_unchanged) == (0, 0, 6)
    assert sorted(StatusPeriod.objects.values_list("id", flat=True)) == ids
    assert Membership.objects.count() == 6 and CommitteeTerm.objects.count() == 2
    assert AuditEntry.objects.filter(action="roster.import").count() == 2
    assert AuditEntry.objects.count() == 2


def test_reimport_updates_phone_instead_of_duplicating(tmp_path):
    import_roster(roster(tmp_path))
    people = base_people()
    people[0]["手机号"] = "13811112222"
    report = import_roster(roster(tmp_path, people=people, name="second.xlsx"))
    assert (report.people_created, report.people_updated, report.people_unchanged) == (0, 1, 5)
    assert Person.objects.count() == 6 and person(1).phone == "13811112222"


def test_reimport_moves_a_person_keeping_history_and_ending_the_old_post(tmp_path):
    import_roster(roster(tmp_path))
    people = base_people()
    people[0]["所在组织编码"] = "H1-B2"
    people[0]["党内职务"] = "组织委员"
    report = import_roster(roster(tmp_path, people=people, name="moved.xlsx"))
    assert report.people_updated == 1
    moved = person(1)
    assert moved.organization.code == "H1-B2"
    rows = list(
        Membership.objects.filter(person=moved).values_list(
            "organization__code", "started_on", "ended_on", "start_reason", "end_reason"
        )
    )
    assert rows == [
        ("H1-B1", dt.date(2015, 3, 1), TODAY(), "import", "move"),
        ("H1-B2", TODAY(), None, "move", ""),
    ]
    seats = list(
        CommitteeSeat.objects.filter(person=moved).values_list(
            "organization__code", "post", "ended_on"
        )
    )
    assert sorted(seats) == [("H1-B1", "secretary", TODAY()), ("H1-B2", "organization", None)]
    assert len(periods(moved)) == 5


def test_reimport_advances_a_status_and_replaces_the_history(tmp_path):
    import_roster(roster(tmp_path))
    people = base_people()
    people[3].update(政治面貌="发展对象", 确定发展对象日期="2016-10-08")
    report = import_roster(roster(tmp_path, people=people, name="advanced.xlsx"))
    assert report.people_updated == 1
    assert periods(person(4)) == [
        ("applicant", dt.date(2015, 3, 1), dt.date(2015, 9, 1)),
        ("activist", dt.date(2015, 9, 1), dt.date(2016, 10, 8)),
        ("candidate", dt.date(2016, 10, 8), None),
    ]


def test_reimport_as_masses_ends_the_open_status_and_keeps_the_history(tmp_path):
    import_roster(roster(tmp_path))
    people = base_people()
    people[4] = person_row(5, "H1-B1-1", "群众")
    assert import_roster(roster(tmp_path, people=people, name="m.xlsx")).people_updated == 1
    assert periods(person(5)) == [("applicant", dt.date(2015, 3, 1), TODAY())]
    again = import_roster(roster(tmp_path, people=people, name="m2.xlsx"))
    assert again.people_updated == 0


def test_reimport_changes_and_removes_posts(tmp_path):
    import_roster(roster(tmp_path))
    people = base_people()
    people[0]["党内职务"] = "副书记"
    import_roster(roster(tmp_path, people=people, name="p1.xlsx"))
    seats = CommitteeSeat.objects.filter(person=person(1)).order_by("id")
    assert [(s.post, s.ended_on) for s in seats] == [
        ("secretary", TODAY()),
        ("deputy_secretary", None),
    ]
    people[0]["党内职务"] = "无"
    import_roster(roster(tmp_path, people=people, name="p2.xlsx"))
    assert not CommitteeSeat.objects.filter(person=person(1), ended_on__isnull=True).exists()


def test_reimport_updates_and_moves_organisations(tmp_path):
    import_roster(roster(tmp_path))
    orgs = small_hospital()
    _edit_org("H1-B2", 上级组织编码="H1-G1", 组织名称="检验科第一党支部", 科室类别="临床")(orgs, [])
    _edit_org("H1-T1", 本届开始日期="2025-01-01", 对应科室="")(orgs, [])
    report = import_roster(roster(tmp_path, orgs=orgs, name="orgs.xlsx"))
    assert (report.organizations_created, report.organizations_updated) == (0, 2)
    b2 = Organization.objects.get(code="H1-B2")
    assert parent_of(b2).code == "H1-G1" and b2.name == "检验科第一党支部"
    assert b2.department.category == "clinical"
    assert Organization.objects.get(code="H1-T1").terms.get().started_on == dt.date(2025, 1, 1)
    assert person(3).organization == b2  # people come along with their branch
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_an_absent_optional_column_leaves_stored_values_alone(tmp_path):
    import_roster(roster(tmp_path))
    headers = [h for h in PERSON_HEADERS if h not in ("手机号", "党内职务", "科室")]
    people = base_people()
    for row in people:
        row["手机号"] = "13000000000"
    path = write_roster(tmp_path / "few.xlsx", small_hospital(), people, person_headers=headers)
    report = import_roster(path)
    assert report.people_unchanged == 6
    assert person(1).phone == "13900000001" and person(1).department.name == "心内科"
    assert CommitteeSeat.objects.filter(ended_on__isnull=True).count() == 1


# -- scope ---------------------------------------------------------------------------------
def test_import_under_an_org_puts_rootless_rows_below_it(two_hospitals, tmp_path):
    _, (ha, _, _), _ = two_hospitals
    orgs = [org_row("HA-B9", "新建党支部"), org_row("HA-B9-1", "新建小组", "HA-B9", kind="党小组")]
    people = [person_row(1, "HA-B9"), person_row(2, "HA-B2", "群众")]
    report = import_roster(write_roster(tmp_path / "r.xlsx", orgs, people), org=ha)
    assert report.ok, report.errors
    assert parent_of(Organization.objects.get(code="HA-B9")) == ha
    assert AuditEntry.objects.get(action="roster.import").org_path == ha.path


def test_import_under_an_org_refuses_anything_outside_it(two_hospitals, tmp_path):
    _, (ha, _, _), (hb, _, _) = two_hospitals
    orgs = [org_row("HA-B9", "新建党支部", "HB"), org_row("HB-B1", "乙医院支部")]
    people = [person_row(1, "HB-B2"), person_row(2, "HA-B1")]
    report = import_roster(write_roster(tmp_path / "r.xlsx", orgs, people), org=ha)
    assert report.errors == [
        "党组织 第2行 上级组织编码：上级组织 HB 不在导入范围（HA）之内",
        "党组织 第3行 组织编码：组织 HB-B1 已存在，且不在导入范围（HA）之内",
        "人员 第2行 所在组织编码：组织 HB-B2 不在导入范围（HA）之内",
    ]
    assert Person.objects.count() == 0 and not Organization.objects.filter(code="HA-B9").exists()


def test_a_person_stored_in_another_hospital_cannot_be_pulled_in(two_hospitals, tmp_path):
    _, (ha, _, _), (hb, hb_b1, _) = two_hospitals
    import_roster(write_roster(tmp_path / "b.xlsx", [], [person_row(1, "HB-B1")]), org=hb)
    report = import_roster(write_roster(tmp_path / "a.xlsx", [], [person_row(1, "HA-B1")]), org=ha)
    assert report.errors == [
        "人员 第2行 身份证号：该人员已登记在导入范围以外的组织，不能在此导入（调入请办理组织关系转接）"
    ]
    assert person(1).organization == hb_b1


def test_a_user_imports_only_into_their_write_scope(two_hospitals, tmp_path):
    from tests.factories import make_user

    _, (ha, _, _), (hb, _, _) = two_hospitals
    office = make_user("office_a", "office", ha)
    path = write_roster(
        tmp_path / "r.xlsx", [org_row("X9", "新支部", "HB")], [person_row(1, "HB-B1")]
    )
    report = import_roster(path, org=hb, user=office)
    assert report.errors == ["工作簿：无权向组织 HB 导入名册"]
    report = import_roster(path, user=office)
    assert report.errors == [
        "党组织 第2行 上级组织编码：上级组织 HB 不存在或不在您的导入范围内",
        "人员 第2行 所在组织编码：组织 HB-B1 不存在或不在您的导入范围内",
    ]
    auditor = make_user("aud", "auditor", ha)
    assert import_roster(path, org=ha, user=auditor).errors == ["工作簿：无权向组织 HA 导入名册"]
    assert Person.objects.count() == 0
    # Their own hospital may be renamed in place (it stays under the guidance committee),
    # but not moved out from under it or made a root.
    own = [org_row("HA", "甲医院党委（新）", kind="党委"), org_row("HA-B7", "新支部")]
    report = import_roster(write_roster(tmp_path / "own.xlsx", own, []), user=office)
    assert report.errors == ["党组织 第3行 上级组织编码：无权新建顶级组织"]
    own[1]["上级组织编码"] = "HA"
    report = import_roster(write_roster(tmp_path / "own2.xlsx", own, []), user=office)
    assert report.ok, report.errors
    assert (report.organizations_created, report.organizations_updated) == (1, 1)
    ha.refresh_from_db()
    assert ha.name == "甲医院党委（新）" and Organization.objects.get_parent(ha).code == "CITY"
    moved = [org_row("HA", "甲医院党委", "HB", kind="党委")]
    report = import_roster(write_roster(tmp_path / "move.xlsx", moved, []), user=office)
    assert report.errors == ["党组织 第2行 上级组织编码：上级组织 HB 不存在或不在您的导入范围内"]


# -- commands ------------------------------------------------------------------------------
def test_import_command_success_and_dry_run(tmp_path):
    path = roster(tmp_path)
    out = io.StringIO()
    call_command("import-roster", str(path), "--dry-run", stdout=out)
    assert "试导入（未写入）" in out.getvalue() and Person.objects.count() == 0
    call_command("import-roster", str(path), stdout=out)
    assert "导入完成：党组织 新增 6、更新 0；人员 新增 6、更新 0、未变 0" in out.getvalue()
    assert Person.objects.count() == 6


def test_import_command_prints_each_bad_cell_and_fails(tmp_path):
    people = base_people()
    people[0]["手机号"] = "1"
    people[1]["性别"] = "男"
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import-roster", str(roster(tmp_path, people=people)), stderr=err)
    assert exc.value.returncode == 1
    assert str(exc.value) == "名册有 2 处错误，未导入任何数据"
    assert err.getvalue().splitlines() == [
        "人员 第2行 手机号：手机号应为以 1 开头的 11 位数字",
        "人员 第3行 性别：与身份证号不符（身份证号为女）",
    ]
    assert nothing_written()


def test_import_command_refuses_a_missing_file_or_unknown_org(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import-roster", str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="组织编码不存在：NOPE"):
        call_command("import-roster", str(roster(tmp_path)), "--org", "NOPE")
    assert nothing_written()


def test_the_console_script_exits_non_zero_with_chinese_reasons(tmp_path):
    """The real `dangjian` entry point, on a database of its own."""
    env = {
        **os.environ,
        "DANGJIAN_TESTING": "1",
        "DANGJIAN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }

    def dangjian(*args):
        command = [sys.executable, "-m", "dangjian", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert dangjian("migrate", "-v0").returncode == 0
    people = base_people()
    people[2]["身份证号"] = person_id(3)[:17] + ("0" if person_id(3)[17] != "0" else "1")
    bad = dangjian("import-roster", str(roster(tmp_path, people=people, name="bad.xlsx")))
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "人员 第4行 身份证号：身份证号校验位不正确",
        "CommandError: 名册有 1 处错误，未导入任何数据",
    ]
    good = dangjian("import-roster", str(roster(tmp_path)), "--dry-run")
    assert good.returncode == 0 and good.stdout.startswith("试导入（未写入）")
    exported = dangjian("export-roster", "--org", "H1", "-o", str(tmp_path / "out.xlsx"))
    assert exported.returncode == 1 and "组织编码不存在：H1" in exported.stderr


# -- scale ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_ten_thousand_people_import_in_bulk(tmp_path, django_assert_max_num_queries):
    path = generated_roster(tmp_path / "big.xlsx", 10_000)
    # treebeard adds organisations one by one (about a dozen queries each); people go in
    # batches, so the count does not grow row by row with them.
    with django_assert_max_num_queries(6_000):
        report = import_roster(path)
    assert report.ok, report.errors[:5]
    assert report.people_created == 10_000 and report.organizations_created == 334
    assert Person.objects.count() == 10_000
    assert Membership.objects.count() == 10_000
    assert CommitteeSeat.objects.count() == 333
    again = import_roster(path, dry_run=True)
    assert again.people_unchanged == 10_000 and again.organizations_updated == 0


# -- history on paper that breaks a time rule: imported, listed, reported by check ----------
def _irregular_people():
    return [
        person_row(1, "H1-B1", "正式党员", 入党日期="2017-07-01", 转正日期="2018-03-01"),
        person_row(
            2, "H1-B1", "发展对象", 确定积极分子日期="2016-01-10", 确定发展对象日期="2016-10-08"
        ),
        person_row(3, "H1-B2", "正式党员"),  # one year of probation: regular
    ]


def test_irregular_stage_dates_are_imported_with_a_warning_each(tmp_path, capsys):
    path = roster(tmp_path, people=_irregular_people())
    preview = import_roster(path, dry_run=True)
    assert preview.ok and len(preview.warnings) == 2
    assert preview.warnings[0].startswith("人员 第2行 ") and "预备期不是一年" in preview.warnings[0]
    assert preview.warnings[1].startswith("人员 第3行 ") and "不满一年" in preview.warnings[1]
    call_command("import-roster", str(path))
    out = capsys.readouterr().out
    assert out.count("提示：") == 2 and "已按名册导入，请核实" in out
    assert Person.objects.count() == 3  # imported as they stand


def test_check_reports_irregular_history_until_it_is_corrected(tmp_path):
    from dangjian.compliance.findings import findings

    import_roster(roster(tmp_path, people=_irregular_people()))
    hospital = Organization.objects.get(code="H1")
    found = [f for f in findings(hospital, dt.date(2025, 1, 15))
             if f["kind"] == "development_history_irregular"]  # fmt: skip
    assert [f["org"] for f in found] == ["H1-B1", "H1-B1"]
    assert all(f["severity"] == "yellow" for f in found)
    fixed = _irregular_people()
    fixed[0]["转正日期"] = "2018-07-01"
    fixed[1]["确定积极分子日期"] = "2015-09-01"
    import_roster(roster(tmp_path, people=fixed, name="fixed.xlsx"))
    assert not [f for f in findings(hospital, dt.date(2025, 1, 15))
                if f["kind"] == "development_history_irregular"]  # fmt: skip


def test_a_branch_secretary_cannot_change_the_type_of_their_own_branch(two_hospitals, tmp_path):
    from tests.factories import make_user

    _, (ha, b1, _), _ = two_hospitals
    secretary = make_user("sec_b1", "secretary", b1)
    row = org_row(b1.code, b1.name, ha.code, kind="党委")
    report = import_roster(write_roster(tmp_path / "up.xlsx", [row], []), user=secretary)
    assert report.errors == [
        f"党组织 第2行 类型：无权修改本组织（{b1.code}）的类型，请由上级党组织调整"
    ]
    b1.refresh_from_db()
    assert b1.kind == "branch"
    # The office above may change it.
    office = make_user("office_a", "office", ha)
    row["类型"] = "党总支"
    assert import_roster(write_roster(tmp_path / "ok.xlsx", [row], []), user=office).ok


def test_a_preview_does_not_tell_what_lies_in_another_hospital(two_hospitals, tmp_path):
    """Codes and ID numbers registered in hospital B read, for hospital A's office, like
    ones that do not exist or are merely unusable (issue 14: the existence oracle)."""
    from tests.factories import make_member, make_user

    _, (ha, _, _), (hb, hb_b1, _) = two_hospitals
    office = make_user("office_a", "office", ha)
    theirs = make_member(hb_b1)

    def errors(orgs, people):
        path = write_roster(tmp_path / f"p{len(orgs)}{len(people)}.xlsx", orgs, people)
        return import_roster(path, dry_run=True, user=office).errors

    existing = errors([org_row("N1", "新支部", "HB-B1")], [])
    missing = errors([org_row("N1", "新支部", "ZZ-NONE")], [])
    assert existing[0].replace("HB-B1", "X") == missing[0].replace("ZZ-NONE", "X")
    reused = errors([org_row("HB-B1", "改名", "HA")], [])
    assert reused == [
        "党组织 第2行 组织编码：组织编码 HB-B1 不能在此使用（请核对编码，或换用其他编码）"
    ]
    row = person_row(1, "HA-B1")
    row["身份证号"], row["姓名"] = theirs.id_number, theirs.name
    row["性别"] = "男" if theirs.gender == "male" else "女"
    row["出生日期"] = theirs.birth_date.isoformat()
    lines = errors([], [row])
    assert any("不能在此导入" in line for line in lines), lines
    assert not any("已登记" in line or "HB" in line for line in lines), lines


def test_a_users_preview_and_refused_import_are_audited(two_hospitals, tmp_path):
    from tests.factories import make_user

    _, (ha, _, _), _ = two_hospitals
    office = make_user("office_a", "office", ha)
    path = write_roster(tmp_path / "p.xlsx", [], [person_row(1, "HA-B1")])
    import_roster(path, org=ha, dry_run=True, user=office)
    (preview,) = AuditEntry.objects.filter(action="roster.preview")
    assert preview.actor_id == office.pk and preview.org_path == ha.path
    assert preview.summary["people"] == 1
    bad = write_roster(tmp_path / "b.xlsx", [], [person_row(1, "ZZ")])
    assert not import_roster(bad, org=ha, user=office).ok
    assert AuditEntry.objects.filter(action="roster.refused", actor=office).count() == 1
