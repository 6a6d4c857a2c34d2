"""State changes of the judgements (issue 20): the 民主评议党员 grades of a branch's members
entered in one form, a reviewer's 述职评议 grade of a secretary, and a period's scores
finalised (评定) into a sheet. Each is one transaction with an audit entry; a refusal
(`JudgementError`, Chinese) changes nothing."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.orgs.models import CommitteePost, CommitteeSeat, Organization, OrgKind
from dangjian.people.models import Person

from . import rules
from .families import Branches, members_by_branch
from .judgements import Appraisal, ScoreEntry, ScoreSheet, SecretaryReview
from .levels import scores_for
from .rules import PeriodError, ended_by, parse_period


class JudgementError(ValueError):
    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _check_year(year: int, today: dt.date) -> None:
    if not 2000 <= year <= today.year:
        raise JudgementError(f"评议年度无效：{year}")


def appraisal_day(year: int, today: dt.date) -> dt.date:
    """Whose membership counts: the members at the year's end (today, in the year itself)."""
    return min(today, dt.date(year, 12, 31))


def branch_members(branch: Organization, year: int, today: dt.date) -> list[Person]:
    """The branch's members (its groups' included) to appraise for the year. Two queries."""
    day = appraisal_day(year, today)
    ids = members_by_branch(branch, day, Branches.only(branch)).get(branch.pk, [])
    return list(Person.objects.filter(pk__in=ids).order_by("name", "pk"))


@dataclass
class Grade:
    person_id: int
    grade: str  # "" leaves the member unappraised
    reason: str = ""


@transaction.atomic
def save_appraisals(branch: Organization, year: int, grades: list[Grade], *, by, today=None):
    """Set the year's grades of the branch's members in one go (those left blank are
    cleared). Returns the grades counted by grade."""
    today = today or timezone.localdate()
    if branch.kind != OrgKind.BRANCH:
        raise JudgementError("民主评议党员按党支部进行，请选择党支部")
    _check_year(year, today)
    members = {p.pk: p for p in branch_members(branch, year, today)}
    problems = []
    for g in grades:
        person = members.get(g.person_id)
        if person is None:
            problems.append(f"编号 {g.person_id} 的人员不是本支部{year}年的党员")
        elif g.grade:
            problems += rules.appraisal_problems(person.name, g.grade, g.reason)
    if problems:
        raise JudgementError(problems)
    chosen = [g for g in grades if g.grade]
    changes = _apply_grades(branch, year, grades, by)
    counts = Counter(g.grade for g in chosen)
    audit.record(
        "assessment.appraise", actor=by, obj=branch, org_path=branch.path,
        summary={"year": year, "grades": dict(counts), "cleared": len(grades) - len(chosen),
                 "changes": changes},
    )  # fmt: skip
    return counts


def _apply_grades(branch, year: int, grades: list[Grade], by) -> dict[str, str]:
    """Create the new grades, update the changed ones, delete the cleared ones; an
    unchanged grade keeps who recorded it and when. Returns {person id: grade} changed
    ("" for cleared). At most four queries."""
    existing = {
        a.person_id: a
        for a in Appraisal.objects.filter(year=year, person_id__in=[g.person_id for g in grades])
    }
    now, changes = timezone.now(), {}
    new, changed, cleared = [], [], []
    for g in grades:
        old, reason = existing.get(g.person_id), g.reason.strip()
        if not g.grade:
            if old is not None:
                cleared.append(old.pk)
                changes[str(g.person_id)] = ""
        elif old is None:
            new.append(Appraisal(organization=branch, person_id=g.person_id, year=year,
                                 grade=g.grade, reason=reason, recorded_by=by))  # fmt: skip
            changes[str(g.person_id)] = g.grade
        elif (old.grade, old.reason, old.organization_id) != (g.grade, reason, branch.pk):
            old.grade, old.reason, old.organization = g.grade, reason, branch
            old.recorded_by, old.recorded_at = by, now
            changed.append(old)
            changes[str(g.person_id)] = g.grade
    if cleared:
        Appraisal.objects.filter(pk__in=cleared).delete()
    if changed:
        Appraisal.objects.bulk_update(
            changed, ["grade", "reason", "organization", "recorded_by", "recorded_at"]
        )
    if new:
        Appraisal.objects.bulk_create(new)
    return changes


