import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Organization
from dangjian.people.models import Person, Status, StatusPeriod
from dangjian.roster.format import COMMITTEE_HEADERS, ORG_HEADERS, PERSON_HEADERS
from dangjian.roster.services import export_roster, import_roster

from .builder import (
    org_row,
    person_id,
    person_row,
    read_sheets,
    small_hospital,
    write_roster,
)

pytestmark = pytest.mark.django_db


def people_rows() -> list[dict]:
    return [
        person_row(
            1,
            "H1-B1",
            党内职务="书记",
            科室="心内科",
            是否科室负责人="是",
            行政职务="主任",
            职称="主任医师",
            人才类别="学科带头人",
        ),
        person_row(2, "H1-B1", "预备党员", 人员类别="离退休", 手机号=""),
        person_row(3, "H1-B2", "发展对象", 科室="检验科", 申请入党日期=""),
        person_row(4, "H1-G1", "入党积极分子", 党内职务="无"),
        person_row(5, "H1-B1-1", "入党申请人"),
        person_row(6, "H1-T1", "群众"),
        person_row(7, "H1", "正式党员", 党内职务="纪检委员", 转正日期=""),
    ]


@pytest.fixture
def imported(tmp_path):
    report = import_roster(write_roster(tmp_path / "in.xlsx", small_hospital(), people_rows()))
    assert report.ok, report.errors
    return Organization.objects.get(code="H1")


def test_export_writes_every_sheet_with_the_import_headers(imported, tmp_path):
    path = tmp_path / "out.xlsx"
    assert export_roster(imported, path, reason="年度核对") == 7
    sheets = read_sheets(path)
    assert list(sheets) == ["党组织", "人员", "委员"]
    assert list(sheets["党组织"][0]) == ORG_HEADERS
    assert list(sheets["人员"][0]) == PERSON_HEADERS
    assert list(sheets["委员"][0]) == COMMITTEE_HEADERS
    orgs = [row[:4] for row in sheets["党组织"][1:]]
    # Parents before children; the exported root has no parent.
    assert orgs[0] == ("H1", "H1医院党委", None, "党委")
    codes = [row[0] for row in orgs]
    assert codes.index("H1-G1") < codes.index("H1-B1") < codes.index("H1-B1-1")
    secretary = next(r for r in sheets["人员"][1:] if r[3] == person_id(1))
    by_header = dict(zip(PERSON_HEADERS, secretary, strict=False))
    assert by_header["手机号"] == "13900000001"  # whole numbers: the file the office re-imports
    assert by_header["党内职务"] == "书记" and by_header["人才类别"] == "学科带头人"
    assert by_header["入党日期"] == dt.datetime(2017, 7, 1)


def test_export_is_audited_with_its_reason(imported, tmp_path):
    export_roster(imported, tmp_path / "out.xlsx", reason="上级党委要求报送")
    entry = AuditEntry.objects.get(action="roster.export")
    assert entry.summary == {"org": "H1", "people": 7, "reason": "上级党委要求报送"}
    assert entry.org_path == imported.path


def test_export_reimports_unchanged_and_exports_identically(imported, tmp_path):
    first = tmp_path / "first.xlsx"
    export_roster(imported, first)
    for org in (None, imported):
        report = import_roster(first, org=org)
        assert report.ok, report.errors
        assert (report.organizations_created, report.organizations_updated) == (0, 0)
        assert (report.people_created, report.people_updated, report.people_unchanged) == (0, 0, 7)
    second = tmp_path / "second.xlsx"
    with second.open("wb") as handle:
        export_roster(imported, handle)
    assert read_sheets(first) == read_sheets(second)


