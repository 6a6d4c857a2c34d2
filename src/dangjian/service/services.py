"""Every change to volunteer service and the problem list: validated by `rules`, one
transaction, an audit entry, and a Chinese refusal (`ServiceError`) that changes nothing."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization

from . import rules
from .models import (
    ActivityPhoto,
    LeaderVisit,
    PartyPost,
    PostRecord,
    Problem,
    ServiceActivity,
    ServiceTarget,
    Volunteer,
)
from .rules import ActivityKind, PostKind, ProblemSource
from .signals import activity_recorded


class ServiceError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ServiceError(problems)


def _outside(org: Organization, people) -> list[str]:
    return [p.name for p in people if not p.organization.path.startswith(org.hospital_path)]


# ---- activities ------------------------------------------------------------------------
@dataclass
class ActivityInput:
    kind: str
    title: str
    held_on: dt.date
    hours: Decimal  # each volunteer's, unless given per volunteer
    people_served: int = 0
    place: str = ""
    summary: str = ""
    volunteers: list = field(default_factory=list)  # Person, or (Person, hours)
    partners: list = field(default_factory=list)  # Organization
    photos: list = field(default_factory=list)
    # Held under a co-building agreement, or as an alliance's joint event (not both).
    partnership: object = None
    alliance: object = None


def linked_partners(data: ActivityInput) -> list[Organization]:
    """The organisations in the system on the other side of the agreement, or the
    alliance's members: listed as partners of the activity, never counting it again."""
    if data.partnership is not None and data.partnership.partner_org_id:
        return [data.partnership.partner_org]
    if data.alliance is not None:
        members = data.alliance.members.filter(organization__isnull=False)
        return [m.organization for m in members.select_related("organization")]
    return []


def link_problems(org: Organization, data: ActivityInput) -> list[str]:
    """An activity under an agreement or an alliance is its lead's, held while it stands."""
    link = data.partnership or data.alliance
    if link is None:
        return []
    if data.partnership is not None and data.alliance is not None:
        return ["一项活动只能属于一个共建协议或一个党建联盟"]
    lead = data.partnership.organization if data.partnership else data.alliance.lead
    started = data.partnership.signed_on if data.partnership else data.alliance.founded_on
    problems = [] if lead.pk == org.pk else [f"该活动应由{lead.name}登记"]
    if data.held_on < started:
        problems.append(
            f"活动日期早于{'协议签订' if data.partnership else '联盟成立'}日期 {started}"
        )
    if link.ended_on is not None and data.held_on > link.ended_on:
        problems.append(f"{'协议' if data.partnership else '联盟'}已于 {link.ended_on} 终止")
    return problems


def _volunteer_hours(data: ActivityInput) -> list[tuple]:
    rows = []
    for entry in data.volunteers:
        person, hours = entry if isinstance(entry, tuple) else (entry, data.hours)
        rows.append((person, Decimal(hours)))
    return rows


def activity_problems(org: Organization, data: ActivityInput, today: dt.date) -> list[str]:
    problems = rules.activity_problems(data.held_on, today, data.hours, data.people_served)
    if data.kind not in ActivityKind.values:
        problems.append("活动类别无效")
    if not data.title.strip():
        problems.append("请填写活动名称")
    volunteers = _volunteer_hours(data)
    if not volunteers:
        problems.append("请至少登记一名参加的党员")
    for person, hours in volunteers:
        if not Decimal("0") < hours <= rules.MAX_HOURS_PER_DAY:
            problems.append(f"{person.name}的服务时长须大于 0 且不超过 24 小时")
    if outside := _outside(org, [p for p, _h in volunteers]):
        problems.append(f"{'、'.join(outside)}不是本院人员")
    if len({p.pk for p, _h in volunteers}) < len(volunteers):
        problems.append("同一名党员登记了两次")
    linked = {o.pk for o in linked_partners(data)}
    foreign = [
        o.name for o in data.partners
        if o.hospital_path != org.hospital_path and o.pk not in linked
    ]  # fmt: skip
    problems += link_problems(org, data)
    if foreign:
        problems.append(f"联合开展的组织须为本院党组织：{'、'.join(foreign)}")
    problems += [p for upload in data.photos if (p := upload_problem(upload))]
    return problems


