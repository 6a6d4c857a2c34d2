"""Issue 17: rosters as offices really make them. Every file of tests/roster/corpus/
(made by make_corpus.py there: title rows, other column names, dates typed every way,
full-width digits, hidden sheets and filtered rows, .xls/.ods/.csv, broken files) is
imported or refused exactly as CORPUS states, with exactly the notices stated; none
crashes, nothing is dropped without a line saying so."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from dangjian.roster.services import import_roster

pytestmark = pytest.mark.django_db
CORPUS_DIR = Path(__file__).parent / "corpus"
SAVE_AS = (
    "请用 Excel 或 WPS 表格打开该文件，点“文件 → 另存为”，保存类型选“Excel 工作簿(*.xlsx)”"
    "（WPS：“Microsoft Excel 文件(*.xlsx)”），保存后上传新文件"
)
DATE_FORMS = "可用格式：2019-05-01、2019-5-1、2019.05.01、2019/5/1、2019年5月1日、20190501"
ANY_DATE = f"{DATE_FORMS}；年份须写四位，“05/01/2019”这类月日次序不明的写法不接受"
DATE_COLUMNS = [
    ("党组织", "成立日期"), ("党组织", "本届开始日期"), ("人员", "申请入党日期"),
    ("人员", "确定积极分子日期"), ("人员", "确定发展对象日期"), ("人员", "入党日期"),
    ("人员", "转正日期"),
]  # fmt: skip
# Cells of each date column the corpus fills (3 orgs; 4 people at different stages).
FILLED = (3, 3, 3, 3, 2, 3, 2)
IMPORTED = {"orgs": 3, "people": 4, "seats": 1}
CSV_MISSING_ORGS = (
    "工作簿：缺少工作表“党组织”：CSV 文件只能存一张表（已按“人员”表读取），名册须含“党组织”"
    "和“人员”两张工作表。请在 Excel 或 WPS 表格中新建工作簿，把两张表分别放进名为“党组织”和"
    "“人员”的工作表（可从本页下载名册模板），点“文件 → 另存为”，保存类型选“Excel 工作簿(*.xlsx)”，"
    "再上传"
)
CSV_UNKNOWN_ORGS = [
    "人员 第2行 所在组织编码：组织 C1-B1 不存在（工作簿和系统中均没有）",
    "人员 第3行 所在组织编码：组织 C1-B1 不存在（工作簿和系统中均没有）",
    "人员 第4行 所在组织编码：组织 C1-B2 不存在（工作簿和系统中均没有）",
    "人员 第5行 所在组织编码：组织 C1-B2 不存在（工作簿和系统中均没有）",
]


def read_as(form: str, counts=FILLED) -> list[str]:
    """The notice of each date column read in `form`."""
    return [
        f"{sheet} · {column}：按“{form}”格式读取 {n} 格"
        for (sheet, column), n in zip(DATE_COLUMNS, counts, strict=True)
    ]


CORPUS = {
    "01-standard.xlsx": dict(IMPORTED, notices=[]),
    "02-title-row-merged.xlsx": dict(IMPORTED, notices=[
        "党组织：第2行为表头（上方第1行视为标题，未导入）",
        "人员：第2行为表头（上方第1行视为标题，未导入）",
    ]),
    "03-title-rows-unmerged.xlsx": dict(IMPORTED, notices=[
        "人员：第3行为表头（上方第1–2行视为标题，未导入）",
    ]),
    # 姓  名, 所在\n组织编码 and 政治　面貌 are their columns once spaces are removed;
    # 序号 and 所属医院 are known and passed over.
    "04-aliased-headers.xlsx": dict(IMPORTED, notices=[
        "人员：列“身份证号码”按“身份证号”读取",
        "人员：列“手机号码”按“手机号”读取",
        "人员：列“职务”按“行政职务”读取",
        "人员：列“专业技术职称”按“职称”读取",
        "人员：列“入党时间”按“入党日期”读取",
    ]),
    "05-unknown-columns.xlsx": dict(IMPORTED, notices=[
        "人员：未识别的列“籍贯”（不会导入）",
        "人员：未识别的列“学历”（不会导入）",
    ]),
    "06-dates-dotted.xlsx": dict(IMPORTED, notices=read_as("2019.05.01")),
    "07-dates-slash.xlsx": dict(IMPORTED, notices=read_as("2019/5/1")),
    # 2019-11-12 is the standard form already: only the unpadded cells are counted.
    "08-dates-dash-unpadded.xlsx": dict(
        IMPORTED, notices=read_as("2019-5-1", (3, 3, 3, 2, 2, 3, 2))
    ),
    "09-dates-chinese.xlsx": dict(IMPORTED, notices=read_as("2019年5月1日")),
    "10-dates-serial-general.xlsx": dict(IMPORTED, notices=[
        f"{sheet} · {column}：{n} 格是常规格式单元格中的日期序列号，已按日期读取"
        for (sheet, column), n in zip(DATE_COLUMNS, FILLED, strict=True)
    ]),
    "11-dates-fullwidth.xlsx": dict(IMPORTED, notices=read_as("2019.05.01")),
    "12-dates-eight-digits.xlsx": dict(IMPORTED, notices=read_as("20190501")),
    "13-founded-month-only.xlsx": dict(IMPORTED, notices=[
        "党组织 · 成立日期：1 格只写了年月（“2019.05”），按当月1日读取",
        "党组织 · 成立日期：1 格只写了年月（“2019年5月”），按当月1日读取",
    ]),
    "14-admitted-month-only.xlsx": dict(errors=[
        f"人员 第2行 入党日期：须写到日：2000.07（{DATE_FORMS}）",
    ], notices=[]),
    "15-ambiguous-dates.xlsx": dict(errors=[
        f"人员 第2行 入党日期：无法识别的日期：07/01/2000（{ANY_DATE}）",
        f"人员 第2行 转正日期：无法识别的日期：01.7.1（{ANY_DATE}）",
    ], notices=[]),
    "16-fullwidth-ids-phones-codes.xlsx": dict(IMPORTED, notices=[]),
    "17-hidden-sheet-and-visible-copy.xlsx": dict(IMPORTED, people=2, notices=[
        "工作表“人员”是隐藏的工作表，已按它导入：请确认要导入的正是这一张",
        "工作表“人员 (2)”未导入：它的表头像“人员”表，但名称不是“人员”。"
        "如要导入它，请把它改名为“人员”（原有的“人员”表请删去或改名）",
    ]),
    "18-filtered-rows.xlsx": dict(IMPORTED, notices=[
        "人员：第3–4行在表格中被隐藏或筛选掉了，已一并导入（共 2 行）：不应导入的行请从表中删除",
    ]),
    "19-trailing-space-sheet.xlsx": dict(IMPORTED, notices=[
        "工作表“人员 ”按“人员”读取（名称中多了空格）",
    ]),
    "20-two-sheets-same-name.xlsx": dict(errors=[
        "工作簿：有 2 张工作表都是“人员”（“人员”、“人员　”，名称只差空格），"
        "无法确定导入哪一张：请删去或改名其余几张",
    ], notices=[]),
    "21-wrong-sheet-name.xlsx": dict(errors=[
        "工作簿：缺少工作表“人员”（工作簿中的工作表：“党组织”、“Sheet1”）",
    ], notices=[
        "工作表“Sheet1”未导入：它的表头像“人员”表，但名称不是“人员”。如要导入它，请把它改名为“人员”",
    ]),
    "22-id-stored-as-number.xlsx": dict(errors=[
        "人员 第2行 身份证号：身份证号被 Excel 存成了数字：Excel 只保留 15 位有效数字，"
        "后几位已变成 0 或科学计数法，无法还原真实号码。请把该列设置为“文本”格式"
        "（或在号码前加英文单引号 '）后重新填写",
    ], notices=[]),
    "23-data-under-no-header.xlsx": dict(IMPORTED, notices=[
        "人员：第T列没有列名（第2行起有内容），其中的内容不会导入",
    ]),
    "24-roster.xls": dict(IMPORTED, notices=[
        "人员：第2行为表头（上方第1行视为标题，未导入）", *read_as("2019.05.01"),
    ]),
    "25-roster.ods": dict(IMPORTED, notices=[]),
    "26-people-utf8-bom.csv": dict(errors=[CSV_MISSING_ORGS, *CSV_UNKNOWN_ORGS], notices=[
        "CSV 文件只有一张表，按表头作为“人员”表读取",
    ]),
    "27-people-gbk.csv": dict(errors=[CSV_MISSING_ORGS, *CSV_UNKNOWN_ORGS], notices=[
        "CSV 文件只有一张表，按表头作为“人员”表读取",
    ]),
    "28-corrupted.xlsx": dict(errors=[f"工作簿：无法读取文件：文件已损坏。{SAVE_AS}"], notices=[]),
    "29-renamed.et": dict(errors=[f"工作簿：无法读取WPS 表格文件（.et）。{SAVE_AS}"], notices=[]),
    "30-web-page-saved-as.xls": dict(errors=[
        f"工作簿：该文件是网页或 XML 格式，只是扩展名为表格。{SAVE_AS}",
    ], notices=[]),
    "31-committee-aliases.xlsx": dict(IMPORTED, notices=[
        "委员：第2行为表头（上方第1行视为标题，未导入）",
        "委员：列“职务”按“党内职务”读取",
        "委员：列“任职时间”按“任职日期”读取",
        "委员 · 任职日期：按“2019年5月1日”格式读取 1 格",
    ]),
    # A sheet of instructions is said; an empty one is not.
    "32-instructions-and-empty-sheets.xlsx": dict(IMPORTED, notices=[
        "工作表“填表说明”不是名册的工作表，未读取",
    ]),
    "34-filtered-rows.ods": dict(IMPORTED, notices=[
        "人员：第3–4行在表格中被隐藏或筛选掉了，已一并导入（共 2 行）：不应导入的行请从表中删除",
    ]),
    "35-filtered-rows.xls": dict(IMPORTED, notices=[
        "人员：第3–4行在表格中被隐藏或筛选掉了，已一并导入（共 2 行）：不应导入的行请从表中删除",
    ]),
    # A template's notes after the names; a leading * marks a required column.
    "36-template-notes-in-headers.xlsx": dict(IMPORTED, notices=[
        "人员：列“出生日期(YYYY-MM-DD)”按“出生日期”读取",
        "人员：列“身份证号(必填)”按“身份证号”读取",
        "人员：列“政治面貌(必填)”按“政治面貌”读取",
    ]),
    # calamine's .xls reader aborts the process on this one: read in a child, refused.
    "33-damaged.xls": dict(errors=[
        f"工作簿：无法读取文件：文件已损坏或格式不受支持。{SAVE_AS}",
    ], notices=[]),
}  # fmt: skip


def test_the_corpus_is_complete():
    files = {p.name for p in CORPUS_DIR.iterdir() if p.name != "make_corpus.py"}
    assert files == set(CORPUS)
    assert len(files) >= 25


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_file_imports_or_is_refused_as_stated(name):
    expected = CORPUS[name]
    report = import_roster(CORPUS_DIR / name, dry_run=True)
    assert report.errors == expected.get("errors", [])
    assert report.notices == expected["notices"]
    if report.ok:
        assert report.organizations_created == expected["orgs"]
        assert report.people_created == expected["people"]
        assert report.seats_opened == expected["seats"]
    assert not Organization.objects.exists() and not Person.objects.exists()


def _stored():
    people = Person.objects.order_by("name")
    return {
        "orgs": dict(Organization.objects.values_list("code", "name")),
        "people": [(p.name, p.id_number, p.phone, p.organization.code) for p in people],
    }


def test_what_odd_files_store_is_what_the_standard_file_stores():
    """A real import of the standard file, then of files made other ways: the same
    organisations and people, so nothing was changed by how they were typed."""
    assert import_roster(CORPUS_DIR / "01-standard.xlsx").ok
    standard = _stored()
    assert standard["orgs"]["C1-B1"] == "内科（一）党支部"  # full-width brackets kept
    assert [p[1][-1] for p in standard["people"]].count("X") == 1
    for name in ("04-aliased-headers.xlsx", "11-dates-fullwidth.xlsx",
                 "16-fullwidth-ids-phones-codes.xlsx", "24-roster.xls", "25-roster.ods"):  # fmt: skip
        report = import_roster(CORPUS_DIR / name)
        assert report.ok, (name, report.errors)
        assert (report.people_created, report.organizations_created) == (0, 0), name
        assert report.people_updated == 0, name
        assert _stored() == standard, name


def test_dates_typed_every_way_are_the_same_dates():
    assert import_roster(CORPUS_DIR / "01-standard.xlsx").ok
    periods = Person.objects.get(name="测试甲").statuses.order_by("started_on")
    days = [p.started_on for p in periods]
    assert days[0] == dt.date(1998, 3, 5)
    for name in ("06-dates-dotted.xlsx", "07-dates-slash.xlsx", "09-dates-chinese.xlsx",
                 "10-dates-serial-general.xlsx", "12-dates-eight-digits.xlsx"):  # fmt: skip
        report = import_roster(CORPUS_DIR / name, dry_run=True)
        assert report.ok and report.people_unchanged == 4, (name, report)


def test_a_month_only_founding_date_is_the_first_of_the_month():
    assert import_roster(CORPUS_DIR / "13-founded-month-only.xlsx").ok
    founded = dict(Organization.objects.values_list("code", "founded_on"))
    assert founded["C1"] == dt.date(2001, 7, 1) and founded["C1-B1"] == dt.date(2005, 3, 1)


def test_the_command_prints_the_notices_and_refusals(capsys):
    call_command("import-roster", str(CORPUS_DIR / "18-filtered-rows.xlsx"), "--dry-run")
    out = capsys.readouterr().out
    assert "读取说明：人员：第3–4行在表格中被隐藏或筛选掉了，已一并导入（共 2 行）" in out
    assert "试导入（未写入）：党组织 新增 3" in out
    with pytest.raises(CommandError, match="名册有 1 处错误"):
        call_command("import-roster", str(CORPUS_DIR / "29-renamed.et"))
    assert f"工作簿：无法读取WPS 表格文件（.et）。{SAVE_AS}" in capsys.readouterr().err


def test_a_csv_is_matched_to_the_sheet_its_header_names(tmp_path):
    orgs = tmp_path / "党组织.csv"
    orgs.write_bytes("组织编码,组织名称,上级组织编码,类型\r\nC9,示例党委,,党委\r\n".encode("gbk"))
    report = import_roster(orgs, dry_run=True)
    assert report.notices == ["CSV 文件只有一张表，按表头作为“党组织”表读取"]
    assert report.errors == [CSV_MISSING_ORGS.replace("缺少工作表“党组织”", "缺少工作表“人员”")
                             .replace("已按“人员”表读取", "已按“党组织”表读取")]  # fmt: skip
    other = tmp_path / "其他.csv"
    other.write_text("编号,金额\r\n1,2\r\n")
    report = import_roster(other, dry_run=True)
    assert report.notices == []
    unmatched = "：CSV 文件只能存一张表（表头与名册的任何一张表都不符），"
    assert len(report.errors) == 2
    assert report.errors[0].startswith(f"工作簿：缺少工作表“党组织”{unmatched}")
    assert report.errors[1].startswith(f"工作簿：缺少工作表“人员”{unmatched}")
