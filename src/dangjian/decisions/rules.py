"""The rules of procedure for 三重一大 matters (RULES.md §5), as pure functions.

Sources: 《关于加强公立医院党的建设工作的意见》(2018, 党委领导下的院长负责制); the Party
committee's rules of procedure (议事规则); 《党政领导干部选拔任用工作条例》 for key
appointments. Each refusal names the rule it applies."""

import re
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterCategory(models.TextChoices):
    MAJOR_DECISION = "major_decision", _("重大决策")
    KEY_APPOINTMENT = "key_appointment", _("重要干部任免")
    MAJOR_PROJECT = "major_project", _("重大项目安排")
    LARGE_FUND = "large_fund", _("大额资金使用")


class Body(models.TextChoices):
    PARTY_COMMITTEE = "party_committee_meeting", _("党委会")
    PRESIDENT_OFFICE = "president_office_meeting", _("院长办公会")


class Outcome(models.TextChoices):
    PENDING = "pending", _("待议")
    APPROVED = "approved", _("通过")
    REJECTED = "rejected", _("未通过")
    DEFERRED = "deferred", _("缓议")
    DISCUSSED = "discussed", _("已研究，提交党委会决定")


DECIDED = (Outcome.APPROVED, Outcome.REJECTED)  # a decision was taken

# Under 党委领导下的院长负责制 the Party committee decides all four categories; the
# president's office meeting discusses them first. A hospital may let it decide some.
DEFAULT_BOUNDARY = {
    Body.PARTY_COMMITTEE: list(MatterCategory.values),
    Body.PRESIDENT_OFFICE: [],
}
DEFAULT_LARGE_FUND_THRESHOLD = Decimal("500000")  # yuan; each hospital sets its own

QUORUM_RULE = "党委会须有半数以上委员到会方能召开（党委会议事规则）"
APPOINTMENT_QUORUM_RULE = (
    "讨论决定干部任免事项，须有三分之二以上委员到会（《党政领导干部选拔任用工作条例》）"
)
MAJORITY_RULE = "决定事项须以应到会委员半数以上同意为通过（党委会议事规则）"
PRESIDENT_QUORUM_RULE = "院长办公会须有半数以上组成人员到会（院长办公会议事规则）"


def quorum_met(should_attend: int, present: int, *, appointment: bool = False) -> bool:
    """More than half of those who should attend; at least two thirds for key appointments."""
    if should_attend <= 0:
        return False
    if appointment:
        return present * 3 >= should_attend * 2
    return present * 2 > should_attend


def quorum_problem(body: str, category: str, should_attend: int, present: int) -> str:
    appointment = body == Body.PARTY_COMMITTEE and category == MatterCategory.KEY_APPOINTMENT
    if quorum_met(should_attend, present, appointment=appointment):
        return ""
    if body == Body.PRESIDENT_OFFICE:
        rule = PRESIDENT_QUORUM_RULE
    else:
        rule = APPOINTMENT_QUORUM_RULE if appointment else QUORUM_RULE
    return f"应到 {should_attend} 人，实到 {present} 人，未达到法定人数：{rule}"


def majority_met(should_attend: int, votes_for: int) -> bool:
    """More than half of the members who should attend agree; absent members' written
    views are not votes."""
    return should_attend > 0 and votes_for * 2 > should_attend


def majority_problem(should_attend: int, votes_for: int) -> str:
    if majority_met(should_attend, votes_for):
        return ""
    return f"应到 {should_attend} 人，同意 {votes_for} 票，未过应到会人数的半数：{MAJORITY_RULE}"


def vote_problem(present: int, votes_for: int, against: int, abstain: int) -> str:
    if min(votes_for, against, abstain) < 0:
        return "票数不能为负数"
    if votes_for + against + abstain > present:
        return (
            f"同意、反对、弃权共 {votes_for + against + abstain} 票，多于实到的 {present} 人"
            "（未到会委员的书面意见不计入表决票数）"
        )
    return ""


def is_large_fund(amount: Decimal | None, threshold: Decimal) -> bool:
    """Large funds are amounts over the hospital's threshold (the threshold itself is not)."""
    return amount is not None and amount > threshold


def boundary_problem(body: str, category: str, boundary: dict[str, list[str]]) -> str:
    if category in boundary.get(body, []):
        return ""
    return f"按本院议事规则，{Body(body).label}不能决定“{MatterCategory(category).label}”事项"


# ---- the two leading posts (2018 意见: 党委领导下的院长负责制) ----------------------------
_PRESIDENT = re.compile(r"(?<![副])院长")


def is_president(admin_title: str) -> bool:
    """Whether an administrative title (行政职务) is the hospital's president: 院长, but not
    副院长 (a title may list several posts, e.g. “党委书记、院长”)."""
    return bool(_PRESIDENT.search(admin_title or ""))
