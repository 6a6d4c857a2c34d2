"""Write a roster workbook (SPEC.md §4 format) of fictitious people, for measuring imports.

    python bench/make_roster.py --members 25000 -o /tmp/roster-25k.xlsx

One hospital committee `BENCH`, branches of ~30 people each (every branch linked to a
department, secretaries heading it), people spread over the statuses and stages.
"""

import argparse
import datetime as dt
import os
import random

import django
from openpyxl import Workbook

# The roster format lives in the app; importing it needs configured settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from dangjian.people.rules import make_id_number  # noqa: E402
from dangjian.roster.format import ORG_HEADERS, ORG_SHEET, PERSON_HEADERS, PERSON_SHEET  # noqa: E402

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建红"
CATEGORIES = ["临床", "临床", "临床", "医技", "护理", "行政", "后勤"]


def build(members: int, path: str, seed: int = 1) -> None:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    orgs, people = wb.create_sheet(ORG_SHEET), wb.create_sheet(PERSON_SHEET)
    orgs.append(ORG_HEADERS)
    people.append(PERSON_HEADERS)
    orgs.append(["BENCH", "示例基准医院党委", "", "党委", "否", "", "", "2000-01-01", "2023-01-01"])
    branch_count = max(1, members // 30)
    for b in range(branch_count):
        orgs.append(
            [
                f"BENCH-B{b:04d}",
                f"示例科室{b}党支部",
                "BENCH",
                "党支部",
                "否",
                f"示例科室{b}",
                CATEGORIES[b % len(CATEGORIES)],
                "2010-01-01",
                "2023-01-01",
            ]
        )
    for i in range(members):
        b = i % branch_count
        gender = "男" if i % 2 else "女"
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=(i * 7) % 14000)
        number = make_id_number(birth, "male" if i % 2 else "female", i // 2000 + 1)
        first_in_branch = i < branch_count
        roll = rng.random()
        joined = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(0, 8000))
        stage = "正式党员"
        dates = ["", "", "", joined.isoformat(), ""]
        if not first_in_branch and roll < 0.05:
            stage = "预备党员"
            joined = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 200))
            dates = ["", "", "", joined.isoformat(), ""]
        elif not first_in_branch and roll < 0.12:
            stage, dates = "入党积极分子", ["2024-03-01", "2024-09-01", "", "", ""]
        elif not first_in_branch and roll < 0.2:
            stage, dates = "群众", ["", "", "", "", ""]
        people.append(
            [
                f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[(i // 7) % len(GIVEN)]}{GIVEN[(i // 3) % len(GIVEN)]}",
                gender,
                birth.isoformat(),
                number,
                f"139{i:08d}",
                f"BENCH-B{b:04d}",
                f"示例科室{b}",
                "主任" if first_in_branch else "",
                "是" if first_in_branch else "否",
                "主任医师" if first_in_branch else "医师",
                "业务骨干" if i % 17 == 0 else "无",
                "离退休" if i % 5 == 0 and not first_in_branch else "在职",
                stage,
                "书记" if first_in_branch else "无",
                *dates,
            ]
        )
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=25000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    build(args.members, args.output, args.seed)


if __name__ == "__main__":
    main()
