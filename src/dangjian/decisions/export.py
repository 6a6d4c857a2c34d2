"""The 三重一大 register as an Excel workbook, one row per matter, and the annotation of
each matter with the meeting that decided it (shared with the register page). The caller
scopes and filters `matters`; `org` is the subtree exported (above the hospitals each
matter names its hospital). Two queries, three above the hospitals."""

import io

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook

from dangjian.core.sheets import DATE, MONEY, NUMBER, Column, Heading, Table, saved
from dangjian.orgs.queries import hospital_names, hospital_of

from .models import AgendaItem, MatterStatus
from .queries import with_gathering
from .rules import DECIDED, MatterCategory

HEADER = [
    "类别", "事项", "提出人（部门）", "提出日期", "金额（元）", "专家咨询论证（场次）",
    "征求意见建议（条）", "院长办公会前置研究", "决策会议", "决策日期", "状态", "决定",
    "执行落实情况", "已落实",
]  # fmt: skip
HOSPITAL = "所属医院"
_KINDS = {
    "提出日期": DATE, "决策日期": DATE, "金额（元）": MONEY, "专家咨询论证（场次）": NUMBER,
    "征求意见建议（条）": NUMBER,
}  # fmt: skip


def with_deciding_meeting(matters):
    """Each matter with the meeting that decided it (passed or not), as subqueries."""
    decided = AgendaItem.objects.filter(matter=OuterRef("pk"), outcome__in=DECIDED)
    return matters.annotate(
        deciding_meeting_id=Subquery(decided.values("meeting_id")[:1]),
        deciding_meeting_title=Subquery(decided.values("meeting__title")[:1]),
    )


def build_workbook(matters, org) -> io.BytesIO:
    names = hospital_names(org)
    book = Workbook()
    sheet = book.active
    sheet.title = "三重一大事项"
    header = HEADER + ([HOSPITAL] if names is not None else [])
    table = Table(
        sheet,
        [Column(h, _KINDS.get(h, "text")) for h in header],
        Heading("“三重一大”事项登记表", org.name, timezone.localdate()),
    )
    rows = (
        with_deciding_meeting(with_gathering(matters))
        .select_related("organization")
        .order_by("proposed_on", "pk")
    )
    for m in rows:
        values = [
            str(MatterCategory(m.category).label), m.title, m.proposer, m.proposed_on,
            m.amount, m.consultation_count,
            m.opinion_count or 0, "是" if m.president_office_first else "否",
            m.deciding_meeting_title or "", m.decided_on,
            str(MatterStatus(m.status).label), m.decision, m.follow_up,
            "是" if m.follow_up_done else "否",
        ]  # fmt: skip
        if names is not None:
            values.append(hospital_of(names, m.organization.path))
        table.row(values)
    table.finish()
    return saved(book)
