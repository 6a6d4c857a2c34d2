"""慰问台账 as an Excel workbook in the shared layout (core.sheets): sheet 慰问台账 (the
year's visits and help), sheet 困难党员 (the register now, with the help given this
year) and sheet 统计 (the figures, for the subtree and each branch). The caller checks
that the user keeps the register of `org`. Four queries whatever the rows."""

import datetime as dt
import io

from django.db.models import Count, Q, Sum
from openpyxl import Workbook

from dangjian.core.sheets import DATE, MONEY, NUMBER, Column, Heading, Table, saved

from . import queries, rules
from .models import CaseStatus, VisitReason

VISIT_COLUMNS = [
    Column("慰问日期", DATE), Column("姓名"), Column("所在组织"), Column("慰问事由"),
    Column("慰问形式"), Column("金额（元）", MONEY), Column("慰问人"), Column("困难党员"),
    Column("备注"),
]  # fmt: skip
CASE_COLUMNS = [
    Column("姓名"), Column("所在组织"), Column("困难类型"), Column("困难情况"),
    Column("登记日期", DATE), Column("本年帮扶次数", NUMBER), Column("本年帮扶金额（元）", MONEY),
]  # fmt: skip


def build_workbook(user, org, year: int, today: dt.date) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "慰问台账"
    ledger = Table(sheet, VISIT_COLUMNS, Heading(f"{year}年慰问台账", org.name, today),
                   title_rows=[f"{org.name}{year}年党员慰问台账"])  # fmt: skip
    visits = queries.visit_rows(queries.in_year(queries.visits_in(user, org), year))
    for visit in visits.order_by("visited_on", "person__organization__path", "pk"):
        ledger.row([
            visit.visited_on, visit.person.name, visit.person.organization.name,
            visit.get_reason_display(), visit.get_form_display(), visit.amount, visit.visitors,
            "是" if visit.case_id else "否", visit.note,
        ])  # fmt: skip
    ledger.finish()
    _cases(book, user, org, year, today)
    _figures(book, user, org, year, today)
    return saved(book)


def _cases(book, user, org, year: int, today: dt.date) -> None:
    table = Table(book.create_sheet("困难党员"), CASE_COLUMNS,
                  Heading("困难党员名册", org.name, today))  # fmt: skip
    in_year = Q(visits__visited_on__range=rules.year_range(year))
    cases = (
        queries.cases_in(user, org)
        .filter(status=CaseStatus.HELPING)
        .select_related("person__organization")
        .annotate(year_visits=Count("visits", filter=in_year),
                  year_amount=Sum("visits__amount", filter=in_year))
        .order_by("person__organization__path", "person__name", "pk")
    )  # fmt: skip
    for case in cases:
        table.row([
            case.person.name, case.person.organization.name, case.get_hardship_display(),
            case.situation, case.since, case.year_visits, case.year_amount or 0,
        ])  # fmt: skip
    table.finish()


def _figures(book, user, org, year: int, today: dt.date) -> None:
    reasons = [label for _, label in VisitReason.choices]
    columns = [Column("党组织"), Column("困难党员（在册）", NUMBER), Column("本年帮扶困难党员", NUMBER),
               Column("本年慰问次数", NUMBER), *(Column(str(r), NUMBER) for r in reasons),
               Column("本年慰问金额（元）", MONEY)]  # fmt: skip
    table = Table(
        book.create_sheet("统计"), columns, Heading(f"{year}年党内关怀统计", org.name, today)
    )
    found = queries.figures(user, org, year)

    def row(name, figures, bold=False):
        counts = [figures[f"reason_{value}"] for value in VisitReason.values]
        table.row([name, figures["in_register"], figures["helped"], figures["visits"], *counts,
                   figures["amount"]], bold=bold)  # fmt: skip

    row(f"{org.name}（合计）", found["total"], bold=True)
    for branch, figures in found["branches"]:
        row(branch.name, figures)
    table.finish()