def secretary_in(branch: Organization, year: int) -> list[Person]:
    """Those who were the branch's secretary at any time in the year. One query."""
    seats = CommitteeSeat.objects.filter(
        organization=branch, post=CommitteePost.SECRETARY, started_on__lte=dt.date(year, 12, 31)
    ).exclude(ended_on__lt=dt.date(year, 1, 1))
    return [s.person for s in seats.select_related("person").order_by("-started_on")]


@transaction.atomic
def save_review(branch, secretary_id: int, year: int, grade: str, comment: str, *, by, today=None):
    """One reviewer's 述职评议 grade of a secretary for a year (a second entry replaces it)."""
    today = today or timezone.localdate()
    _check_year(year, today)
    labels = {k: v for k, v, _p in rules.REVIEW_GRADES}
    problems = []
    secretaries = {p.pk: p for p in secretary_in(branch, year)}
    if secretary_id not in secretaries:
        problems.append(f"所选人员不是{branch.name}{year}年的支部书记")
    if grade not in labels:
        problems.append("请选择评议等次（好、较好、一般、差）")
    comment = (comment or "").strip()
    if grade in ("average", "poor") and not comment:
        problems.append(f"评为{labels.get(grade, '')}须填写评语，写明存在的问题")
    if len(comment) > 500:
        problems.append("评语不超过 500 字")
    if problems:
        raise JudgementError(problems)
    review, created = SecretaryReview.objects.update_or_create(
        organization=branch, secretary_id=secretary_id, year=year, reviewer=by,
        defaults={"grade": grade, "comment": comment},
    )  # fmt: skip
    audit.record(
        "assessment.review_secretary", actor=by, obj=review, org_path=branch.path,
        summary={"year": year, "secretary": secretary_id, "grade": grade, "replaced": not created},
    )  # fmt: skip
    return review


@transaction.atomic
def finalise(org: Organization, level: str, period_code: str, *, by, today=None) -> ScoreSheet:
    """评定: store the period's scores for the level as they stand; a second 评定 replaces
    the first (both are in the audit log)."""
    today = today or timezone.localdate()
    if level not in rules.LEVEL_NAMES:
        raise JudgementError("考核层级无效")
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        raise JudgementError(str(exc)) from exc
    if not ended_by(period, today):
        raise JudgementError(f"{period.label}尚未结束，不能评定")
    if level == rules.HOSPITAL and org.kind != OrgKind.GUIDANCE_COMMITTEE:
        raise JudgementError("医院层级的考核由指导委员会在全市范围评定")
    entries = scores_for(org, level, period)
    if not entries:
        raise JudgementError("所选组织下没有可评定的对象")
    old = (
        ScoreSheet.objects.filter(organization=org, level=level, period=period.code)
        .select_related("scored_by")
        .first()
    )
    replaced = None
    if old is not None:  # the earlier decision stays on record in the audit log
        earlier = old.entries.select_related("organization", "person").order_by("rank", "pk")
        replaced = {
            "scored_at": old.scored_at.isoformat(),
            "scored_by": old.scored_by.username if old.scored_by_id else None,
            "entries": [[e.person.name if e.person_id else e.organization.code, e.score, e.rank]
                        for e in earlier],
        }  # fmt: skip
        old.delete()
    sheet = ScoreSheet.objects.create(
        organization=org, level=level, period=period.code, scored_by=by, scored_at=timezone.now()
    )
    ScoreEntry.objects.bulk_create(
        ScoreEntry(sheet=sheet, organization=e.organization, person=e.person, name=e.name,
                   score=e.score, colour=e.colour, rank=e.rank, breakdown=e.breakdown())
        for e in entries
    )  # fmt: skip
    audit.record(
        "assessment.finalise", actor=by, obj=sheet, org_path=org.path,
        summary={"level": level, "period": period.code, "entries": len(entries),
                 "replaced": replaced},
    )  # fmt: skip
    return sheet
