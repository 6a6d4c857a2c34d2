"""Demo hospitals after seeds 003 (延安大学附属医院), 004 (佳木斯市传染病院) and 002 (the
Tianjin city-wide figures, reproduced as ratios in one hospital)."""

import datetime as dt
import random

from .builder import HospitalBuilder
from .dates import Terms, add_months, between
from .figures import HOSPITALS, demo_periods
from .hospitals_a import add_small_pipeline
from .names import PeopleMaker
from .workbook import CLINICAL, TALENTS, PersonRow, Roster

H03_COMMITTEE = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
# The 三重一大 register's hospital: a committee of seven (demo/register.py).
H04_COMMITTEE = ("书记", "副书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员")
H05_COMMITTEE = ("书记", "副书记", "副书记", "组织委员", "纪检委员", "委员")

# (branch name, department, category)
H03_BRANCHES = (
    ("康复中医党支部", "康复中医科", "临床"),
    ("妇产党支部", "妇产科", "临床"),
    ("心血管内科党支部", "心血管内科", "临床"),
    ("普通外科党支部", "普通外科", "临床"),
    ("医学影像党支部", "医学影像科", "医技"),
    ("护理党支部", "护理部", "护理"),
    ("机关党支部", "党政办公室", "行政"),
    ("后勤党支部", "后勤保障部", "后勤"),
)


def build_h03(today: dt.date, rng: random.Random, maker: PeopleMaker) -> Roster:
    """The benchmark branch 康复中医党支部 (secretary a 医疗专家, a committee with an
    组织委员) and its partner 妇产党支部 (seed 003); one re-election due."""
    code = "DEMO-H03"
    terms = Terms(rng, today)
    founded = dt.date(2019, 1, 1)
    b = HospitalBuilder(
        code,
        HOSPITALS[code],
        today=today,
        rng=rng,
        maker=maker,
        founded_on=dt.date(1992, 7, 1),
        term_start=add_months(today, -8),
    )
    branches = []
    for name, dept, category in H03_BRANCHES:
        term = terms.due_in(40) if dept == "普通外科" else terms.current(founded)
        branch = b.branch(name, dept, category, founded_on=founded, term_start=term)
        people = b.staff(branch, 9 if dept == "康复中医科" else rng.randint(5, 9))
        if dept == "康复中医科":
            people[0].talent, people[0].title = "医疗专家", "主任医师"
        branches.append(branch)
    add_small_pipeline(b, branches[:5], applicants=5, activists=3, candidates=1)
    return b.finalize(H03_COMMITTEE)


H04_CLINICAL = (
    ("感染病诊疗中心", "临床"),
    ("肝病诊疗中心", "临床"),
    ("肝病一科", "临床"),
    ("肝病四科", "临床"),
    ("肺病诊疗中心", "临床"),
    ("综合外科", "临床"),
    ("重症医学科", "临床"),
    ("检验科", "医技"),
    ("医学影像科", "医技"),
)
# (branch name, department, category, secretary heads the department)
H04_OTHER = (
    ("护理党支部", "护理部", "护理", True),
    ("机关党支部", "党政办公室", "行政", True),
    ("后勤党支部", "后勤保障部", "后勤", False),
)


def build_h04(today: dt.date, rng: random.Random, maker: PeopleMaker) -> Roster:
    """22 members admitted in the last four calendar years, 19 of them in clinical or
    medical-technical branches; every clinical secretary heads the department; 10 people
    with a talent category (seed 004)."""
    code = "DEMO-H04"
    terms = Terms(rng, today)
    window_start, _ = demo_periods(today)["four_years"]
    founded = dt.date(2018, 7, 1)
    b = HospitalBuilder(
        code,
        HOSPITALS[code],
        today=today,
        rng=rng,
        maker=maker,
        founded_on=dt.date(1954, 7, 1),
        term_start=add_months(today, -26),
        admit_before=window_start - dt.timedelta(days=1),
        free_talents=False,
    )
    clinical = []
    for dept, category in H04_CLINICAL:
        branch = b.branch(
            f"{dept}党支部", dept, category, founded_on=founded, term_start=terms.current(founded)
        )
        b.staff(branch, 12 if dept == "肝病诊疗中心" else rng.randint(5, 8))
        clinical.append(branch)
    grouped = clinical[1]
    b.add_groups(grouped, "肝病诊疗中心第一党小组", "肝病诊疗中心第二党小组")
    others = []
    for name, dept, category, dual in H04_OTHER:
        branch = b.branch(
            name, dept, category, founded_on=founded, term_start=terms.current(founded)
        )
        b.staff(branch, rng.randint(5, 7), dual=dual)
        others.append(branch)
    # 22 admitted: 19 in clinical branches, 2 in 机关 and 1 in 后勤 (none in 护理).
    # They stay in their branches, not in 肝病诊疗中心's groups, so both the person's and
    # the organisation's department say 临床/医技.
    direct = [branch for branch in clinical if branch is not grouped]
    targets = [direct[i % len(direct)] for i in range(19)] + [others[1], others[1], others[2]]
    _admit(b, targets, window_start, full=14)
    _h04_talents(b)
    # In office since before the register's first meeting (four years of 党委会).
    return b.finalize(H04_COMMITTEE, since=add_months(window_start, -14))


