"""An exam's results as an Excel workbook: one row per member who took it, with the
number of attempts, the best score and whether they passed. Two queries."""

import io

from django.utils import timezone
from openpyxl import Workbook

from dangjian.core.sheets import NUMBER, Column, Heading, Table, saved

from .queries import results_rows


def build_workbook(exam) -> io.BytesIO:
    course = exam.course
    book = Workbook()
    sheet = book.active
    sheet.title = "考试成绩"
    table = Table(
        sheet,
        [Column("姓名"), Column("所在组织"), Column("参考次数", NUMBER), Column("最高分", NUMBER),
         Column("是否通过"), Column("最后交卷时间")],
        Heading(f"“{course.title}”考试成绩（及格分 {exam.pass_mark}）", course.organization.name,
                timezone.localdate()),
    )  # fmt: skip
    for row in results_rows(exam):
        table.row(
            [row["person__name"], row["person__organization__name"], row["attempts"],
             row["best"], "通过" if row["passes"] else "未通过",
             f"{timezone.localtime(row['last']):%Y-%m-%d %H:%M}"]
        )  # fmt: skip
    table.finish()
    return saved(book)
