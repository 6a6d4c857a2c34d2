"""Build roster workbooks (SPEC.md §4 format) for tests, from lists of dicts keyed by the
Chinese column names. Every person is fictitious (region 990101, `make_id_number`).

    orgs = [org_row("H1", "示例医院党委", kind="党委"), org_row("H1-B1", "心内科党支部", "H1")]
    people = [person_row(1, "H1-B1"), person_row(2, "H1-B1", status="入党积极分子")]
    seats = [seat_row("H1", 1, "书记")]  # the optional 委员 sheet
    path = write_roster(tmp_path / "roster.xlsx", orgs, people, seats=seats)
"""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook

from dangjian.people.rules import make_id_number
from dangjian.roster.format import (
    COMMITTEE_HEADERS,
    COMMITTEE_SHEET,
    ORG_HEADERS,
    ORG_SHEET,
    PERSON_HEADERS,
    PERSON_SHEET,
)

# Stage dates used by default, per 政治面貌 (all in the past, in pipeline order).
DEFAULT_STAGE_DATES = {
    "申请入党日期": dt.date(2015, 3, 1),
    "确定积极分子日期": dt.date(2015, 9, 1),
    "确定发展对象日期": dt.date(2016, 10, 8),
    "入党日期": dt.date(2017, 7, 1),
    "转正日期": dt.date(2018, 7, 1),
}
STAGE_COUNT = {
    "群众": 0,
    "入党申请人": 1,
    "入党积极分子": 2,
    "发展对象": 3,
    "预备党员": 4,
    "正式党员": 5,
}
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def org_row(code: str, name: str | None = None, parent: str = "", kind: str = "党支部", **cells):
    row = {
        "组织编码": code,
        "组织名称": name or f"{code}党组织",
        "上级组织编码": parent,
        "类型": kind,
    }
    row.update(cells)
    return row


def person_name(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // 20) % len(GIVEN)]}{n}"


def person_birth(n: int) -> dt.date:
    return dt.date(1965, 1, 1) + dt.timedelta(days=(n * 37) % 14000)


def person_id(n: int) -> str:
    """A checksum-valid fictitious ID number, distinct for each n below 14000 × 99."""
    gender = "male" if n % 2 else "female"
    return make_id_number(person_birth(n), gender, (n * 37) // 14000 + 1)


def person_row(n: int, org_code: str, status: str = "正式党员", **cells) -> dict:
    """Person number `n`: a fixed name, ID number, phone and the default stage dates that
    `status` needs (override any cell with a keyword, e.g. 手机号="13900000000")."""
    row = {
        "姓名": person_name(n),
        "性别": "男" if n % 2 else "女",
        "出生日期": person_birth(n).isoformat(),
        "身份证号": person_id(n),
        "手机号": f"139{n:08d}",
        "所在组织编码": org_code,
        "人员类别": "在职",
        "人才类别": "无",
        "政治面貌": status,
        "党内职务": "无",
        "是否科室负责人": "否",
    }
    for column, day in list(DEFAULT_STAGE_DATES.items())[: STAGE_COUNT[status]]:
        row[column] = day.isoformat()
    row.update(cells)
    return row


def seat_row(code: str, n: int, post: str, started_on: str = "2023-06-01", **cells) -> dict:
    """A row of the 委员 sheet: person number `n` holds `post` in organisation `code`."""
    row = {"组织编码": code, "身份证号": person_id(n), "姓名": person_name(n), "党内职务": post}
    row["任职日期"] = started_on
    row.update(cells)
    return row


def write_roster(
    path,
    orgs: list[dict],
    people: list[dict],
    *,
    seats: list[dict] | None = None,
    org_headers: list[str] | None = None,
    person_headers: list[str] | None = None,
    seat_headers: list[str] | None = None,
) -> Path:
    """Write the sheets (all SPEC columns unless headers are given) in write-only mode; the
    委员 sheet only when `seats` is given (an empty list writes its header alone)."""
    workbook = Workbook(write_only=True)
    sheets = [
        (ORG_SHEET, org_headers or ORG_HEADERS, orgs),
        (PERSON_SHEET, person_headers or PERSON_HEADERS, people),
    ]
    if seats is not None:
        sheets.append((COMMITTEE_SHEET, seat_headers or COMMITTEE_HEADERS, seats))
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return Path(path)


def read_sheets(path) -> dict[str, list[tuple]]:
    """Every cell value of every sheet (to compare two exports)."""
    workbook = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def small_hospital(code: str = "H1") -> list[dict]:
    """A hospital committee with a general branch, three branches and a group."""
    return [
        org_row(
            code, f"{code}医院党委", kind="党委", 成立日期="2000-01-01", 本届开始日期="2023-06-01"
        ),
        org_row(f"{code}-G1", "内科党总支", code, kind="党总支"),
        org_row(
            f"{code}-B1",
            "心内科党支部",
            f"{code}-G1",
            对应科室="心内科",
            科室类别="临床",
            成立日期="2010-05-01",
            本届开始日期="2024-02-29",
        ),
        org_row(f"{code}-B2", "检验科党支部", code, 对应科室="检验科", 科室类别="医技"),
        org_row(f"{code}-T1", "援疆临时党支部", code, 是否临时="是"),
        org_row(f"{code}-B1-1", "心内一组", f"{code}-B1", kind="党小组"),
    ]


def generated_roster(path, members: int, *, code: str = "GENH", per_branch: int = 30) -> Path:
    """A large roster: one hospital, branches of `per_branch` people, every status."""
    branches = max(1, members // per_branch)
    orgs = [org_row(code, "示例规模医院党委", kind="党委", 本届开始日期="2023-01-01")]
    categories = ["临床", "临床", "医技", "护理", "行政", "后勤"]
    for b in range(branches):
        orgs.append(
            org_row(
                f"{code}-B{b:04d}",
                f"示例科室{b}党支部",
                code,
                对应科室=f"示例科室{b}",
                科室类别=categories[b % len(categories)],
                本届开始日期="2023-01-01",
            )
        )
    statuses = ["正式党员"] * 6 + ["预备党员", "发展对象", "入党积极分子", "入党申请人", "群众"]
    people = []
    for n in range(members):
        branch = n % branches
        first = n < branches
        status = "正式党员" if first else statuses[n % len(statuses)]
        people.append(
            person_row(
                n,
                f"{code}-B{branch:04d}",
                status,
                科室=f"示例科室{branch}",
                党内职务="书记" if first else "无",
                是否科室负责人="是" if first else "否",
                职称="主任医师" if first else "主治医师",
                人员类别="离退休" if n % 9 == 0 and not first else "在职",
            )
        )
    return write_roster(path, orgs, people)
