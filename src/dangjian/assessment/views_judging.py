"""The assessment pages (issue 20): the score sheet per level (live, or as finalised), its
评定 and workbook, the 民主评议党员 entry of a branch and the 述职评议 of the secretaries."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import audit_read, private, year_param
from dangjian.orgs.models import CommitteePost, CommitteeSeat, Organization, OrgKind
from dangjian.orgs.pages import chosen_org

from . import rules
from .history import stored_sheet
from .judgements import Appraisal, SecretaryReview
from .judging import (
    Grade,
    JudgementError,
    branch_members,
    finalise,
    save_appraisals,
    save_review,
)
from .levels import scores_for
from .permissions import may_read
from .rights import may_appraise, may_finalise, may_review
from .rules import PeriodError, ended_by, last_full_quarter, parse_period, recent_periods
from .sheet_export import XLSX_CONTENT_TYPE, sheet_workbook


def _org(request):
    org = chosen_org(request)
    if not may_read(request.user, org):
        raise PermissionDenied(_("没有查看考核结果的权限"))
    return org


def _levels(org) -> list[tuple[str, str]]:
    """The tabs: the hospital level only where hospitals are compared (the city)."""
    return [(k, v) for k, v in rules.LEVELS
            if k != rules.HOSPITAL or org.kind == OrgKind.GUIDANCE_COMMITTEE]  # fmt: skip


def _scores_url(org, level, period) -> str:
    query = urlencode({"org": org.code, "level": level, "period": period})
    return f"{reverse('assessment:scores')}?{query}"


def _sheet(request, org, today):
    levels = _levels(org)
    level = request.GET.get("level") or levels[0][0]
    if level not in dict(levels):
        level = levels[0][0]
    period = (request.GET.get("period") or "").strip().upper() or last_full_quarter(today).code
    sheet, rows, problem = stored_sheet(org, level, period) + ("",)
    if sheet is None:
        try:
            chosen = parse_period(period)
            if not ended_by(chosen, today):
                raise PeriodError(f"{chosen.label}尚未结束，不能评分")
            rows = scores_for(org, level, chosen)
        except PeriodError as refused:
            problem = str(refused)
    return levels, level, period, sheet, rows, problem


@login_required
def scores_page(request):
    """One level's scores for the period: ranking, colour, breakdown down to the records."""
    org, today = _org(request), timezone.localdate()
    levels, level, period, sheet, rows, problem = _sheet(request, org, today)
    audit_read(request, "assessment.read_scores", org_path=org.path,
               summary={"org": org.code, "level": level, "period": period})  # fmt: skip
    context = {
        "org": org, "period": period, "periods": recent_periods(today), "levels": levels,
        "level": level, "level_name": rules.LEVEL_NAMES[level],
        "indicators": rules.INDICATOR_SETS[level], "scores": rows, "sheet": sheet,
        "problem": problem, "may_finalise": may_finalise(request.user, org) and not problem,
        "bonus": rules.HONOUR_BONUS, "bonus_cap": rules.HONOUR_BONUS_CAP,
    }  # fmt: skip
    return private(render(request, "assessment/scores.html", context))


@login_required
def scores_download(request):
    org, today = _org(request), timezone.localdate()
    _levels_, level, period, sheet, rows, problem = _sheet(request, org, today)
    if problem:
        messages.error(request, problem)
        return redirect(_scores_url(org, level, period))
    content = sheet_workbook(org, rules.LEVEL_NAMES[level], rules.INDICATOR_SETS[level], period,
                             rows, sheet)  # fmt: skip
    audit_read(request, "assessment.export_scores", org_path=org.path,
               summary={"org": org.code, "level": level, "period": period})  # fmt: skip
    name = f"{org.name}{period}{rules.LEVEL_NAMES[level]}考核评分.xlsx"
    return private(FileResponse(io.BytesIO(content), as_attachment=True, filename=name,
                                content_type=XLSX_CONTENT_TYPE))  # fmt: skip


@login_required
@require_POST
def scores_finalise(request):
    org = _org(request)
    level, period = request.POST.get("level", ""), request.POST.get("period", "")
    if not may_finalise(request.user, org):
        raise PermissionDenied(_("只有党委办公室（全市为指导委员会）可以评定考核结果"))
    try:
        sheet = finalise(org, level, period, by=request.user)
        messages.success(request, _("已评定，共 %(n)s 项。") % {"n": sheet.entries.count()})
    except JudgementError as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    return redirect(_scores_url(org, level if level in rules.LEVEL_NAMES else "", period))


# ---- 民主评议党员 ------------------------------------------------------------------------
def _year(request, today) -> int:
    return year_param(request, today.year - 1)


def _branches_under(org):
    return Organization.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH,
                                       dissolved_on__isnull=True).order_by("path")  # fmt: skip