def _lock_link(data: ActivityInput) -> None:
    """Read the agreement or alliance afresh (and hold it): one ended meanwhile takes no
    more activities."""
    for name in ("partnership", "alliance"):
        if (link := getattr(data, name)) is not None:
            fresh = type(link).objects.select_for_update().filter(pk=link.pk).first()
            setattr(data, name, fresh or link)


@transaction.atomic
def record_activity(org: Organization, data: ActivityInput, *, by=None) -> ServiceActivity:
    _lock_link(data)
    _refuse(activity_problems(org, data, timezone.localdate()))
    activity = ServiceActivity.objects.create(
        organization=org, kind=data.kind, title=data.title.strip(), place=data.place.strip(),
        held_on=data.held_on, people_served=data.people_served, summary=data.summary.strip(),
        partnership=data.partnership, alliance=data.alliance, created_by=by,
    )  # fmt: skip
    partners = {o.pk: o for o in [*data.partners, *linked_partners(data)] if o.pk != org.pk}
    activity.partners.set(list(partners.values()))
    Volunteer.objects.bulk_create(
        Volunteer(activity=activity, person=person, hours=hours)
        for person, hours in _volunteer_hours(data)
    )
    for upload in data.photos:
        ActivityPhoto.store(upload, by=by, activity=activity)
    activity_recorded.send(sender=ServiceActivity, activity=activity, by=by)
    audit.record(
        "service.activity", actor=by, obj=activity, org_path=org.path,
        summary={"title": activity.title, "kind": activity.kind, "held_on": str(activity.held_on),
                 "volunteers": len(data.volunteers), "people_served": activity.people_served,
                 "partnership": activity.partnership_id, "alliance": activity.alliance_id},
    )  # fmt: skip
    return activity


@transaction.atomic
def add_photos(activity: ServiceActivity, uploads, *, by=None) -> list[ActivityPhoto]:
    _refuse([p for upload in uploads if (p := upload_problem(upload))])
    photos = [ActivityPhoto.store(upload, by=by, activity=activity) for upload in uploads]
    audit.record(
        "service.photos", actor=by, obj=activity, org_path=activity.organization.path,
        summary={"files": [p.original_name for p in photos]},
    )  # fmt: skip
    return photos


# ---- problems --------------------------------------------------------------------------
@dataclass
class ProblemInput:
    title: str
    source: str
    found_on: dt.date
    deadline: dt.date | None = None
    owner: object = None  # Person
    description: str = ""
    is_practical_matter: bool = True


def problem_problems(org: Organization, data: ProblemInput, today: dt.date) -> list[str]:
    problems = rules.problem_dates_problems(data.found_on, data.deadline, today)
    if not data.title.strip():
        problems.append("请填写问题")
    if data.source not in ProblemSource.values:
        problems.append("问题来源无效")
    if data.owner is not None and _outside(org, [data.owner]):
        problems.append(f"{data.owner.name}不是本院人员")
    return problems


def _new_problem(org, data: ProblemInput, visit=None) -> Problem:
    return Problem.objects.create(
        organization=org, title=data.title.strip(), description=data.description.strip(),
        source=data.source, is_practical_matter=data.is_practical_matter,
        found_on=data.found_on, deadline=data.deadline, owner=data.owner, visit=visit,
    )  # fmt: skip


@transaction.atomic
def record_problem(org: Organization, data: ProblemInput, *, by=None) -> Problem:
    _refuse(problem_problems(org, data, timezone.localdate()))
    problem = _new_problem(org, data)
    audit.record(
        "service.problem", actor=by, obj=problem, org_path=org.path,
        summary={"title": problem.title, "found_on": str(problem.found_on),
                 "deadline": str(problem.deadline or "")},
    )  # fmt: skip
    return problem


