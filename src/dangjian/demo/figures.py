"""The figures the demo reproduces, per demo hospital: the value, the seed article it comes
from and the words it quotes (as in docs/seeds, with the pinyin glosses some
copies carry removed: see `normalize_seed`). Tests assert every figure from the database
and through `dashboard.stats.compute_stats`.

`key` is a `dangjian stats` key (SPEC.md §4) or one of the demo checks the tests know:
`branches.founded_in_period`, `tasks.areas` (areas of this year's target list),
`people.talents` (人才类别 医疗专家 / 学科带头人 /
优秀青年医务人员), `branch` (a branch of that name exists), `branch.post` (that branch has
the post: "name/post"), `branch.secretary_talent` ("name/talent").

Periods: the seeds count development "since the restructuring" or "since 2021"; the
demo places these windows relative to the day it is loaded (`demo_periods`), so that the
dashboard's current figures stay meaningful whatever the date.
"""

import datetime as dt
import re
from dataclasses import dataclass

from .dates import add_months, add_years, first_of_month

GUIDANCE = ("DEMO", "示例市医院党建工作指导委员会")
HOSPITALS = {
    "DEMO-H01": "示例西藏成办医院党委",
    "DEMO-H02": "示例金银潭医院党委",
    "DEMO-H03": "示例延安大学附属医院党委",
    "DEMO-H04": "示例佳木斯市传染病院党委",
    "DEMO-H05": "示例天津市公立医院党委",
}
SEEDS = {
    "000": "000_b3f830f1321274a6.txt",  # 西藏成办医院
    "001": "001_6076ef7deeb5145d.txt",  # 武汉市金银潭医院
    "002": "002_61bff021c47103b4.txt",  # 天津市公立医院党建综述 (city-wide)
    "003": "003_111a258dc72aa141.txt",  # 延安大学附属医院
    "004": "004_6e5d2def193d2017.txt",  # 佳木斯市传染病院
}


def restructuring_date(today: dt.date) -> dt.date:
    """Seed 000's branch restructuring (7 → 32 branches): two years before the load."""
    return first_of_month(add_months(today, -24))


def demo_periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    return {
        # seed 000: "從改選至今" — from the restructuring to today
        "since_restructuring": (restructuring_date(today), today),
        # seed 004: "2021年以來" in an article of December 2024 — four calendar years
        "four_years": (dt.date(today.year - 4, 1, 1), today),
        # seed 002: "近3年"
        "three_years": (add_years(today, -3), today),
    }


@dataclass(frozen=True)
class SeedFigure:
    org: str
    key: str
    value: int | float | str
    seed: str
    quote: str
    period: str = ""  # a name in demo_periods(); empty: as of the load day
    note: str = ""  # how the demo expresses a figure the seed states differently