@login_required
def appraisal_page(request):
    org, today = _org(request), timezone.localdate()
    year = _year(request, today)
    if org.kind != OrgKind.BRANCH:  # choose the branch first
        context = {"org": org, "year": year, "branches": _branches_under(org)}
        return private(render(request, "assessment/appraisal_branches.html", context))
    members = branch_members(org, year, today)
    saved = {a.person_id: a for a in Appraisal.objects.filter(year=year, person__in=members)}
    errors: list[str] = []
    posted = {}
    if request.method == "POST":
        if not may_appraise(request.user, org):
            raise PermissionDenied(_("只有支部书记或党委办公室可以登记民主评议结果"))
        grades = [
            Grade(p.pk, request.POST.get(f"grade-{p.pk}", ""),
                  request.POST.get(f"reason-{p.pk}", ""))
            for p in members
        ]  # fmt: skip
        try:
            counts = save_appraisals(org, year, grades, by=request.user, today=today)
        except JudgementError as refused:
            errors = refused.reasons
            posted = {g.person_id: g for g in grades}
        else:
            messages.success(
                request, _("已保存 %(n)s 名党员的评议结果。") % {"n": sum(counts.values())}
            )
            return redirect(f"{reverse('assessment:appraisal')}?org={org.code}&year={year}")
    audit_read(request, "assessment.read_appraisal", org_path=org.path,
               summary={"org": org.code, "year": year})  # fmt: skip
    rows = []
    for person in members:
        entry = posted.get(person.pk) or saved.get(person.pk)
        rows.append({"person": person, "grade": getattr(entry, "grade", ""),
                     "reason": getattr(entry, "reason", "")})  # fmt: skip
    chosen = [r["grade"] for r in rows if r["grade"]]
    counts = {key: chosen.count(key) for key, _label in rules.APPRAISAL_GRADES}
    share = rules.excellent_share(counts)
    context = {
        "org": org, "year": year, "rows": rows, "grades": rules.APPRAISAL_GRADES,
        "needs_reason": sorted(rules.NEEDS_REASON), "errors": errors,
        "counts": [(label, counts[key]) for key, label in rules.APPRAISAL_GRADES],
        "share": None if share is None else f"{share:.0%}", "appraised": len(chosen),
        "may_enter": may_appraise(request.user, org), "years": range(today.year, today.year - 4, -1),
    }  # fmt: skip
    return private(render(request, "assessment/appraisal.html", context))


# ---- 述职评议 ----------------------------------------------------------------------------
@login_required
def review_page(request):
    """The secretaries of the branches under the organisation for a year: each reviewer's
    grade and comment, the mean of all reviewers."""
    org, today = _org(request), timezone.localdate()
    year = _year(request, today)
    errors: list[str] = []
    if request.method == "POST":
        branch = Organization.objects.filter(
            pk=request.POST.get("branch") or 0, path__startswith=org.path, kind=OrgKind.BRANCH
        ).first()
        if branch is None or not may_review(request.user, branch):
            raise PermissionDenied(_("只有医院党委（办公室）可以进行述职评议"))
        try:
            save_review(branch, int(request.POST.get("secretary") or 0), year,
                        request.POST.get("grade", ""), request.POST.get("comment", ""),
                        by=request.user, today=today)  # fmt: skip
        except JudgementError as refused:
            errors = refused.reasons
        else:
            messages.success(request, _("已保存对%(b)s书记的评议。") % {"b": branch.name})
            return redirect(
                f"{reverse('assessment:review')}?org={org.code}&year={year}#b{branch.pk}"
            )
    rows = _review_rows(request.user, org, year)
    audit_read(request, "assessment.read_reviews", org_path=org.path,
               summary={"org": org.code, "year": year})  # fmt: skip
    context = {
        "org": org, "year": year, "rows": rows, "errors": errors,
        "grades": [(k, v) for k, v, _p in rules.REVIEW_GRADES],
        "may_review": may_review(request.user, org) or any(r["may"] for r in rows),
        "years": range(today.year, today.year - 4, -1),
    }  # fmt: skip
    return private(render(request, "assessment/review.html", context))


def _review_rows(user, org, year: int) -> list[dict]:
    """Per branch: its secretary in the year, every reviewer's grade, the mean, the user's
    own grade. Three queries whatever the number of branches."""
    branches = list(_branches_under(org))
    seats = (
        CommitteeSeat.objects.filter(
            organization__in=branches, post=CommitteePost.SECRETARY,
            started_on__lte=dt.date(year, 12, 31),
        )
        .exclude(ended_on__lt=dt.date(year, 1, 1))
        .select_related("person")
        .order_by("organization_id", "-started_on")
    )  # fmt: skip
    secretary = {}
    for seat in seats:
        secretary.setdefault(seat.organization_id, seat.person)
    reviews = SecretaryReview.objects.filter(organization__in=branches, year=year).select_related(
        "reviewer"
    )
    by_branch: dict = {}
    for review in reviews:
        by_branch.setdefault((review.organization_id, review.secretary_id), []).append(review)
    labels = {k: v for k, v, _p in rules.REVIEW_GRADES}
    rows = []
    for branch in branches:
        person = secretary.get(branch.pk)
        given = by_branch.get((branch.pk, person.pk), []) if person else []
        mine = next((r for r in given if r.reviewer_id == user.pk), None)
        rows.append({
            "branch": branch, "secretary": person, "reviews": given,
            "result": rules.review_result([r.grade for r in given]),
            "labels": [labels[r.grade] for r in given], "mine": mine,
            "may": person is not None and may_review(user, branch),
        })  # fmt: skip
    return rows