@transaction.atomic
def resolve_problem(problem: Problem, resolved_on: dt.date, resolution: str, *, by=None) -> Problem:
    problems = []
    if problem.resolved_on is not None:
        problems.append(f"该问题已于 {problem.resolved_on} 办结")
    if resolved_on < problem.found_on:
        problems.append("办结日期不能早于发现日期")
    if resolved_on > timezone.localdate():
        problems.append("办结日期不能晚于今天")
    _refuse(problems)
    problem.resolved_on, problem.resolution = resolved_on, resolution.strip()
    problem.save(update_fields=["resolved_on", "resolution"])
    audit.record(
        "service.resolve", actor=by, obj=problem, org_path=problem.organization.path,
        summary={"resolved_on": str(resolved_on),
                 "on_time": rules.resolved_on_time(problem.deadline, resolved_on)},
    )  # fmt: skip
    return problem


# ---- leaders' visits, targets, posts ---------------------------------------------------
@transaction.atomic
def record_visit(
    org: Organization, leader, visited_on: dt.date, summary: str = "", problems=(), *, by=None
) -> LeaderVisit:
    """A leader's visit with the problems it raised (each a ProblemInput, source 领导下沉)."""
    today = timezone.localdate()
    refusals = ["走访日期不能晚于今天"] if visited_on > today else []
    if _outside(org, [leader]):
        refusals.append(f"{leader.name}不是本院人员")
    for data in problems:
        refusals += problem_problems(org, data, today)
    _refuse(refusals)
    visit = LeaderVisit.objects.create(
        organization=org, leader=leader, visited_on=visited_on, summary=summary.strip()
    )
    for data in problems:
        data.source = ProblemSource.LEADER_VISIT
        _new_problem(org, data, visit=visit)
    audit.record(
        "service.visit", actor=by, obj=visit, org_path=org.path,
        summary={"leader": leader.pk, "visited_on": str(visited_on), "problems": len(problems)},
    )  # fmt: skip
    return visit


@transaction.atomic
def set_target(
    org: Organization, year: int, *, people_served=None, practical_matters=None,
    hours_as_study: bool = False, by=None,
):  # fmt: skip
    """The hospital's targets for the year, and whether its volunteers' hours count as
    class hours from now on (activities recorded before keep what they credited)."""
    _refuse([] if 2000 <= year <= 2100 else ["年度无效"])
    target, _created = ServiceTarget.objects.update_or_create(
        organization=org, year=year,
        defaults={"people_served": people_served, "practical_matters": practical_matters,
                  "hours_as_study": hours_as_study},
    )  # fmt: skip
    audit.record(
        "service.target", actor=by, obj=target, org_path=org.path,
        summary={"year": year, "people_served": people_served,
                 "practical_matters": practical_matters, "hours_as_study": hours_as_study},
    )  # fmt: skip
    return target


@transaction.atomic
def create_post(
    org: Organization, kind: str, name: str, members, established_on: dt.date,
    description: str = "", *, by=None,
) -> PartyPost:  # fmt: skip
    problems = [] if kind in PostKind.values else ["类别无效"]
    if not name.strip():
        problems.append("请填写名称")
    if not members:
        problems.append("请选择至少一名成员")
    if outside := _outside(org, members):
        problems.append(f"{'、'.join(outside)}不是本院人员")
    _refuse(problems)
    post = PartyPost.objects.create(
        organization=org, kind=kind, name=name.strip(), established_on=established_on,
        description=description.strip(),
    )  # fmt: skip
    post.members.set(members)
    audit.record(
        "service.post", actor=by, obj=post, org_path=org.path,
        summary={"kind": kind, "name": post.name, "members": len(members)},
    )  # fmt: skip
    return post


@transaction.atomic
def add_post_record(post: PartyPost, on: dt.date, text: str, *, by=None) -> PostRecord:
    _refuse([] if text.strip() else ["请填写事迹"])
    record = PostRecord.objects.create(post=post, on=on, text=text.strip())
    audit.record(
        "service.post_record", actor=by, obj=post, org_path=post.organization.path,
        summary={"on": str(on)},
    )  # fmt: skip
    return record