def test_a_branch_export_holds_its_subtree_only(imported, tmp_path):
    branch = Organization.objects.get(code="H1-B1")
    path = tmp_path / "branch.xlsx"
    assert export_roster(branch, path) == 3
    sheets = read_sheets(path)
    assert [row[:3] for row in sheets["党组织"][1:]] == [
        ("H1-B1", "心内科党支部", None),
        ("H1-B1-1", "心内一组", "H1-B1"),
    ]
    assert sorted(row[5] for row in sheets["人员"][1:]) == ["H1-B1", "H1-B1", "H1-B1-1"]
    assert import_roster(path, org=branch).people_unchanged == 3


def test_a_hospital_below_a_guidance_committee_reimports_in_place(two_hospitals, tmp_path):
    _, (ha, _, _), _ = two_hospitals
    people = [person_row(1, "HA-B1", 党内职务="书记"), person_row(2, "HA-B2", "预备党员")]
    assert import_roster(write_roster(tmp_path / "a.xlsx", [], people), org=ha).ok
    path = tmp_path / "ha.xlsx"
    export_roster(ha, path)
    for org in (ha, None):
        report = import_roster(path, org=org)
        assert report.ok, report.errors
        assert (report.organizations_updated, report.people_updated) == (0, 0)
    ha.refresh_from_db()
    assert Organization.objects.get_parent(ha).code == "CITY"


@pytest.mark.parametrize("standing", [Status.LEFT, Status.SUSPENDED, Status.DECEASED])
def test_someone_who_left_exports_as_masses_and_keeps_the_history(imported, tmp_path, standing):
    """Left, suspended or dead (a 党籍 change, issue 16): the export says 群众 and the
    re-import keeps the standing open."""
    who = Person.objects.get(id_digest=_digest(person_id(5)))
    open_row = StatusPeriod.objects.get(person=who, ended_on__isnull=True)
    open_row.ended_on = dt.date(2024, 1, 1)
    open_row.save()
    StatusPeriod.objects.create(person=who, status=standing, started_on=dt.date(2024, 1, 1))
    path = tmp_path / "out.xlsx"
    export_roster(imported, path)
    row = next(r for r in read_sheets(path)["人员"][1:] if r[3] == person_id(5))
    assert row[12] == "群众" and all(v is None for v in row[14:])
    assert import_roster(path).people_unchanged == 7
    assert StatusPeriod.objects.filter(person=who).count() == 2
    assert StatusPeriod.objects.get(person=who, ended_on__isnull=True).status == standing


def test_changes_made_in_the_exported_file_come_back(imported, tmp_path):
    path = tmp_path / "out.xlsx"
    export_roster(imported, path)
    sheets = read_sheets(path)
    orgs = [dict(zip(ORG_HEADERS, r, strict=False)) for r in sheets["党组织"][1:]]
    people = [dict(zip(PERSON_HEADERS, r, strict=False)) for r in sheets["人员"][1:]]
    orgs.append(org_row("H1-B3", "眼科党支部", "H1", 对应科室="眼科", 科室类别="临床"))
    people.append(person_row(8, "H1-B3"))
    for row in people:
        if row["身份证号"] == person_id(4):
            row["所在组织编码"] = "H1-B3"
    report = import_roster(write_roster(tmp_path / "edited.xlsx", orgs, people))
    assert (report.organizations_created, report.people_created, report.people_updated) == (1, 1, 1)


def test_export_command_writes_the_file_and_fails_cleanly(imported, tmp_path):
    out = io.StringIO()
    path = tmp_path / "cmd.xlsx"
    call_command("export-roster", "--org", "H1", "-o", str(path), stdout=out)
    assert "已导出 H1 名册：7 人" in out.getvalue() and path.exists()
    assert AuditEntry.objects.get(action="roster.export").summary["reason"] == "命令行导出"
    with pytest.raises(CommandError, match="组织编码不存在：NOPE"):
        call_command("export-roster", "--org", "NOPE", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="无法写入文件"):
        call_command("export-roster", "--org", "H1", "-o", str(tmp_path / "no" / "dir.xlsx"))
    assert AuditEntry.objects.filter(action="roster.export").count() == 1


def _digest(number):
    from dangjian.core.crypto import digest

    return digest(number)
