import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from tests.factories import make_user

from .builder import org_row, person_row, write_roster

pytestmark = pytest.mark.django_db

UPLOAD = reverse("roster:upload")
CONFIRM = reverse("roster:confirm")


@pytest.fixture
def world(two_hospitals):
    guidance, (ha, ha_b1, _), (hb, hb_b1, _) = two_hospitals
    return {
        "ha": ha,
        "hb": hb,
        "ha_b1": ha_b1,
        "office_a": make_user("office_a", "office", ha),
        "secretary_a": make_user("secretary_a", "secretary", ha_b1),
        "guidance": make_user("city", "guidance", guidance),
    }


def workbook_file(tmp_path, orgs, people, name="名册.xlsx"):
    path = write_roster(tmp_path / "upload.xlsx", orgs, people)
    return SimpleUploadedFile(name, path.read_bytes())


def good_file(tmp_path):
    orgs = [org_row("HA-B3", "眼科党支部", "", 对应科室="眼科", 科室类别="临床")]
    people = [
        person_row(1, "HA-B3", 党内职务="书记"),
        person_row(2, "HA-B3", "入党积极分子"),
        person_row(3, "HA-B1", "群众"),
    ]
    return workbook_file(tmp_path, orgs, people)


def uploads(settings):
    folder = settings.MEDIA_ROOT / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_pages_need_a_login(client, world):
    for url in (UPLOAD, reverse("roster:export", args=["HA"])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_readers_may_not_import(client, world):
    client.force_login(world["guidance"])
    assert client.get(UPLOAD).status_code == 403


def test_upload_previews_then_confirm_commits(client, world, tmp_path, settings):
    client.force_login(world["office_a"])
    page = client.get(UPLOAD)
    assert page.status_code == 200
    choices = [str(c[1]) for c in page.context["form"].fields["org"].choices]
    assert any("HA" in c for c in choices) and not any("HB" in c for c in choices)

    preview = client.post(UPLOAD, {"file": good_file(tmp_path), "org": world["ha"].pk})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "确认导入" in text and "入党积极分子" in text
    report = preview.context["report"]
    assert (report.organizations_created, report.branches, report.people_created) == (1, 1, 3)
    assert Person.objects.count() == 0 and len(uploads(settings)) == 1
    assert not AuditEntry.objects.filter(action="roster.import").exists()

    done = client.post(CONFIRM, {"token": preview.context["token"]}, follow=True)
    assert "导入完成" in done.content.decode()
    assert Person.objects.count() == 3
    branch = Organization.objects.get(code="HA-B3")
    assert Organization.objects.get_parent(branch) == world["ha"]
    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.actor == world["office_a"] and entry.summary["file"] == "名册.xlsx"
    assert uploads(settings) == []
    # The same confirmation cannot be replayed.
    again = client.post(CONFIRM, {"token": preview.context["token"]}, follow=True)
    assert "没有待确认的导入" in again.content.decode()
    assert AuditEntry.objects.filter(action="roster.import").count() == 1


def test_a_bad_workbook_lists_every_bad_cell_and_keeps_no_file(client, world, tmp_path, settings):
    client.force_login(world["office_a"])
    people = [person_row(1, "HA-B1", 手机号="123"), person_row(2, "HA-B1", 政治面貌="党员")]
    response = client.post(
        UPLOAD, {"file": workbook_file(tmp_path, [], people), "org": world["ha"].pk}
    )
    text = response.content.decode()
    assert "名册有 2 处错误" in text
    assert "人员 第2行 手机号：手机号应为以 1 开头的 11 位数字" in text
    assert "人员 第3行 政治面貌" in text and "确认导入" not in text
    assert uploads(settings) == [] and Person.objects.count() == 0


def test_unreadable_formats_are_refused_with_the_save_as_steps(client, world):
    client.force_login(world["office_a"])
    upload = SimpleUploadedFile("roster.et", b"whatever")
    response = client.post(UPLOAD, {"file": upload, "org": world["ha"].pk})
    assert response.context["form"].errors["file"] == [
        "无法读取WPS 表格文件（.et）。请用 Excel 或 WPS 表格打开该文件，点“文件 → 另存为”，"
        "保存类型选“Excel 工作簿(*.xlsx)”（WPS：“Microsoft Excel 文件(*.xlsx)”），保存后上传新文件"
    ]
    # A .csv is read, as one sheet: the roster needs two, so the preview says how to fix it.
    upload = SimpleUploadedFile("roster.csv", "姓名,身份证号\r\n".encode())
    response = client.post(UPLOAD, {"file": upload, "org": world["ha"].pk})
    page = response.content.decode()
    assert "缺少工作表“党组织”：CSV 文件只能存一张表（已按“人员”表读取）" in page
    assert "CSV 文件只有一张表，按表头作为“人员”表读取" in page


def test_office_of_a_cannot_import_into_b(client, world, tmp_path):
    client.force_login(world["office_a"])
    response = client.post(UPLOAD, {"file": good_file(tmp_path), "org": world["hb"].pk})
    assert response.status_code == 200 and response.context["form"].errors["org"]
    # Nor reach B through the workbook's own codes.
    orgs = [org_row("HB-B9", "乙医院新支部", "HB")]
    people = [person_row(1, "HB-B1")]
    response = client.post(
        UPLOAD, {"file": workbook_file(tmp_path, orgs, people), "org": world["ha"].pk}
    )
    text = response.content.decode()
    # Another hospital's codes read like codes that do not exist (no existence oracle).
    assert "上级组织 HB 不存在或不在您的导入范围内" in text
    assert "组织 HB-B1 不存在或不在您的导入范围内" in text
    assert Person.objects.count() == 0 and not Organization.objects.filter(code="HB-B9").exists()


def test_a_secretary_imports_into_their_branch_only(client, world, tmp_path):
    client.force_login(world["secretary_a"])
    page = client.get(UPLOAD)
    codes = [o.code for o in page.context["form"].fields["org"].queryset]
    assert codes == ["HA-B1"]
    people = [person_row(1, "HA-B2")]
    response = client.post(
        UPLOAD, {"file": workbook_file(tmp_path, [], people), "org": world["ha_b1"].pk}
    )
    assert "组织 HA-B2 不存在或不在您的导入范围内" in response.content.decode()


def test_export_needs_a_reason_and_is_audited(client, world, tmp_path):
    url = reverse("roster:export", args=["HA"])
    client.force_login(world["office_a"])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 200 and "请填写导出原因" in missing.content.decode()
    assert not AuditEntry.objects.filter(action="roster.export").exists()

    response = client.post(url, {"reason": "年度名册核对"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["党组织", "人员", "委员"]
    entry = AuditEntry.objects.get(action="roster.export")
    assert entry.actor == world["office_a"] and entry.summary["reason"] == "年度名册核对"


def test_export_of_another_hospital_is_404_and_without_reveal_403(client, world):
    client.force_login(world["office_a"])
    assert client.get(reverse("roster:export", args=["HB"])).status_code == 404
    assert client.post(reverse("roster:export", args=["HB"]), {"reason": "x"}).status_code == 404
    client.force_login(world["secretary_a"])
    assert client.get(reverse("roster:export", args=["HA-B1"])).status_code == 403
    assert client.get(reverse("roster:export", args=["HA"])).status_code == 404
    client.force_login(world["guidance"])
    assert client.post(reverse("roster:export", args=["HA"]), {"reason": "x"}).status_code == 403
    assert not AuditEntry.objects.filter(action="roster.export").exists()


def test_the_blank_workbook_has_every_sheet_with_its_headers(client, world):
    from dangjian.roster.format import COMMITTEE_HEADERS, ORG_HEADERS, PERSON_HEADERS

    url = reverse("roster:template")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(world["guidance"])
    assert client.get(url).status_code == 403
    client.force_login(world["office_a"])
    assert reverse("roster:template") in client.get(UPLOAD).content.decode()
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    assert rows == {
        "党组织": [tuple(ORG_HEADERS)],
        "人员": [tuple(PERSON_HEADERS)],
        "委员": [tuple(COMMITTEE_HEADERS)],
    }


def test_the_preview_counts_the_committee_seats(client, world, tmp_path):
    from .builder import seat_row

    client.force_login(world["office_a"])
    people = [person_row(1, "HA-B1"), person_row(2, "HA-B2")]
    seats = [seat_row("HA", 1, "书记"), seat_row("HA", 2, "委员")]
    path = write_roster(tmp_path / "c.xlsx", [], people, seats=seats)
    upload = SimpleUploadedFile("班子.xlsx", path.read_bytes())
    preview = client.post(UPLOAD, {"file": upload, "org": world["ha"].pk})
    text = preview.content.decode()
    assert "“委员”表中的任职" in text and "确认导入" in text
    assert preview.context["report"].seats_opened == 2
    done = client.post(CONFIRM, {"token": preview.context["token"]}, follow=True)
    assert "委员 任职 2、离任 0" in done.content.decode()
    assert world["ha"].seats.filter(ended_on__isnull=True).count() == 2


def test_the_preview_shows_how_the_file_was_read_before_the_confirm_button(client, world):
    from pathlib import Path

    client.force_login(world["office_a"])
    path = Path(__file__).parent / "corpus" / "17-hidden-sheet-and-visible-copy.xlsx"
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    page = client.post(UPLOAD, {"file": upload, "org": world["ha"].pk}).content.decode()
    assert "读取文件时的 2 条说明：请核对后再确认" in page
    assert "工作表“人员”是隐藏的工作表，已按它导入：请确认要导入的正是这一张" in page
    assert "工作表“人员 (2)”未导入" in page
    assert page.index("读取文件时的") < page.index("确认导入")
    assert not Person.objects.filter(name__startswith="测试").exists()
