"""The stages of a selection round (评选), each checked in full before anything is
written (HonorError, Chinese reasons), in one transaction, with one audit entry:
open → recommend (units, until the deadline) → review (scores and comments) → publish the
shortlist for 公示 (within each category's quota) → objections → approve, which creates
the honours of the shortlist."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.services import send_notice
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import rules
from .models import (
    Category,
    Honor,
    Level,
    Nomination,
    NominationMaterial,
    Objection,
    Review,
    RoundCategory,
    RoundState,
    SelectionRound,
)
from .permissions import is_recused, panel_candidates
from .services import HonorError


def _refuse(problems: list[str]) -> None:
    if problems:
        raise HonorError(problems)


def _audit(action: str, by, obj, round_: SelectionRound, **summary) -> None:
    audit.record(
        action, actor=by, obj=obj, org_path=round_.organization.path,
        summary={"round": round_.pk, **summary},
    )  # fmt: skip


def _locked(round_: SelectionRound) -> SelectionRound:
    return (
        SelectionRound.objects.select_for_update().select_related("organization").get(pk=round_.pk)
    )


def _in_state(round_: SelectionRound, state: str, doing: str) -> list[str]:
    if round_.state == state:
        return []
    return [f"评选“{round_.title}”{round_.get_state_display()}，不能{doing}"]


@dataclass
class RoundInput:
    title: str
    criteria: str
    level: str
    recommend_by: dt.date | None
    categories: list[tuple[str, str, int]]  # (category, title, quota)


@transaction.atomic
def open_round(organiser: Organization, data: RoundInput, *, by=None, today=None):
    today = today or timezone.localdate()
    problems = []
    if not data.title.strip():
        problems.append("请填写评选名称")
    if not data.criteria.strip():
        problems.append("请填写评选条件")
    if data.level not in Level.values:
        problems.append(f"未知的荣誉级别：{data.level}")
    if data.recommend_by is None or data.recommend_by < today:
        problems.append("推荐截止日期不能早于今天")
    if not data.categories:
        problems.append("请至少设置一个评选类别")
    for category, title, quota in data.categories:
        if category not in Category.values:
            problems.append(f"未知的荣誉类别：{category}")
        elif not rules.title_for(category, title):
            problems.append("类别为“其他”时请填写荣誉称号")
        if not isinstance(quota, int) or quota < 1:
            problems.append("每个类别的名额至少为 1")
    _refuse(problems)
    round_ = SelectionRound.objects.create(
        organization=organiser, title=data.title.strip(), criteria=data.criteria.strip(),
        level=data.level, recommend_by=data.recommend_by, created_by=by,
    )  # fmt: skip
    for category, title, quota in data.categories:
        RoundCategory.objects.create(
            selection_round=round_, category=category,
            title=rules.title_for(category, title), quota=quota,
        )  # fmt: skip
    _audit("honors.round_open", by, round_, round_, title=round_.title,
           categories=[c[0] for c in data.categories])  # fmt: skip
    return round_


@dataclass
class NominationInput:
    round_category: RoundCategory
    unit: Organization
    person: Person | None
    organization: Organization | None
    deeds: str
    materials: list


@transaction.atomic
def recommend(data: NominationInput, *, by=None, today=None) -> Nomination:
    """A unit's recommendation: a person or an organisation of its own subtree."""
    today = today or timezone.localdate()
    round_ = _locked(data.round_category.selection_round)
    problems = _in_state(round_, RoundState.OPEN, "推荐")
    if not problems and today > round_.recommend_by:
        problems.append(f"推荐已于 {round_.recommend_by:%Y-%m-%d} 截止")
    if not data.unit.path.startswith(round_.organization.path):
        problems.append(f"{data.unit.name}不在本次评选范围内")
    for_person = rules.for_person(data.round_category.category)
    if data.person is None and data.organization is None:
        problems.append("请选择推荐的党员或党组织")
    elif data.person is not None and data.organization is not None:
        problems.append("一份推荐只推荐一名党员或一个党组织")
    elif for_person is True and data.person is None:
        problems.append(f"“{data.round_category.title}”推荐的是党员")
    elif for_person is False and data.organization is None:
        problems.append(f"“{data.round_category.title}”推荐的是党组织")
    candidate_org = data.person.organization if data.person else data.organization
    if candidate_org is not None and not candidate_org.path.startswith(data.unit.path):
        problems.append("只能推荐本单位的党员或党组织")
    if not data.deeds.strip():
        problems.append("请填写主要事迹")
    problems += [p for upload in data.materials if (p := upload_problem(upload))]
    _refuse(problems)
    nomination = Nomination.objects.create(
        round_category=data.round_category, unit=data.unit, person=data.person,
        organization=data.organization, deeds=data.deeds.strip(), nominated_by=by,
    )  # fmt: skip
    for upload in data.materials:
        NominationMaterial.store(upload, by=by, nomination=nomination)
    _audit("honors.recommend", by, nomination, round_, unit=data.unit.code,
           person=data.person.pk if data.person else None,
           files=[u.name for u in data.materials])  # fmt: skip
    return nomination


