"""The year's points report as Excel: every member of the subtree with their total and
rank, laid out by core.sheets.Table like the other exports."""

import io

from django.utils import timezone
from openpyxl import Workbook

from dangjian.core.sheets import NUMBER, Column, Heading, Table, saved


def ranking_workbook(org, year: int, rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年积分"
    table = Table(
        sheet,
        [Column("名次", NUMBER), Column("姓名"), Column("党组织"), Column("积分", NUMBER)],
        Heading(f"{year}年度党员积分", org.name, timezone.localdate()),
        title_rows=[f"{org.name} {year} 年度党员积分排名"],
    )
    for row in rows:
        table.row([row["rank"], row["name"], row["organization"], float(row["total"])])
    table.finish()
    return saved(book)
