"""Make the import corpus: roster workbooks (and payroll dues-bases workbooks, in
tests/dues/corpus/) made the ways Excel and WPS users make them. The files are committed;
run this to see how each was made or to make them again:

    .venv/bin/python tests/roster/corpus/make_corpus.py

.xls and .ods files are converted by LibreOffice (`soffice --headless --convert-to`).
Every person is fictitious: region 990101, checksum-valid numbers from make_id_number.
What each file must give is stated in tests/roster/test_corpus.py (and
tests/dues/test_bases_corpus.py).
"""

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dangjian.people.rules import make_id_number

HERE = Path(__file__).parent
BASES = HERE.parent.parent / "dues" / "corpus"

ORG_HEADERS = ["组织编码", "组织名称", "上级组织编码", "类型", "是否临时", "对应科室",
               "科室类别", "成立日期", "本届开始日期"]  # fmt: skip
PERSON_HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机号", "所在组织编码", "科室",
                  "行政职务", "是否科室负责人", "职称", "人才类别", "人员类别", "政治面貌",
                  "党内职务", "申请入党日期", "确定积极分子日期", "确定发展对象日期",
                  "入党日期", "转正日期"]  # fmt: skip
STAGES = PERSON_HEADERS[-5:]
SEAT_HEADERS = ["组织编码", "身份证号", "姓名", "党内职务", "任职日期"]
D = dt.date


def _id_ending_in_x() -> str:
    for serial in range(1, 999):
        number = make_id_number(D(1979, 11, 3), "male", serial)
        if number.endswith("X"):
            return number
    raise AssertionError("no serial gives X")


ORGS = [
    {"组织编码": "C1", "组织名称": "示例第一医院党委", "类型": "党委",
     "成立日期": D(2001, 7, 1), "本届开始日期": D(2022, 6, 15)},
    {"组织编码": "C1-B1", "组织名称": "内科（一）党支部", "上级组织编码": "C1", "类型": "党支部",
     "对应科室": "内科", "科室类别": "临床", "成立日期": D(2005, 3, 1),
     "本届开始日期": D(2023, 3, 1)},
    {"组织编码": "C1-B2", "组织名称": "护理党支部", "上级组织编码": "C1", "类型": "党支部",
     "对应科室": "护理部", "科室类别": "护理", "成立日期": D(2008, 9, 1),
     "本届开始日期": D(2023, 3, 1)},
]  # fmt: skip
PEOPLE = [
    {"姓名": "测试甲", "性别": "男", "身份证号": make_id_number(D(1975, 4, 2), "male", 11),
     "手机号": "13900000001", "所在组织编码": "C1-B1", "科室": "内科", "行政职务": "主任",
     "是否科室负责人": "是", "职称": "主任医师", "人才类别": "学科带头人", "人员类别": "在职",
     "政治面貌": "正式党员", "党内职务": "组织委员", "申请入党日期": D(1998, 3, 5),
     "确定积极分子日期": D(1998, 9, 10), "确定发展对象日期": D(1999, 10, 8),
     "入党日期": D(2000, 7, 1), "转正日期": D(2001, 7, 1)},
    {"姓名": "测试乙", "性别": "女", "身份证号": make_id_number(D(1990, 8, 21), "female", 12),
     "手机号": "13900000002", "所在组织编码": "C1-B1", "科室": "内科", "职称": "主治医师",
     "人员类别": "在职", "政治面貌": "预备党员", "申请入党日期": D(2019, 5, 1),
     "确定积极分子日期": D(2019, 11, 12), "确定发展对象日期": D(2020, 12, 1),
     "入党日期": D(2021, 6, 28)},
    {"姓名": "测试丙", "性别": "男", "身份证号": _id_ending_in_x(), "手机号": "13900000003",
     "所在组织编码": "C1-B2", "科室": "护理部", "职称": "主管护师", "人员类别": "在职",
     "政治面貌": "入党积极分子", "申请入党日期": D(2022, 3, 15),
     "确定积极分子日期": D(2022, 9, 20)},
    {"姓名": "测试丁", "性别": "女", "身份证号": make_id_number(D(1958, 1, 30), "female", 14),
     "手机号": "13900000004", "所在组织编码": "C1-B2", "人员类别": "离退休",
     "政治面貌": "正式党员", "入党日期": D(1985, 7, 1), "转正日期": D(1986, 7, 1)},
]  # fmt: skip
SEATS = [{"组织编码": "C1-B1", "身份证号": PEOPLE[0]["身份证号"], "姓名": "测试甲",
          "党内职务": "组织委员", "任职日期": D(2023, 3, 1)}]  # fmt: skip