def _panel_problems(round_: SelectionRound, reviewers, review_by, today) -> list[str]:
    problems = []
    if not reviewers:
        problems.append("请指定评审组成员")
    eligible = set(panel_candidates(round_).values_list("pk", flat=True))
    strangers = [u for u in reviewers if u.pk not in eligible]
    if strangers:
        names = "、".join(u.get_full_name() or u.username for u in strangers)
        problems.append(f"{names}不能担任本次评选的评审组成员")
    if review_by is None or review_by < today:
        problems.append("评审截止日期不能早于今天")
    return problems


def _notify_panel(round_: SelectionRound, reviewers) -> None:
    send_notice(
        reviewers, f"请评审：{round_.title}",
        f"您已被指定为评审组成员，请于 {round_.review_by:%Y-%m-%d} 前完成评分。",
        link=reverse("honors:round", args=[round_.pk]), kind="honors.review",
    )  # fmt: skip


@transaction.atomic
def close_recommendations(
    round_: SelectionRound, reviewers, review_by: dt.date | None, *, by=None, today=None
) -> SelectionRound:
    """Close the recommendations and hand them to the named review panel (评审组), who
    score until `review_by`; each member is told in their inbox."""
    today = today or timezone.localdate()
    round_ = _locked(round_)
    reviewers = list(reviewers)
    problems = _in_state(round_, RoundState.OPEN, "结束推荐")
    if (
        not problems
        and not Nomination.objects.filter(round_category__selection_round=round_).exists()
    ):
        problems.append("尚无推荐，不能进入评审")
    if not problems:
        problems += _panel_problems(round_, reviewers, review_by, today)
    _refuse(problems)
    round_.state, round_.review_by = RoundState.REVIEWING, review_by
    round_.save(update_fields=["state", "review_by"])
    round_.reviewers.set(reviewers)
    _notify_panel(round_, reviewers)
    _audit("honors.round_review", by, round_, round_, reviewers=[u.pk for u in reviewers],
           review_by=review_by)  # fmt: skip
    return round_


@transaction.atomic
def change_panel(
    round_: SelectionRound, reviewers, review_by: dt.date | None, *, by=None, today=None
) -> SelectionRound:
    """Replace the panel or move its deadline during the review (a member falls ill);
    the scores already given stay. Newcomers are told in their inbox."""
    today = today or timezone.localdate()
    round_ = _locked(round_)
    reviewers = list(reviewers)
    problems = _in_state(round_, RoundState.REVIEWING, "调整评审组")
    if not problems:
        problems += _panel_problems(round_, reviewers, review_by, today)
    _refuse(problems)
    before = set(round_.reviewers.values_list("pk", flat=True))
    round_.review_by = review_by
    round_.save(update_fields=["review_by"])
    round_.reviewers.set(reviewers)
    _notify_panel(round_, [u for u in reviewers if u.pk not in before])
    _audit("honors.round_panel", by, round_, round_, reviewers=[u.pk for u in reviewers],
           review_by=review_by)  # fmt: skip
    return round_


@transaction.atomic
def review(nomination: Nomination, score, comment: str, *, by, today=None) -> Review:
    today = today or timezone.localdate()
    round_ = _locked(nomination.round_category.selection_round)
    problems = _in_state(round_, RoundState.REVIEWING, "评审")
    if not problems and not round_.reviewers.filter(pk=by.pk).exists():
        problems.append("您不是本次评选的评审组成员")
    elif not problems and round_.review_by and today > round_.review_by:
        problems.append(f"评审已于 {round_.review_by:%Y-%m-%d} 截止")
    elif not problems and is_recused(by, nomination, round_.organization):
        problems.append("评审组成员应回避本单位的推荐")
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not (0 <= value <= 100):
        problems.append("评分须为 0 到 100 之间的数")
    if Review.objects.filter(nomination=nomination, reviewer=by).exists():
        problems.append("您已评审过该推荐")
    _refuse(problems)
    item = Review.objects.create(
        nomination=nomination, reviewer=by, score=value, comment=comment.strip()
    )
    _audit("honors.review", by, nomination, round_, score=f"{value}")
    return item


