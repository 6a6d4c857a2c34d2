"""Assessment scores (issue 20): `GET /assessment/scores?org=&level=&period=` — the
level's scores for the period, as finalised (评定) when there is a sheet, else computed
now; each row with its indicators down to the records. Outside the caller's scope: 404."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

from dangjian.assessment import rules
from dangjian.assessment.history import stored_sheet
from dangjian.assessment.levels import scores_for
from dangjian.assessment.permissions import may_read
from dangjian.assessment.rules import PeriodError, ended_by, parse_period
from dangjian.core.pages import audit_read
from dangjian.orgs.models import OrgKind

from .orgs import visible_org
from .routing import ApiRouter

router = ApiRouter(tags=["assessment"])


class ScoreIndicatorOut(Schema):
    key: str
    label: str
    weight: int
    value: float | None
    points: float | None
    detail: str
    records: list[str]
    link: str


class ScoreRowOut(Schema):
    rank: int | None
    name: str
    score: float | None
    colour: str  # green, yellow, red, grey (no data)
    bonus: float
    honours: list[str]
    reasons: list[str]
    indicators: list[ScoreIndicatorOut]


class ScoreSheetOut(Schema):
    org: str
    level: str
    period: str
    finalised: bool
    scored_at: dt.datetime | None
    items: list[ScoreRowOut]


def _row(entry) -> dict:
    indicators = [i if isinstance(i, dict) else i.as_dict() for i in entry.indicators]
    return {"rank": entry.rank, "name": entry.name, "score": entry.score,
            "colour": entry.colour, "bonus": entry.bonus, "honours": entry.honours,
            "reasons": entry.reasons, "indicators": indicators}  # fmt: skip


@router.get("/assessment/scores", response=ScoreSheetOut)
def assessment_scores(request, org: str, period: str, level: str = rules.BRANCH):
    organization = visible_org(request, org)
    if not may_read(request.user, organization):
        raise HttpError(403, _("没有查看考核结果的权限"))
    if level not in rules.LEVEL_NAMES:
        raise HttpError(400, _("考核层级应为 branch、secretary 或 hospital"))
    if level == rules.HOSPITAL and organization.kind != OrgKind.GUIDANCE_COMMITTEE:
        # Hospitals are compared only from above them (as the scores page offers it).
        raise HttpError(404, _("医院层级的考核只适用于指导委员会"))
    period = period.strip().upper()
    sheet, rows = stored_sheet(organization, level, period)
    if sheet is None:
        try:
            chosen = parse_period(period)
        except PeriodError as refused:
            raise HttpError(400, str(refused)) from refused
        if not ended_by(chosen, timezone.localdate()):
            raise HttpError(400, f"{chosen.label}尚未结束，不能评分")
        rows = scores_for(organization, level, chosen)
    audit_read(request, "assessment.read_scores", org_path=organization.path,
               summary={"org": organization.code, "level": level, "period": period})  # fmt: skip
    return {"org": organization.code, "level": level, "period": period,
            "finalised": sheet is not None, "scored_at": sheet.scored_at if sheet else None,
            "items": [_row(r) for r in rows]}  # fmt: skip
