"""Demo hospitals after seeds 000 (西藏成办医院) and 001 (武汉市金银潭医院); the figures
they reproduce are listed in `figures.FIGURES`. Each hospital's 党委班子 is drawn from the
members of its branches (`HospitalBuilder.finalize`)."""

import datetime as dt
import random

from .builder import HospitalBuilder
from .dates import Terms, add_months, add_years, between, forwards_from_application, spread
from .figures import HOSPITALS, restructuring_date
from .names import PeopleMaker
from .workbook import Roster

H01_DEPARTMENTS = (
    ("心血管内科", "临床"),
    ("呼吸内科", "临床"),
    ("消化内科", "临床"),
    ("内分泌代谢科", "临床"),
    ("神经内科", "临床"),
    ("肾内科", "临床"),
    ("高原病科", "临床"),
    ("老年病科", "临床"),
    ("普通外科", "临床"),
    ("骨科", "临床"),
    ("泌尿外科", "临床"),
    ("神经外科", "临床"),
    ("胸心外科", "临床"),
    ("妇产科", "临床"),
    ("儿科", "临床"),
    ("眼耳鼻喉科", "临床"),
    ("口腔科", "临床"),
    ("急诊科", "临床"),
    ("重症医学科", "临床"),
    ("麻醉科", "临床"),
    ("康复医学科", "临床"),
    ("藏医科", "临床"),
    ("感染性疾病科", "临床"),
    ("放射科", "医技"),
    ("检验科", "医技"),
    ("超声医学科", "医技"),
    ("药剂科", "医技"),
    ("护理部", "护理"),
    ("党政办公室", "行政"),
    ("医务部", "行政"),
    ("后勤保障部", "后勤"),
)
H01_RETIREE_DEPARTMENT = ("离退休工作办公室", "行政")
# Seed 000: "發展對象中3人為科室主任". In these departments the secretary is the deputy
# head (still 科室负责人, so the branch keeps its dual leader) and the head is a candidate.
H01_CANDIDATE_HEADS = ("消化内科", "骨科", "放射科")
# The branch the demo secretary and member accounts belong to (seed 000 names a long-time
# member of 呼吸内科).
H01_ACCOUNT_BRANCH = "DEMO-H01-B02"
# Seed 000: "黨委班子成員5人,其中黨委書記1人、黨委副書記2人、黨委委員2人".
H01_COMMITTEE = ("书记", "副书记", "副书记", "委员", "委员")
H02_COMMITTEE = ("书记", "副书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员")


def build_h01(today: dt.date, rng: random.Random, maker: PeopleMaker) -> Roster:
    """274 members (217 in service, 57 retired) in 32 branches built on departments, every
    secretary heading the department; since the restructuring 93 applications, 57 activists
    and 11 candidates, 3 of them department heads (seed 000)."""
    code = "DEMO-H01"
    restructured = restructuring_date(today)
    b = HospitalBuilder(
        code,
        HOSPITALS[code],
        today=today,
        rng=rng,
        maker=maker,
        founded_on=dt.date(1985, 7, 1),
        term_start=add_months(today, -20),
        admit_before=restructured - dt.timedelta(days=30),
        tibetan_share=0.3,
    )
    branches = [
        b.branch(f"{dept}党支部", dept, category, founded_on=restructured, term_start=restructured)
        for dept, category in H01_DEPARTMENTS
    ]
    retiree_branch = b.branch(
        "离退休党支部", *H01_RETIREE_DEPARTMENT, founded_on=restructured, term_start=restructured
    )
    # 217 in service: one secretary of the retirees' branch and 216 in the department
    # branches. 57 retired: 45 in their own branch, 12 stayed with their old department.
    sizes = spread(rng, 216, len(branches), 5, 10)
    for i, (branch, size) in enumerate(zip(branches, sizes, strict=True)):
        head_is_candidate = branch.department in H01_CANDIDATE_HEADS
        b.staff(
            branch,
            size,
            retired=1 if i < 12 else 0,
            secretary_title="副主任" if head_is_candidate else None,
        )
    b.staff(retiree_branch, 1, retired=45, retired_department="")
    b.add_groups(retiree_branch, "离退休第一党小组", "离退休第二党小组", "离退休第三党小组")
    _h01_development(b, branches, restructured)
    return b.finalize(H01_COMMITTEE, avoid=(H01_ACCOUNT_BRANCH,))


