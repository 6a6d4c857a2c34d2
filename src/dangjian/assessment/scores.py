"""Assessment scores of the branches of a subtree for a period (issue 20): each indicator
of rules.INDICATOR_SETS["branch"] read from the records (families.gather), a score with its
breakdown down to the records, a ranking and red / yellow / green with the reasons. One
query per indicator family, whatever the number of branches.

- meetings: periods met ÷ periods required in the period (meetings.queries.compliance);
- attendance: members present ÷ attendance recorded at the meetings held in the period;
- dues: bills paid on time ÷ bills due in the period's months (dues.DuesMonthTotal);
- arrears: 1 − members three months or more in arrears ÷ members, on the check day;
- development: 1 − people with a development step overdue ÷ people on the way;
- tasks: 1 when no task of the branch is overdue on the check day, else 0;
- study: class hours studied in the period ÷ 32 a year pro rata per member, at most 1;
- service: 1 when the branch led a volunteer activity in the period, else 0;
- points (a year, within one hospital): the members' mean points ÷ the best branch's;
- appraisal (a year): members appraised (民主评议党员) ÷ members, at most 1;
- honours won in the period: a bonus on top (rules.HONOUR_BONUS), at most 100 in all.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from dangjian.orgs.models import Organization

from . import rules
from .families import Raw, best_points_mean, gather
from .rules import Period

# The page listing each indicator's records (opened on the scored organisation).
RECORD_PAGES = {
    "meetings": "meetings:list",
    "attendance": "meetings:list",
    "dues": "dues:month",
    "arrears": "dues:arrears",
    "development": "development:board",
    "tasks": "tasks:list",
    "service": "service:activities",
    "points": "points:ranking",
    "appraisal": "assessment:appraisal",
    "review": "assessment:review",
}


@dataclass
class Indicator:
    key: str
    label: str
    weight: int
    value: float | None  # 0–1, None without data
    detail: str  # the records behind it, in words
    records: list[str] = field(default_factory=list)  # the records worth naming
    link: str = ""  # the page listing the records

    @property
    def points(self) -> float | None:
        return None if self.value is None else round(self.weight * self.value, 1)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "weight": self.weight,
                "value": self.value, "points": self.points, "detail": self.detail,
                "records": self.records, "link": self.link}  # fmt: skip


@dataclass
class BranchScore:
    organization: Organization
    indicators: list[Indicator] = field(default_factory=list)
    score: float | None = None
    colour: str = "grey"
    rank: int | None = None
    bonus: float = 0.0  # the honours' points on top
    honours: list[str] = field(default_factory=list)
    person: object = None  # the secretary, at the secretary level

    @property
    def reasons(self) -> list[str]:
        return [
            f"{i.label}：{i.detail}" for i in self.indicators if i.value is not None and i.value < 1
        ]

    @property
    def name(self) -> str:
        if self.person is not None:
            return f"{self.person.name}（{self.organization.name}）"
        return self.organization.name

    @property
    def sort_key(self):
        return self.organization.path

    def breakdown(self) -> dict:
        return {"indicators": [i.as_dict() for i in self.indicators], "bonus": self.bonus,
                "honours": self.honours, "reasons": self.reasons}  # fmt: skip


def _pct(part, whole) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _link(key: str, org: Organization) -> str:
    name = RECORD_PAGES.get(key)
    return f"{reverse(name)}?org={org.code}" if name else ""


ANNUAL_ONLY_TEXT = "年度考核指标，季度和半年不计"


def found_values(raw: Raw, period: Period, *, hospital: bool, best_points: float | None) -> dict:
    """{key: (value, detail, records)} of every indicator a Raw gives."""
    r = raw
    annual = rules.is_annual(period)
    found = {
        "meetings": (r.met / r.required if r.required else None,
                     f"应开展 {r.required} 次，按期开展 {r.met} 次（{_pct(r.met, r.required)}）", []),
        "attendance": (r.present / r.attendance if r.attendance else None,
                       f"应到 {r.attendance} 人次，出席 {r.present} 人次（{_pct(r.present, r.attendance)}）", []),
        "dues": (r.on_time / r.due if r.due else None,
                 f"应交 {r.due} 人次，按月交纳 {r.on_time} 人次（{_pct(r.on_time, r.due)}）", []),
        "arrears": (1 - r.owing / r.members if r.members else None,
                    f"党员 {r.members} 名，欠交 3 个月以上 {r.owing} 名", []),
        "development": (1 - r.late / r.pipeline if r.pipeline else None,
                        f"在培养考察 {r.pipeline} 人，步骤逾期 {r.late} 人", r.late_steps),
        "study": (min(1.0, r.hours / r.target) if r.target else None,
                  f"学习 {r.hours:g} 学时，应完成 {r.target:g} 学时（{_pct(r.hours, r.target)}）", []),
    }  # fmt: skip
    if hospital:
        found["tasks"] = (r.branches_without_overdue / r.branches if r.branches else None,
                          f"{r.branches} 个支部中 {r.branches - r.branches_without_overdue} 个有逾期任务，"
                          f"逾期未销号任务 {r.overdue} 项", r.overdue_titles)  # fmt: skip
        found["service"] = (r.branches_serving / r.branches if r.branches else None,
                            f"{r.branches} 个支部中 {r.branches_serving} 个开展了志愿服务", [])  # fmt: skip
    else:
        found["tasks"] = (
            0.0 if r.overdue else 1.0,
            f"逾期未销号任务 {r.overdue} 项",
            r.overdue_titles,
        )
        found["service"] = (1.0 if r.service else 0.0, f"开展志愿服务 {r.service} 场", [])
    if annual:
        share = _pct(r.excellent, r.appraised)
        found["appraisal"] = (
            min(1.0, r.appraised / r.members) if r.members else None,
            f"党员 {r.members} 名，已评议 {r.appraised} 名，其中优秀 {r.excellent} 名（占 {share}）", [])  # fmt: skip
        mean = "—" if r.points_mean is None else f"{r.points_mean:.1f}"
        best = "—" if not best_points else f"{best_points:.1f}"
        found["points"] = (rules.relative(r.points_mean, best_points),
                           f"人均积分 {mean} 分，最高支部人均 {best} 分", [])  # fmt: skip
    else:
        found["appraisal"] = (None, ANNUAL_ONLY_TEXT, [])
        found["points"] = (None, ANNUAL_ONLY_TEXT, [])
    return found


def scored(org, raw: Raw, level: str, period: Period, best_points=None) -> BranchScore:
    found = found_values(raw, period, hospital=level == rules.HOSPITAL, best_points=best_points)
    indicators = [
        Indicator(key, label, weight, *found[key], link=_link(key, org))
        for key, label, weight in rules.INDICATOR_SETS[level]
    ]
    bonus = rules.honour_bonus([level for level, _text in raw.honours])
    points = rules.score({i.key: i.value for i in indicators}, level, bonus)
    return BranchScore(
        org, indicators, points, rules.colour(points), bonus=bonus,
        honours=[text for _level, text in raw.honours],
    )  # fmt: skip


def branch_scores(org: Organization, period: Period) -> list[BranchScore]:
    branches, raw = gather(org, period)
    means = [r.points_mean for r in raw.values() if r.points_mean is not None]
    best = max(means) if means else None
    if means and org.depth > 2:  # the best of the whole hospital, not of the part viewed
        best = best_points_mean(org, period)
    return rules.ranked([scored(b, raw[b.pk], rules.BRANCH, period, best) for b in branches])