def iso(value):
    return value.isoformat() if isinstance(value, D) else value


def text_dates(pattern):
    """Dates typed as text: pattern formats a date."""
    return lambda v: pattern(v) if isinstance(v, D) else v


FULL = str.maketrans("0123456789.-X", "０１２３４５６７８９．－Ｘ")


def rows_of(headers, records, cell=iso, rename=None):
    rename = rename or {}
    head = [rename.get(h, h) for h in headers]
    return [head] + [[cell(r.get(h, "")) for h in headers] for r in records]


def save(path: Path, sheets, *, hidden=(), hidden_rows=None, titles=None, merged_title=()):
    """sheets: [(name, rows)]; titles: {name: [title lines above the header]}."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        above = (titles or {}).get(name, [])
        for line in above:
            ws.append([line])
        if name in merged_title and above:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
            ws.cell(1, 1).font = Font(bold=True, size=16)
            ws.cell(1, 1).alignment = Alignment(horizontal="center")
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
        if hidden_rows and name in hidden_rows:
            ws.auto_filter.ref = f"A{len(above) + 1}:S{len(above) + len(rows)}"
            for number in hidden_rows[name]:
                ws.row_dimensions[number].hidden = True
    book.save(path)


def standard(cell=iso, person_rename=None, org_cell=None, seats=False):
    sheets = [
        ("党组织", rows_of(ORG_HEADERS, ORGS, org_cell or cell)),
        ("人员", rows_of(PERSON_HEADERS, PEOPLE, cell, person_rename)),
    ]
    if seats:
        sheets.append(("委员", rows_of(SEAT_HEADERS, SEATS, cell)))
    return sheets


def convert(source: Path, fmt: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", fmt, "--outdir", out, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        produced = next(Path(out).iterdir())
        shutil.move(produced, target)


def csv_text(rows) -> str:
    lines = []
    for row in rows:
        lines.append(",".join(str(v) for v in row))
    return "\r\n".join(lines) + "\r\n"


def roster_corpus(out: Path) -> None:
    save(out / "01-standard.xlsx", standard(cell=lambda v: v, seats=True))
    title = {"党组织": ["示例第一医院党组织名册"], "人员": ["示例第一医院党员名册（2024年）"]}
    save(out / "02-title-row-merged.xlsx", standard(), titles=title,
         merged_title=("党组织", "人员"))  # fmt: skip
    save(out / "03-title-rows-unmerged.xlsx", standard(),
         titles={"人员": ["党员名册", "填报单位：示例第一医院　　填报日期：2024年3月"]})  # fmt: skip
    aliases = {"手机号": "手机号码", "行政职务": "职务", "职称": "专业技术职称",
               "身份证号": "身份证号码", "姓名": "姓  名", "所在组织编码": "所在\n组织编码",
               "政治面貌": "政治　面貌", "入党日期": "入党时间"}  # fmt: skip
    sheets = standard(person_rename=aliases)
    people = sheets[1][1]
    sheets[1] = ("人员", [["序号", *people[0], "所属医院"]]
                 + [[i, *row, "示例第一医院"] for i, row in enumerate(people[1:], 1)])  # fmt: skip
    save(out / "04-aliased-headers.xlsx", sheets)
    sheets = standard()
    people = sheets[1][1]
    sheets[1] = ("人员", [[*people[0], "籍贯", "学历"]]
                 + [[*row, "某省", "本科"] for row in people[1:]])  # fmt: skip
    save(out / "05-unknown-columns.xlsx", sheets)
    forms = {
        "06-dates-dotted.xlsx": lambda d: f"{d:%Y.%m.%d}",
        "07-dates-slash.xlsx": lambda d: f"{d.year}/{d.month}/{d.day}",
        "08-dates-dash-unpadded.xlsx": lambda d: f"{d.year}-{d.month}-{d.day}",
        "09-dates-chinese.xlsx": lambda d: f"{d.year}年{d.month}月{d.day}日",
        "10-dates-serial-general.xlsx": lambda d: (d - D(1899, 12, 30)).days,
        "11-dates-fullwidth.xlsx": lambda d: f"{d:%Y.%m.%d}".translate(FULL),
        "12-dates-eight-digits.xlsx": lambda d: f"{d:%Y%m%d}",
    }
    for name, form in forms.items():
        save(out / name, standard(cell=text_dates(form)))
    months = [dict(ORGS[0], 成立日期="2001.07"), dict(ORGS[1], 成立日期="2005年3月"), ORGS[2]]
    save(out / "13-founded-month-only.xlsx",
         [("党组织", rows_of(ORG_HEADERS, months)), standard()[1]])  # fmt: skip
    people = [dict(PEOPLE[0], 入党日期="2000.07"), *PEOPLE[1:]]
    save(out / "14-admitted-month-only.xlsx",
         [standard()[0], ("人员", rows_of(PERSON_HEADERS, people))])  # fmt: skip
    people = [dict(PEOPLE[0], 入党日期="07/01/2000", 转正日期="01.7.1"), *PEOPLE[1:]]
    save(out / "15-ambiguous-dates.xlsx",
         [standard()[0], ("人员", rows_of(PERSON_HEADERS, people))])  # fmt: skip
    wide = [dict(p, 身份证号=p["身份证号"].translate(FULL), 手机号=p["手机号"].translate(FULL),
                 所在组织编码=p["所在组织编码"].replace("C", "Ｃ").translate(FULL))
            for p in PEOPLE]  # fmt: skip
    wide[0]["手机号"] = "139 0000 0001"
    wide[1]["手机号"] = "139-0000-0002"
    save(out / "16-fullwidth-ids-phones-codes.xlsx",
         [standard()[0], ("人员", rows_of(PERSON_HEADERS, wide))])  # fmt: skip
    org, person = standard()
    old_people = rows_of(PERSON_HEADERS, PEOPLE[:2])
    save(out / "17-hidden-sheet-and-visible-copy.xlsx",
         [org, ("人员", old_people), ("人员 (2)", person[1])], hidden=("人员",))  # fmt: skip
    save(out / "18-filtered-rows.xlsx", standard(), hidden_rows={"人员": [3, 4]})
    convert(out / "18-filtered-rows.xlsx", "ods", out / "34-filtered-rows.ods")
    convert(out / "18-filtered-rows.xlsx", "xls", out / "35-filtered-rows.xls")
    org, person = standard()
    save(out / "19-trailing-space-sheet.xlsx", [org, ("人员 ", person[1])])
    save(out / "20-two-sheets-same-name.xlsx", [org, ("人员", person[1]), ("人员　", person[1])])
    save(out / "21-wrong-sheet-name.xlsx", [org, ("Sheet1", person[1])])
    people = [dict(PEOPLE[0], 身份证号=float(PEOPLE[0]["身份证号"][:15] + "000")), *PEOPLE[1:]]
    save(out / "22-id-stored-as-number.xlsx",
         [org, ("人员", rows_of(PERSON_HEADERS, people, lambda v: v))])  # fmt: skip
    rows = rows_of(PERSON_HEADERS, PEOPLE)
    rows = [[*rows[0], ""]] + [
        [*r, "党费已交" if i == 2 else ""] for i, r in enumerate(rows[1:], 2)
    ]
    save(out / "23-data-under-no-header.xlsx", [org, ("人员", rows)])
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "名册.xlsx"
        save(source, standard(cell=text_dates(lambda d: f"{d:%Y.%m.%d}")),
             titles={"人员": ["党员名册"]})  # fmt: skip
        convert(source, "xls", out / "24-roster.xls")
        save(source, standard(cell=lambda v: v, seats=True))
        convert(source, "ods", out / "25-roster.ods")
    people = rows_of(PERSON_HEADERS, PEOPLE)
    (out / "26-people-utf8-bom.csv").write_bytes(b"\xef\xbb\xbf" + csv_text(people).encode())
    (out / "27-people-gbk.csv").write_bytes(csv_text(people).encode("gbk"))
    standard_bytes = (out / "01-standard.xlsx").read_bytes()
    (out / "28-corrupted.xlsx").write_bytes(standard_bytes[: len(standard_bytes) // 2])
    (out / "29-renamed.et").write_bytes(standard_bytes)
    table = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in row)}</tr>" for row in people)
    (out / "30-web-page-saved-as.xls").write_text(
        f"<html><head><meta charset='utf-8'></head><body><table>{table}</table></body></html>"
    )
    seats = [dict(SEATS[0], 任职日期="2023年3月1日")]
    save(out / "31-committee-aliases.xlsx",
         [*standard(), ("委员", rows_of(SEAT_HEADERS, seats, rename={"党内职务": "职务",
                                                                    "任职日期": "任职时间"}))],
         titles={"委员": ["支部委员会名单"]})  # fmt: skip

    notes = {"身份证号": "身份证号（必填）", "出生日期": "出生日期(YYYY-MM-DD)", "姓名": "*姓名",
             "政治面貌": "政治面貌（必填）"}  # fmt: skip
    save(out / "36-template-notes-in-headers.xlsx", standard(person_rename=notes))
    notes = [["填表说明"], ["1. 日期请写作 2019-05-01"], ["2. 身份证号请设为文本格式"]]
    save(out / "32-instructions-and-empty-sheets.xlsx",
         [("填表说明", notes), *standard(), ("Sheet3", [])])  # fmt: skip


def damage(data: bytes, seed: int) -> bytes:
    """Bytes overwritten at random (seeded): a file damaged in transit or on a USB stick."""
    rng = random.Random(seed)
    data = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        where = rng.randrange(len(data))
        data[where] = rng.randrange(256)
    return bytes(data)


def damaged_xls(out: Path) -> None:
    """24-roster.xls damaged so that calamine's .xls reader aborts the process (seed 114
    of the committed 24-roster.xls): the import must refuse it, not die."""
    (out / "33-damaged.xls").write_bytes(damage((out / "24-roster.xls").read_bytes(), 114))


BASE_PEOPLE = [(PEOPLE[0]["身份证号"], "测试甲"), (PEOPLE[1]["身份证号"], "测试乙")]


def bases_corpus(out: Path) -> None:
    rows = [["序号", "科室", "身份证号码", "姓  名", "缴费基数"]]
    rows += [
        [i, "内科", number, name, 8000 + i * 500] for i, (number, name) in enumerate(BASE_PEOPLE, 1)
    ]
    save(out / "b1-title-row-aliases.xlsx", [("党费基数", rows)], titles={"党费基数": ["2025年度党费基数核定表"]},
         merged_title=("党费基数",))  # fmt: skip
    rows = [
        [
            "身份证号",
            "姓名",
            "岗位工资（元）",
            "薪级工资(元)",
            "基础性绩效",
            "奖励性绩效",
            "住房公积金",
        ]
    ]
    rows += [[number, name, 3000, 1500, 2000, 4000, 1200] for number, name in BASE_PEOPLE]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "工资.xlsx"
        save(source, [("党费基数", rows)])
        convert(source, "xls", out / "b2-pay-items-units.xls")
    rows = [["身份证号", "姓名", "基数"]] + [[n, name, "6500"] for n, name in BASE_PEOPLE]
    (out / "b3-bases-gbk.csv").write_bytes(csv_text(rows).encode("gbk"))
    rows = [["身份证号", "姓名", "基数"]] + [
        [n.translate(FULL), name, "７２００"] for n, name in BASE_PEOPLE
    ]
    (out / "b4-fullwidth-utf8-bom.csv").write_bytes(b"\xef\xbb\xbf" + csv_text(rows).encode())
    rows = [["身份证号", "姓名", "基数"]] + [[n, name, 5000] for n, name in BASE_PEOPLE]
    save(out / "b5-hidden-sheet-filtered-row.xlsx",
         [("党费基数", rows), ("党费基数（新）", rows)], hidden=("党费基数",),
         hidden_rows={"党费基数": [3]})  # fmt: skip
    save(out / "b6-trailing-space-sheet.xlsx", [("党费基数 ", rows)])


def main() -> None:
    HERE.mkdir(exist_ok=True)
    BASES.mkdir(exist_ok=True)
    roster_corpus(HERE)
    if not (HERE / "33-damaged.xls").exists():  # it depends on 24-roster.xls's exact bytes
        damaged_xls(HERE)
    bases_corpus(BASES)
    print(
        f"{len(list(HERE.glob('[0-9]*')))} roster files, {len(list(BASES.glob('b*')))} bases files"
    )


if __name__ == "__main__":
    sys.exit(main())
