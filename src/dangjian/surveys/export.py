"""A survey's results as an Excel workbook in the shared layout (core.sheets): sheet 结果
(counts and percentages per option, turnout above), sheet 填空回答 (the free-text
answers), and for a named survey sheet 作答明细 (who answered what). The caller checks
that the user may read the results."""

import datetime as dt
import io

from django.utils.timezone import localtime
from openpyxl import Workbook

from dangjian.core.sheets import NUMBER, PERCENT, Column, Heading, Table, saved

from .queries import Results


def _heading(survey, today: dt.date) -> Heading:
    return Heading(f"问卷结果：{survey.title}", survey.organization.name, today)


def build_workbook(survey, results: Results, responses: list, today: dt.date) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "结果"
    kind = "匿名" if survey.is_anonymous else "实名"
    title_rows = [
        f"{survey.title}（{kind}{'投票' if survey.is_vote else '问卷'}）",
        f"{survey.organization.name}　{localtime(survey.opens_at):%Y-%m-%d %H:%M} 至 "
        f"{localtime(survey.closes_at):%Y-%m-%d %H:%M}",
        f"应答 {results.audience} 人，已答 {results.answered} 人，参与率 {results.turnout}%",
    ]
    table = Table(
        sheet,
        [Column("题号", NUMBER), Column("题目"), Column("选项"), Column("人数", NUMBER),
         Column("占答卷比例", PERCENT)],
        _heading(survey, today),
        title_rows=title_rows,
    )  # fmt: skip
    for number, item in enumerate(results.questions, 1):
        for option in item.options:
            share = option["count"] / results.answered if results.answered else 0.0
            table.row([number, item.question.text, option["text"], option["count"], share])
        if not item.options:
            table.row([number, item.question.text, f"（填空题，{len(item.texts)} 条回答）"])
    table.finish()
    texts = Table(
        book.create_sheet("填空回答"),
        [Column("题号", NUMBER), Column("题目"), Column("回答")],
        _heading(survey, today),
    )
    for number, item in enumerate(results.questions, 1):
        for text in item.texts:
            texts.row([number, item.question.text, text])
    texts.finish()
    if responses:
        detail = Table(
            book.create_sheet("作答明细"),
            [Column("姓名"), Column("所在组织"), Column("题目"), Column("回答")],
            _heading(survey, today),
        )
        for response in responses:
            for answer in response.answers.all():
                shown = answer.option.text if answer.option_id else answer.text
                detail.row([response.person.name, response.person.organization.name,
                            answer.question.text, shown])  # fmt: skip
        detail.finish()
    return saved(book)