@transaction.atomic
def publish_shortlist(
    round_: SelectionRound, chosen: list[Nomination], notice_ends_on: dt.date | None,
    *, by=None, today=None,
) -> SelectionRound:  # fmt: skip
    """Publish the shortlist (拟表彰名单) for 公示 until `notice_ends_on`."""
    today = today or timezone.localdate()
    round_ = _locked(round_)
    problems = _in_state(round_, RoundState.REVIEWING, "公示")
    if not chosen:
        problems.append("请选择拟表彰的推荐")
    if notice_ends_on is None or notice_ends_on < today:
        problems.append("公示截止日期不能早于今天")
    ids = {n.pk for n in chosen}
    own = Nomination.objects.filter(round_category__selection_round=round_, pk__in=ids)
    if own.count() != len(ids):
        problems.append("所选推荐不属于本次评选")
    for category in round_.categories.all():
        taken = sum(1 for n in chosen if n.round_category_id == category.pk)
        if taken > category.quota:
            problems.append(f"“{category.title}”名额为 {category.quota}，已选 {taken}")
    _refuse(problems)
    own.update(shortlisted=True)
    round_.state, round_.notice_ends_on = RoundState.NOTICE, notice_ends_on
    round_.save(update_fields=["state", "notice_ends_on"])
    _audit("honors.round_notice", by, round_, round_, shortlist=sorted(ids),
           notice_ends_on=notice_ends_on)  # fmt: skip
    return round_


@transaction.atomic
def record_objection(
    nomination: Nomination, content: str, handling: str, upheld: bool, *, by=None, today=None
) -> Objection:
    today = today or timezone.localdate()
    round_ = _locked(nomination.round_category.selection_round)
    nomination = Nomination.objects.get(pk=nomination.pk)  # the shortlist as it is now
    problems = _in_state(round_, RoundState.NOTICE, "登记异议")
    if not nomination.shortlisted:
        problems.append("只能对公示名单中的推荐登记异议")
    if not content.strip():
        problems.append("请填写异议内容")
    if not handling.strip():
        problems.append("请填写处理意见")
    _refuse(problems)
    objection = Objection.objects.create(
        nomination=nomination, received_on=today, content=content.strip(),
        handling=handling.strip(), upheld=upheld, recorded_by=by,
    )  # fmt: skip
    if upheld:
        Nomination.objects.filter(pk=nomination.pk).update(shortlisted=False)
    _audit("honors.objection", by, nomination, round_, upheld=upheld)
    return objection


@transaction.atomic
def approve(round_: SelectionRound, document_no: str, *, by=None, today=None) -> list[Honor]:
    """Approve the result after the 公示: an honour for every nomination still on the
    shortlist, awarded today by the organiser under `document_no`."""
    today = today or timezone.localdate()
    round_ = _locked(round_)
    problems = _in_state(round_, RoundState.NOTICE, "审定")
    if not problems and today < round_.notice_ends_on:
        problems.append(f"公示期至 {round_.notice_ends_on:%Y-%m-%d}，期满后方可审定")
    if not document_no.strip():
        problems.append("请填写表彰文号")
    shortlist = list(
        Nomination.objects.filter(round_category__selection_round=round_, shortlisted=True)
        .select_related("round_category", "person__organization", "organization")
    )  # fmt: skip
    if not problems and not shortlist:
        problems.append("公示名单为空（异议均已成立），不能审定")
    _refuse(problems)
    honours = [
        Honor.objects.create(
            organization=n.person.organization if n.person else n.organization,
            person=n.person,
            category=n.round_category.category,
            title=n.round_category.title,
            level=round_.level,
            awarded_on=today,
            awarded_by=round_.organization.name,
            document_no=document_no.strip(),
            nomination=n,
            recorded_by=by,
        )  # fmt: skip
        for n in shortlist
    ]
    round_.state, round_.approved_on = RoundState.APPROVED, today
    round_.document_no = document_no.strip()
    round_.save(update_fields=["state", "approved_on", "document_no"])
    _audit("honors.round_approve", by, round_, round_, honours=[h.pk for h in honours],
           document_no=round_.document_no)  # fmt: skip
    return honours