def _h01_development(b: HospitalBuilder, branches, restructured: dt.date) -> None:
    """93 applications since the restructuring: 11 now candidates (3 of them department
    heads), 46 activists, 36 applicants — so 57 reached activist and 11 candidate."""
    rng, today = b.rng, b.today
    heads = {br.department: br for br in branches if br.department in H01_CANDIDATE_HEADS}
    for i in range(11):
        applied = between(rng, restructured, restructured + dt.timedelta(days=90))
        pipeline = forwards_from_application(
            rng, applied, "candidate", today, activist_gap=(60, 120), candidate_gap=(370, 420)
        )
        if i < len(H01_CANDIDATE_HEADS):
            branch = heads[H01_CANDIDATE_HEADS[i]]
            b.applicant(branch, pipeline, "发展对象", is_head=True, admin_title="主任")
        else:
            b.applicant(rng.choice(branches), pipeline, "发展对象")
    for _ in range(46):
        applied = between(rng, restructured, today - dt.timedelta(days=250))
        pipeline = forwards_from_application(rng, applied, "activist", today)
        b.applicant(rng.choice(branches), pipeline, "入党积极分子")
    for _ in range(36):
        applied = between(rng, restructured, today - dt.timedelta(days=7))
        b.applicant(
            rng.choice(branches),
            forwards_from_application(rng, applied, "applicant", today),
            "入党申请人",
        )


H02_CLINICAL = (
    ("感染一病区", "临床"),
    ("感染二病区", "临床"),
    ("感染三病区", "临床"),
    ("中西医结合感染免疫科", "临床"),
    ("耐药结核科", "临床"),
    ("结核内科", "临床"),
    ("呼吸与危重症医学科", "临床"),
    ("重症医学科", "临床"),
    ("肝病科", "临床"),
    ("综合内科", "临床"),
    ("外科", "临床"),
    ("急诊科", "临床"),
    ("儿科", "临床"),
    ("药物临床试验机构", "临床"),
    ("检验科", "医技"),
    ("医学影像科", "医技"),
    ("药学部", "医技"),
)
# (branch name, department, category, secretary heads the department)
H02_OTHER = (
    ("护理党支部", "护理部", "护理", True),
    ("机关第一党支部", "党委办公室", "行政", True),
    ("机关第二党支部", "医务部", "行政", False),
    ("后勤党支部", "后勤保障部", "后勤", False),
    ("离退休党支部", "离退休工作办公室", "行政", True),
)


def build_h02(today: dt.date, rng: random.Random, maker: PeopleMaker) -> Roster:
    """22 branches, 17 of them clinical or medical-technical, every clinical secretary a
    dual leader (seed 001); two committees due for re-election."""
    code = "DEMO-H02"
    terms = Terms(rng, today)
    founded = dt.date(2018, 3, 1)
    b = HospitalBuilder(
        code,
        HOSPITALS[code],
        today=today,
        rng=rng,
        maker=maker,
        founded_on=dt.date(1988, 7, 1),
        term_start=add_months(today, -14),
    )
    due = {"感染三病区": 25, "检验科": 60}
    clinical = []
    for dept, category in H02_CLINICAL:
        term = terms.due_in(due[dept]) if dept in due else terms.current(founded)
        name = "药物临床试验党支部" if dept == "药物临床试验机构" else f"{dept}党支部"
        branch = b.branch(name, dept, category, founded_on=founded, term_start=term)
        # Seed 001: that branch's secretary is the deputy head of the clinical-trial office.
        b.staff(
            branch,
            rng.randint(5, 9),
            retired=rng.randint(0, 1),
            secretary_title="副主任" if dept == "药物临床试验机构" else None,
        )
        clinical.append(branch)
    for name, dept, category, dual in H02_OTHER:
        branch = b.branch(
            name, dept, category, founded_on=founded, term_start=terms.current(founded)
        )
        if dept == "离退休工作办公室":
            b.staff(branch, 1, retired=24, retired_department="")
            b.add_groups(branch, "离退休第一党小组", "离退休第二党小组")
        else:
            b.staff(branch, rng.randint(6, 11), dual=dual)
    add_small_pipeline(b, clinical, applicants=10, activists=6, candidates=2)
    return b.finalize(H02_COMMITTEE)


def add_small_pipeline(
    b: HospitalBuilder, branches, *, applicants: int, activists: int, candidates: int
) -> None:
    """A few people on the way in, spread over the last three years."""
    rng, today = b.rng, b.today
    start = add_years(today, -3)
    for _ in range(candidates):
        applied = between(rng, start, start + dt.timedelta(days=120))
        pipeline = forwards_from_application(rng, applied, "candidate", today)
        b.applicant(rng.choice(branches), pipeline, "发展对象")
    for _ in range(activists):
        applied = between(rng, start, today - dt.timedelta(days=250))
        b.applicant(
            rng.choice(branches),
            forwards_from_application(rng, applied, "activist", today),
            "入党积极分子",
        )
    for _ in range(applicants):
        applied = between(rng, add_years(today, -1), today - dt.timedelta(days=7))
        b.applicant(
            rng.choice(branches),
            forwards_from_application(rng, applied, "applicant", today),
            "入党申请人",
        )