def _admit(
    b: HospitalBuilder, branches, window_start: dt.date, *, full: int, talents: tuple[str, ...] = ()
) -> list[PersonRow]:
    """Members admitted inside the window: the first `full` more than a year ago (now
    full members), the rest within the last year (probationary). `talents` go to the
    first admitted; the others get none (so the talent share is exact)."""
    rng, today = b.rng, b.today
    admitted = []
    for i, branch in enumerate(branches):
        if i < full:
            day = between(rng, window_start + dt.timedelta(days=30), today - dt.timedelta(days=400))
        else:
            day = between(rng, today - dt.timedelta(days=330), today - dt.timedelta(days=20))
        talent = talents[i] if i < len(talents) else "无"
        admitted.append(b.member(branch, admitted_on=day, talent=talent))
    return admitted


def _h04_talents(b: HospitalBuilder) -> None:
    """Seed 004: 10 people became provincial young experts or city discipline leaders —
    6 clinical secretaries (学科带头人) and 4 young doctors (优秀青年医务人员)."""
    people = b.roster.people
    secretaries = [p for p in people if p.post == "书记" and b.branches[p.org].category in CLINICAL]
    for person in secretaries[:6]:
        person.talent = "学科带头人"
    young = [p for p in people if p.title in ("主治医师", "住院医师") and p.talent not in TALENTS]
    for person in young[:4]:
        person.talent = "优秀青年医务人员"


H05_BRANCHES = (
    ("心内科", "临床"),
    ("呼吸科", "临床"),
    ("普外科", "临床"),
    ("骨科", "临床"),
    ("儿科", "临床"),
    ("急诊医学科", "临床"),
    ("检验科", "医技"),
    ("医学影像科", "医技"),
    ("护理部", "护理"),
    ("党政办公室", "行政"),
)
H05_NOT_DUAL = ("骨科", "党政办公室")


def build_h05(today: dt.date, rng: random.Random, maker: PeopleMaker) -> Roster:
    """Seed 002's city-wide ratios in one hospital: 80% of the branches linked to a
    department have a dual leader; of the 9 members admitted in the last three years 2
    (22.2%) are talents; one temporary branch. One re-election due, one overdue."""
    code = "DEMO-H05"
    terms = Terms(rng, today)
    window_start, _ = demo_periods(today)["three_years"]
    founded = dt.date(2017, 9, 1)
    b = HospitalBuilder(
        code,
        HOSPITALS[code],
        today=today,
        rng=rng,
        maker=maker,
        founded_on=dt.date(1978, 7, 1),
        term_start=add_months(today, -30),
        admit_before=window_start - dt.timedelta(days=1),
    )
    special = {"儿科": terms.due_in(30), "呼吸科": terms.overdue_by(45)}
    branches = []
    for dept, category in H05_BRANCHES:
        term = special.get(dept) or terms.current(founded)
        branch = b.branch(f"{dept}党支部", dept, category, founded_on=founded, term_start=term)
        b.staff(branch, rng.randint(6, 10), dual=dept not in H05_NOT_DUAL)
        branches.append(branch)
    # A project of 6 months or more gets its own temporary branch (RULES.md §3).
    started = add_months(today, -8)
    rescue = b.branch(
        "紧急医学救援队临时党支部", founded_on=started, term_start=started, temporary=True
    )
    b.staff(
        rescue,
        5,
        departments=(
            ("急诊医学科", "临床"),
            ("呼吸科", "临床"),
            ("护理部", "护理"),
            ("检验科", "医技"),
        ),
    )
    _admit(
        b,
        [branches[i % 8] for i in range(9)],
        window_start,
        full=6,
        talents=("学科带头人", "优秀青年医务人员"),
    )
    add_small_pipeline(b, branches[:8], applicants=6, activists=4, candidates=1)
    return b.finalize(H05_COMMITTEE)


def admitted_in(roster: Roster, start: dt.date, end: dt.date) -> list[PersonRow]:
    return [p for p in roster.people if p.admitted_on and start <= p.admitted_on <= end]