_H01, _H02, _H03, _H04, _H05 = HOSPITALS
FIGURES: tuple[SeedFigure, ...] = (
    # ---- seed 000: 西藏成办医院 -----------------------------------------------------
    SeedFigure(_H01, "members.total", 274, "000", "現有黨員274名"),
    SeedFigure(_H01, "members.in_service", 217, "000", "其中在職黨員217名"),
    SeedFigure(_H01, "members.retired", 57, "000", "離退休黨員57名"),
    SeedFigure(_H01, "organizations.branches", 32, "000", "將原7個黨支部調整為32個黨支部"),
    SeedFigure(
        _H01,
        "branches.founded_in_period",
        32,
        "000",
        "將原7個黨支部調整為32個黨支部",
        period="since_restructuring",
        note="the 32 branches date from the restructuring; the 7 old ones are not in "
        "the roster format",
    ),
    SeedFigure(
        _H01,
        "branches.dual_leader",
        32,
        "000",
        "將支部建在科室上,黨支部原則上以科室為單位設置,涵蓋全院所有科室",
        note="every branch is linked to a department and its secretary heads it",
    ),
    SeedFigure(
        _H01,
        "branches.dual_leader_ratio",
        1.0,
        "000",
        "將支部建在科室上,黨支部原則上以科室為單位設置,涵蓋全院所有科室",
    ),
    SeedFigure(
        _H01,
        "development.applied",
        93,
        "000",
        "從改選至今,已有93人遞交入黨申請書",
        period="since_restructuring",
    ),
    SeedFigure(
        _H01,
        "development.activists",
        57,
        "000",
        "57人確定為入黨積極分子",
        period="since_restructuring",
    ),
    SeedFigure(
        _H01,
        "development.candidates",
        11,
        "000",
        "11人確定為發展對象",
        period="since_restructuring",
    ),
    SeedFigure(
        _H01,
        "development.candidates_department_heads",
        3,
        "000",
        "發展對象中3人為科室主任",
        period="since_restructuring",
    ),
    # ---- seed 001: 武汉市金银潭医院 ---------------------------------------------------
    SeedFigure(_H02, "organizations.branches", 22, "001", "該院共有黨支部22個"),
    SeedFigure(_H02, "branches.clinical", 17, "001", "其中臨床醫技黨支部17個"),
    SeedFigure(
        _H02, "branches.clinical_dual_leader_ratio", 1.0, "001", "臨床醫技“雙帶頭人”比例達到100%"
    ),
    SeedFigure(_H02, "branch", "耐药结核科党支部", "001", "耐藥結核科主任、黨支部書記"),
    SeedFigure(_H02, "branch", "中西医结合感染免疫科党支部", "001", "中西醫結合感染免疫科黨支部"),
    SeedFigure(_H02, "branch", "药物临床试验党支部", "001", "藥物臨床試驗黨支部書記"),
    SeedFigure(_H02, "branch", "感染一病区党支部", "001", "感染一病區科主任"),
    # ---- seed 002: 天津市 (city-wide figures, reproduced as ratios in one hospital) ----
    SeedFigure(
        _H05,
        "branches.dual_leader_ratio",
        0.8,
        "002",
        "黨支部書記由內設機構黨員主要負責同志擔任的約占80%",
        note="8 of the 10 branches linked to a department",
    ),
    SeedFigure(
        _H05,
        "development.admitted",
        9,
        "002",
        "近3年全市二級以上公立醫院發展黨員1222名",
        period="three_years",
        note="1,222 city-wide; 9 in the demo hospital",
    ),
    SeedFigure(
        _H05,
        "development.admitted_talent_share",
        2 / 9,
        "002",
        "醫療專家、學科帶頭人、優秀青年醫務人員占22.2%",
        period="three_years",
        note="2 of 9 = 22.2%",
    ),
    SeedFigure(
        _H05,
        "organizations.temporary_branches",
        1,
        "002",
        "成立臨時黨支部167個",
        note="167 city-wide; one 临时党支部 (an emergency medical rescue team) here",
    ),
    # ---- seed 003: 延安大学附属医院 ---------------------------------------------------
    SeedFigure(_H03, "branch", "康复中医党支部", "003", "延大附院康復中醫黨支部"),
    SeedFigure(_H03, "branch", "妇产党支部", "003", "支部與婦產黨支部簽訂"),
    SeedFigure(
        _H03,
        "branch.secretary_talent",
        "康复中医党支部/医疗专家",
        "003",
        "全國第五批中醫臨床優秀人才",
        note="the secretary is fictitious; only the talent category is kept",
    ),
    SeedFigure(_H03, "branch.post", "康复中医党支部/组织委员", "003", "組織委員"),
    # ---- seed 004: 佳木斯市传染病院 ---------------------------------------------------
    SeedFigure(
        _H04, "development.admitted", 22, "004", "2021年以来,全院发展党员22名", period="four_years"
    ),
    SeedFigure(
        _H04,
        "development.admitted_clinical_share",
        19 / 22,
        "004",
        "其中临床医技护党员占比达85%",
        period="four_years",
        note="19 of 22 (86%) in 临床/医技 branches; the other 3 in 行政/后勤",
    ),
    SeedFigure(
        _H04,
        "branches.clinical_dual_leader_ratio",
        1.0,
        "004",
        "实现临床医技科室党支部书记全部由科室负责人担任",
    ),
    SeedFigure(
        _H04, "people.talents", 10, "004", "10名优秀人才成为省级优秀中青年专家、市级学科带头人"
    ),
    SeedFigure(
        _H04,
        "tasks.total",
        54,
        "004",
        "细化分解9方面54项目标任务",
        note="this year's target list; its areas are the demo check `tasks.areas`",
    ),
    SeedFigure(_H04, "tasks.areas", 9, "004", "细化分解9方面54项目标任务"),
    SeedFigure(_H04, "decisions.total", 198, "004", "“三重一大”事项198件", period="four_years"),
    SeedFigure(
        _H04,
        "decisions.consultations",
        46,
        "004",
        "累计开展专家咨询和论证46场次",
        period="four_years",
    ),  # fmt: skip
    SeedFigure(_H04, "decisions.opinions", 136, "004", "征求意见建议136条", period="four_years"),
    SeedFigure(_H04, "branch", "感染病诊疗中心党支部", "004", "感染病诊疗中心党支部"),
    SeedFigure(_H04, "branch", "肝病四科党支部", "004", "肝病四科党支部"),
    SeedFigure(_H04, "branch", "肝病诊疗中心党支部", "004", "肝病诊疗中心党支部"),
)

_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def normalize_seed(text: str) -> str:
    """Seed copies gloss some characters with pinyin, e.g. 醫(yī); drop the glosses."""
    return _PINYIN_GLOSS.sub("", text)
