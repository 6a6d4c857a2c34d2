"""Chinese labels for the statistics keys, shared by the command and the pages."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

LABELS = {
    "members.total": _("党员总数"),
    "members.full": _("正式党员"),
    "members.probationary": _("预备党员"),
    "members.in_service": _("在职党员"),
    "members.retired": _("离退休党员"),
    "organizations.branches": _("党支部"),
    "organizations.temporary_branches": _("临时党支部"),
    "branches.clinical": _("临床医技党支部"),
    "branches.dual_leader": _("“双带头人”党支部"),
    "branches.dual_leader_ratio": _("“双带头人”比例"),
    "branches.clinical_dual_leader_ratio": _("临床医技支部“双带头人”比例"),
    "development.applied": _("递交入党申请"),
    "development.activists": _("确定入党积极分子"),
    "development.candidates": _("确定发展对象"),
    "development.candidates_department_heads": _("发展对象中科室主任"),
    "development.admitted": _("发展党员"),
    "development.admitted_talent_share": _("发展党员中高知群体占比"),
    "development.admitted_clinical_share": _("发展党员中临床医技占比"),
    "development.full": _("预备党员转正"),
    "meetings.compliance_ratio": _("组织生活按期开展率"),
    "dues.collected": _("党费收缴（元）"),
    "dues.arrears_members": _("欠交党费人数"),
    "dues.on_time_rate": _("党费按月交纳率"),
    "tasks.total": _("目标任务"),
    "tasks.closed": _("已销号任务"),
    "tasks.closed_ratio": _("任务销号率"),
    "tasks.overdue": _("逾期未销号任务"),
    "tasks.due_soon": _("30天内到期任务"),
    "tasks.closed_late": _("逾期后销号任务"),
    "decisions.total": _("“三重一大”决策事项"),
    "decisions.approved": _("决策通过事项"),
    "decisions.major_decision": _("重大决策"),
    "decisions.key_appointment": _("重要干部任免"),
    "decisions.major_project": _("重大项目安排"),
    "decisions.large_fund": _("大额资金使用"),
    "decisions.consultations": _("专家咨询论证（场次）"),
    "decisions.opinions": _("征求意见建议（条）"),
    "service.activities": _("志愿服务活动（场次）"),
    "service.people_served": _("服务群众（人次）"),
    "service.problems_found": _("发现群众身边问题"),
    "service.problems_resolved": _("办结问题"),
    "service.problems_resolved_on_time": _("按期办结问题"),
    "service.on_time_ratio": _("问题按期办结率"),
}


# The statistics page's sections, in order: a family's figures under one heading.
SECTIONS = {
    "members": _("党员"),
    "organizations": _("党组织"),
    "branches": _("党支部建设"),
    "development": _("发展党员"),
    "meetings": _("组织生活"),
    "dues": _("党费"),
    "tasks": _("目标任务"),
    "decisions": _("“三重一大”"),
    "service": _("志愿服务与为民办实事"),
}
# Families shown together under the heading of the first.
SECTION_OF = {"organizations": "members", "branches": "members"}


def flatten(figures: dict) -> dict:
    return {
        f"{group}.{key}": value
        for group, values in figures.items()
        if isinstance(values, dict) and group != "period"
        for key, value in values.items()
    }


# Figures in yuan: two decimals with thousands separators.
MONEY_KEYS = frozenset({"dues.collected"})


def is_percent(key: str) -> bool:
    """Ratios and shares (published as fractions) are shown as percentages."""
    return key.rsplit(".", 1)[-1].endswith(("_ratio", "_share", "_rate"))


def format_value(key: str, value) -> str:
    """A figure as people read it: `—` where there is no data (a ratio over nothing is
    not 0 %), percentages with one decimal, yuan with two, counts with separators."""
    if value is None:
        return "—"
    if is_percent(key):
        return f"{value:.1%}"
    if key in MONEY_KEYS:
        return f"{Decimal(str(value)):,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{value:,.2f}"  # never a raw float
    return str(value)


def format_stats(org, figures: dict) -> str:
    period = figures["period"]
    lines = [f"{org.name}（{org.code}） {period['from']} 至 {period['to']}"]
    for key, value in flatten(figures).items():
        lines.append(f"  {LABELS.get(key, key)}：{format_value(key, value)}")
    return "\n".join(lines)
