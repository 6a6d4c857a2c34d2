"""Every change to co-building (结对共建) and alliances (党建联盟): checked in full before
anything is written (ServiceError, Chinese, nothing changes), one transaction, one audit
entry. Agreements and alliances end with a date and a reason; they are never deleted,
and their activities keep counting in the service figures of the years they were held."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.orgs.models import Organization, OrgKind

from . import rules
from .models import Alliance, AllianceMember, Partnership
from .rules import PartnerKind
from .services import ServiceError

# Our side of an agreement: a hospital's committee, a general branch or a branch.
OWN_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ServiceError(problems)


@dataclass
class PartnershipInput:
    title: str
    partner_kind: str
    signed_on: dt.date | None
    partner_org: Organization | None = None
    partner_name: str = ""
    ends_on: dt.date | None = None
    content: str = ""
    contact: str = ""


def partnership_problems(org: Organization, data: PartnershipInput, today: dt.date) -> list[str]:
    problems = [] if org.kind in OWN_KINDS else ["共建协议须由医院党委、党总支或党支部签订"]
    if org.dissolved_on:
        problems.append(f"{org.name}已撤销")
    if not data.title.strip():
        problems.append("请填写协议名称")
    if data.partner_kind not in PartnerKind.values:
        problems.append("共建单位类别无效")
    if data.partner_org is None and not data.partner_name.strip():
        problems.append("请选择系统内的共建党组织，或填写系统外共建单位的名称")
    if data.partner_org is not None and data.partner_name.strip():
        problems.append("共建单位请只填一处：系统内的党组织或系统外单位的名称")
    if data.partner_org is not None and data.partner_org.pk == org.pk:
        problems.append("不能与本组织自身结对共建")
    if data.partner_org is not None and data.partner_org.dissolved_on:
        problems.append(f"{data.partner_org.name}已撤销")
    return problems + rules.agreement_date_problems(data.signed_on, data.ends_on, today)


def _fields(data: PartnershipInput) -> dict:
    return {
        "title": data.title.strip(), "partner_kind": data.partner_kind,
        "partner_org": data.partner_org, "partner_name": data.partner_name.strip(),
        "signed_on": data.signed_on, "ends_on": data.ends_on, "content": data.content.strip(),
        "contact": data.contact.strip(),
    }  # fmt: skip


def _summary(item: Partnership) -> dict:
    return {
        "title": item.title, "partner": item.partner, "kind": item.partner_kind,
        "signed_on": str(item.signed_on), "ends_on": str(item.ends_on or ""),
    }  # fmt: skip


@transaction.atomic
def create_partnership(org: Organization, data: PartnershipInput, *, by=None) -> Partnership:
    """A signed agreement of `org` with a partner in or outside the system."""
    _refuse(partnership_problems(org, data, timezone.localdate()))
    item = Partnership.objects.create(organization=org, created_by=by, **_fields(data))
    audit.record(
        "service.partnership", actor=by, obj=item, org_path=org.path, summary=_summary(item)
    )
    return item


@transaction.atomic
def edit_partnership(item: Partnership, data: PartnershipInput, *, by=None) -> Partnership:
    """Correct an agreement; its activities must still fall on or after the signing day."""
    item = Partnership.objects.select_for_update().select_related("organization").get(pk=item.pk)
    problems = partnership_problems(item.organization, data, timezone.localdate())
    first = item.activities.order_by("held_on").values_list("held_on", flat=True).first()
    if first is not None and data.signed_on is not None and data.signed_on > first:
        problems.append(f"已登记 {first} 的共建活动，签订日期不能晚于该日")
    _refuse(problems)
    for name, value in _fields(data).items():
        setattr(item, name, value)
    item.save()
    audit.record(
        "service.partnership_edit", actor=by, obj=item, org_path=item.organization.path,
        summary=_summary(item),
    )  # fmt: skip
    return item


def _end(item, started_on: dt.date, ended_on, reason: str) -> list[str]:
    problems = rules.end_problems(started_on, ended_on, reason, timezone.localdate(), item.ended_on)
    last = item.activities.order_by("-held_on").values_list("held_on", flat=True).first()
    if ended_on is not None and last is not None and ended_on < last:
        problems.append(f"已登记 {last} 的活动，终止日期不能早于该日")
    return problems


@transaction.atomic
def end_partnership(item: Partnership, ended_on, reason: str, *, by=None) -> Partnership:
    item = Partnership.objects.select_for_update().select_related("organization").get(pk=item.pk)
    _refuse(_end(item, item.signed_on, ended_on, reason))
    item.ended_on, item.end_reason = ended_on, reason.strip()[:200]
    item.save(update_fields=["ended_on", "end_reason"])
    audit.record(
        "service.partnership_end", actor=by, obj=item, org_path=item.organization.path,
        summary={"ended_on": str(ended_on), "reason": item.end_reason},
    )  # fmt: skip
    return item


# ---- alliances -------------------------------------------------------------------------
@dataclass
class AllianceInput:
    name: str
    founded_on: dt.date | None
    members: list = field(default_factory=list)  # Organization (in the system)
    outside: list = field(default_factory=list)  # (name, kind) of outside units
    charter: str = ""


def alliance_problems(lead: Organization, data: AllianceInput, today: dt.date) -> list[str]:
    problems = [] if data.name.strip() else ["请填写联盟名称"]
    if lead.kind not in (OrgKind.GUIDANCE_COMMITTEE, OrgKind.COMMITTEE):
        problems.append("党建联盟须由指导委员会或医院党委牵头")
    problems += rules.agreement_date_problems(data.founded_on, None, today)
    members = [o for o in data.members if o.pk != lead.pk]
    if dissolved := [o.name for o in members if o.dissolved_on]:
        problems.append(f"{'、'.join(dissolved)}已撤销")
    if len(members) + len(data.outside) < 2:
        problems.append("党建联盟除牵头组织外至少要有两个成员单位")
    for name, kind in data.outside:
        if not name.strip():
            problems.append("外部成员单位须填写名称")
        if kind not in PartnerKind.values:
            problems.append(f"{name}的单位类别无效")
    return problems


def _set_members(alliance: Alliance, data: AllianceInput) -> None:
    alliance.members.all().delete()
    own = {o.pk: o for o in data.members if o.pk != alliance.lead_id}
    AllianceMember.objects.bulk_create(
        [AllianceMember(alliance=alliance, organization=o, kind=PartnerKind.HOSPITAL)
         for o in own.values()]
        + [AllianceMember(alliance=alliance, name=n.strip(), kind=k) for n, k in data.outside]
    )  # fmt: skip


def _alliance_summary(alliance: Alliance, data: AllianceInput) -> dict:
    return {
        "name": alliance.name, "founded_on": str(alliance.founded_on),
        "members": sorted(o.code for o in data.members),
        "outside": [n for n, _k in data.outside],
    }  # fmt: skip


@transaction.atomic
def create_alliance(lead: Organization, data: AllianceInput, *, by=None) -> Alliance:
    """An alliance led by a hospital's committee or by the guidance committee, with its
    members in the system (usually hospitals) and outside."""
    _refuse(alliance_problems(lead, data, timezone.localdate()))
    alliance = Alliance.objects.create(
        name=data.name.strip(), lead=lead, founded_on=data.founded_on,
        charter=data.charter.strip(), created_by=by,
    )  # fmt: skip
    _set_members(alliance, data)
    audit.record(
        "service.alliance", actor=by, obj=alliance, org_path=lead.path,
        summary=_alliance_summary(alliance, data),
    )  # fmt: skip
    return alliance


@transaction.atomic
def edit_alliance(alliance: Alliance, data: AllianceInput, *, by=None) -> Alliance:
    alliance = Alliance.objects.select_for_update().select_related("lead").get(pk=alliance.pk)
    problems = alliance_problems(alliance.lead, data, timezone.localdate())
    first = alliance.activities.order_by("held_on").values_list("held_on", flat=True).first()
    if first is not None and data.founded_on is not None and data.founded_on > first:
        problems.append(f"已登记 {first} 的联合活动，成立日期不能晚于该日")
    _refuse(problems)
    alliance.name, alliance.founded_on = data.name.strip(), data.founded_on
    alliance.charter = data.charter.strip()
    alliance.save(update_fields=["name", "founded_on", "charter"])
    _set_members(alliance, data)
    audit.record(
        "service.alliance_edit", actor=by, obj=alliance, org_path=alliance.lead.path,
        summary=_alliance_summary(alliance, data),
    )  # fmt: skip
    return alliance


@transaction.atomic
def end_alliance(alliance: Alliance, ended_on, reason: str, *, by=None) -> Alliance:
    alliance = Alliance.objects.select_for_update().select_related("lead").get(pk=alliance.pk)
    _refuse(_end(alliance, alliance.founded_on, ended_on, reason))
    alliance.ended_on, alliance.end_reason = ended_on, reason.strip()[:200]
    alliance.save(update_fields=["ended_on", "end_reason"])
    audit.record(
        "service.alliance_end", actor=by, obj=alliance, org_path=alliance.lead.path,
        summary={"ended_on": str(ended_on), "reason": alliance.end_reason},
    )  # fmt: skip
    return alliance
