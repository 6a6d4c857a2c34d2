"""Volunteer service and the problem lists (我为群众办实事): the kinds the seeds name,
and the pure rules: an on-time resolution, and progress against a yearly target."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    """Seeds 000, 001, 003 and 004: 义诊, 送医上门, 家庭病床, 志愿小分队 (volunteer teams),
    health talks."""

    CLINIC = "clinic", _("义诊")
    HOME_VISIT = "home_visit", _("送医上门")
    HOME_BED = "home_bed", _("家庭病床")
    HEALTH_TALK = "health_talk", _("健康宣教")
    VOLUNTEER = "volunteer", _("志愿服务")
    OTHER = "other", _("其他")


class ProblemSource(models.TextChoices):
    LEADER_VISIT = "leader_visit", _("领导下沉走访")
    MEMBER = "member", _("党员反映")
    PATIENT = "patient", _("患者反馈")
    INSPECTION = "inspection", _("督导检查")
    OTHER = "other", _("其他")


class PostKind(models.TextChoices):
    """党员示范岗 / 党员责任区 / 党员突击队."""

    MODEL_POST = "model_post", _("党员示范岗")
    RESPONSIBILITY_AREA = "responsibility_area", _("党员责任区")
    SHOCK_TEAM = "shock_team", _("党员突击队")


class PartnerKind(models.TextChoices):
    """Who a branch or hospital co-builds with (seeds 001, 003, 004)."""

    PARTY_ORG = "party_org", _("党组织（院内或系统内）")
    COMMUNITY = "community", _("社区")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    MEDICAL_UNION = "medical_union", _("医联体成员单位")
    AID = "aid", _("对口帮扶单位")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


MAX_HOURS_PER_DAY = Decimal("24")


def resolved_on_time(deadline: dt.date | None, resolved_on: dt.date | None) -> bool:
    """Resolved by its deadline (a problem without a deadline counts once resolved)."""
    if resolved_on is None:
        return False
    return deadline is None or resolved_on <= deadline


def progress(done: int, target: int | None) -> float | None:
    """Share of a yearly target reached, capped at 1; None without a target."""
    if not target:
        return None
    return min(1.0, done / target)


def activity_problems(held_on: dt.date, today: dt.date, hours, people_served: int) -> list[str]:
    problems = []
    if held_on > today:
        problems.append("活动日期不能晚于今天：未开展的活动不能登记")
    if hours is not None and not Decimal("0") < Decimal(hours) <= MAX_HOURS_PER_DAY:
        problems.append("服务时长须大于 0 且不超过 24 小时")
    if people_served < 0:
        problems.append("服务人次不能为负数")
    return problems


def problem_dates_problems(
    found_on: dt.date, deadline: dt.date | None, today: dt.date
) -> list[str]:
    problems = []
    if found_on > today:
        problems.append("发现日期不能晚于今天")
    if deadline is not None and deadline < found_on:
        problems.append("整改时限不能早于发现日期")
    return problems


def agreement_date_problems(
    signed_on: dt.date | None, ends_on: dt.date | None, today: dt.date
) -> list[str]:
    """A co-building agreement (or an alliance) is recorded once signed (founded)."""
    if signed_on is None:
        return ["请填写签订日期"]
    problems = []
    if signed_on > today:
        problems.append("签订日期不能晚于今天：未签订的协议不能登记")
    if ends_on is not None and ends_on < signed_on:
        problems.append("约定期满日期不能早于签订日期")
    return problems


def end_problems(started_on: dt.date, ended_on: dt.date | None, reason: str, today: dt.date,
                 already: dt.date | None) -> list[str]:  # fmt: skip
    """Ending an agreement or an alliance: once, with a date between its start and today,
    and a reason."""
    if already is not None:
        return [f"已于 {already} 终止"]
    problems = []
    if ended_on is None:
        problems.append("请填写终止日期")
    elif ended_on < started_on:
        problems.append("终止日期不能早于签订（成立）日期")
    elif ended_on > today:
        problems.append("终止日期不能晚于今天")
    if not reason.strip():
        problems.append("请填写终止原因")
    return problems
