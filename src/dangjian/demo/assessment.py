"""The demo's assessment (issue 20): last year's 民主评议党员 of DEMO-H01's branches (one
branch not finished yet, so its 完成率 shows), the Party office's 述职评议 of each branch
secretary, and the scored periods — the last full quarter and last year finalised (评定)
for DEMO-H01 (branches and secretaries) and, by the guidance committee, for the city's
hospitals. Grades follow a fixed pattern: fictitious people, repeatable demo."""

import datetime as dt

from django.contrib.auth import get_user_model

from dangjian.assessment import rules
from dangjian.assessment.judging import (
    Grade,
    branch_members,
    finalise,
    save_appraisals,
    save_review,
    secretary_in,
)
from dangjian.assessment.rules import last_full_quarter
from dangjian.orgs.models import Organization, OrgKind

REVIEWS = (("good", ""), ("fair", ""), ("good", ""),
           ("average", "支部“三会一课”记录不完整，发展党员工作推进较慢"))  # fmt: skip


def _grade(i: int) -> tuple[str, str]:
    if i % 6 == 0:
        return "excellent", ""
    if i % 29 == 11:
        return "basic", "全年请假缺席组织生活较多，学习时长不足"
    return "qualified", ""


def load_demo_assessment(today: dt.date) -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_guidance"], field_name="username"
    )
    office, guidance = users["demo_office"], users["demo_guidance"]
    hospital = Organization.objects.get(code="DEMO-H01")
    year = today.year - 1
    branches = list(
        Organization.objects.filter(path__startswith=hospital.path, kind=OrgKind.BRANCH,
                                    dissolved_on__isnull=True).order_by("path")
    )  # fmt: skip
    for n, branch in enumerate(branches):
        members = branch_members(branch, year, today)
        if n == len(branches) - 1:  # the last branch has entered only half of its members
            members = members[: len(members) // 2]
        grades = [Grade(p.pk, *_grade(i)) for i, p in enumerate(members)]
        if grades:
            save_appraisals(branch, year, grades, by=office, today=today)
        for secretary in secretary_in(branch, year)[:1]:
            grade, comment = REVIEWS[n % len(REVIEWS)]
            save_review(branch, secretary.pk, year, grade, comment, by=office, today=today)
    for period in (last_full_quarter(today).code, str(year)):
        for level in (rules.BRANCH, rules.SECRETARY):
            finalise(hospital, level, period, by=office, today=today)
        city = Organization.objects.get(path=hospital.path[: hospital.steplen])
        finalise(city, rules.HOSPITAL, period, by=guidance, today=today)
