"""Changes to the 三重一大 register: settings, matters, consultations and opinions,
decision meetings with their attendance, agenda and minutes, and the outcome of each
agenda item, checked against the rules of procedure (`rules`) before anything is
written. Each runs in one transaction and is audited; refusals raise DecisionError."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import CommitteeSeat, Organization
from dangjian.people.models import Person

from . import rules
from .models import (
    AgendaItem,
    AttendanceState,
    DecisionAttachment,
    DecisionAttendance,
    DecisionMeeting,
    DecisionSettings,
    ExpertConsultation,
    MajorMatter,
    MatterStatus,
    MeetingState,
    OpinionSolicitation,
)
from .rules import Body, MatterCategory, Outcome


class DecisionError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise DecisionError(problems)


# ---- settings --------------------------------------------------------------------------
def settings_for(org: Organization) -> DecisionSettings:
    """The hospital's settings, or the defaults (unsaved) when it has set none."""
    found = DecisionSettings.objects.filter(organization=org).first()
    return found or DecisionSettings(organization=org)


@transaction.atomic
def save_settings(
    org: Organization,
    *,
    large_fund_threshold,
    party_committee_categories: list[str],
    president_office_categories: list[str],
    by=None,
) -> DecisionSettings:
    problems = []
    try:
        threshold = Decimal(str(large_fund_threshold))
        if threshold < 0:
            problems.append("大额资金标准不能为负数")
    except InvalidOperation:
        problems.append(f"大额资金标准“{large_fund_threshold}”不是金额")
    chosen = set(party_committee_categories) | set(president_office_categories)
    if unknown := chosen - set(MatterCategory.values):
        problems.append(f"未知的事项类别：{'、'.join(sorted(unknown))}")
    if set(MatterCategory.values) - chosen:
        problems.append("每一类事项都须由党委会或院长办公会之一决定")
    _refuse(problems)
    found, _ = DecisionSettings.objects.select_for_update().get_or_create(organization=org)
    found.large_fund_threshold = threshold
    found.party_committee_categories = sorted(set(party_committee_categories))
    found.president_office_categories = sorted(set(president_office_categories))
    found.save()
    audit.record(
        "decisions.settings", actor=by, obj=found, org_path=org.path,
        summary={"threshold": threshold, "boundary": found.boundary},
    )  # fmt: skip
    return found


# ---- matters ---------------------------------------------------------------------------
@dataclass
class MatterInput:
    category: str
    title: str
    proposer: str
    proposed_on: dt.date | None
    description: str = ""
    amount: Decimal | str | None = None


def matter_problems(org: Organization, data: MatterInput, today: dt.date) -> list[str]:
    problems = []
    if data.category not in MatterCategory.values:
        problems.append(f"未知的事项类别：{data.category}")
    if not data.title.strip():
        problems.append("请填写事项名称")
    if not data.proposer.strip():
        problems.append("请填写提出人或提出部门")
    if data.proposed_on is None:
        problems.append("请填写提出日期")
    elif data.proposed_on > today:
        problems.append("提出日期不能晚于今天")
    amount = None
    if data.amount not in (None, ""):
        try:
            amount = Decimal(str(data.amount))
            if amount < 0:
                problems.append("金额不能为负数")
        except InvalidOperation:
            problems.append(f"金额“{data.amount}”不是数字")
    if data.category == MatterCategory.LARGE_FUND and not problems:
        threshold = settings_for(org).large_fund_threshold
        if not rules.is_large_fund(amount, threshold):
            problems.append(f"大额资金使用事项的金额须超过本院大额资金标准 {threshold:,.2f} 元")
    return problems


@transaction.atomic
def register_matter(
    org: Organization, data: MatterInput, *, by=None, today: dt.date | None = None
) -> MajorMatter:
    today = today or timezone.localdate()
    _refuse(matter_problems(org, data, today))
    matter = MajorMatter.objects.create(
        organization=org, category=data.category, title=data.title.strip(),
        description=data.description.strip(), proposer=data.proposer.strip(),
        proposed_on=data.proposed_on,
        amount=None if data.amount in (None, "") else Decimal(str(data.amount)),
        created_by=by,
    )  # fmt: skip
    audit.record(
        "decisions.matter", actor=by, obj=matter, org_path=org.path,
        summary={"category": matter.category, "title": matter.title, "amount": matter.amount},
    )  # fmt: skip
    return matter


@transaction.atomic
def add_consultation(
    matter: MajorMatter, *, held_on: dt.date, panel: str, experts: int = 0,
    conclusion: str = "", by=None, today: dt.date | None = None,
) -> ExpertConsultation:  # fmt: skip
    today = today or timezone.localdate()
    problems = []
    if not panel.strip():
        problems.append("请填写专家组名称")
    if held_on > today:
        problems.append("论证日期不能晚于今天")
    if experts < 0:
        problems.append("专家人数不能为负数")
    _refuse(problems)
    consultation = ExpertConsultation.objects.create(
        matter=matter, held_on=held_on, panel=panel.strip(), experts=experts,
        conclusion=conclusion.strip(),
    )  # fmt: skip
    audit.record(
        "decisions.consultation", actor=by, obj=matter, org_path=matter.organization.path,
        summary={"held_on": held_on, "panel": consultation.panel},
    )  # fmt: skip
    return consultation


@transaction.atomic
def add_solicitation(
    matter: MajorMatter, *, solicited_on: dt.date, audience: str, opinions: int,
    summary: str = "", by=None, today: dt.date | None = None,
) -> OpinionSolicitation:  # fmt: skip
    today = today or timezone.localdate()
    problems = []
    if not audience.strip():
        problems.append("请填写征求意见的对象")
    if solicited_on > today:
        problems.append("征求日期不能晚于今天")
    if opinions < 0:
        problems.append("意见建议条数不能为负数")
    _refuse(problems)
    solicitation = OpinionSolicitation.objects.create(
        matter=matter, solicited_on=solicited_on, audience=audience.strip(),
        opinions=opinions, summary=summary.strip(),
    )  # fmt: skip
    audit.record(
        "decisions.solicitation", actor=by, obj=matter, org_path=matter.organization.path,
        summary={"solicited_on": solicited_on, "opinions": opinions},
    )  # fmt: skip
    return solicitation


@transaction.atomic
def record_follow_up(matter: MajorMatter, *, text: str, done: bool = False, by=None):
    matter = (
        MajorMatter.objects.select_for_update().select_related("organization").get(pk=matter.pk)
    )
    if matter.status != MatterStatus.APPROVED:
        raise DecisionError("只有决策通过的事项才登记执行落实情况")
    if not text.strip():
        raise DecisionError("请填写执行落实情况")
    MajorMatter.objects.filter(pk=matter.pk).update(follow_up=text.strip(), follow_up_done=done)
    matter.follow_up, matter.follow_up_done = text.strip(), done
    audit.record(
        "decisions.follow_up", actor=by, obj=matter, org_path=matter.organization.path,
        summary={"done": done},
    )  # fmt: skip
    return matter


# ---- meetings --------------------------------------------------------------------------
def committee_members(org: Organization, day: dt.date) -> list[Person]:
    """Who should attend the Party committee meeting: the committee on `day`."""
    seats = CommitteeSeat.objects.filter(organization=org, started_on__lte=day).exclude(
        ended_on__lte=day
    )
    return list(Person.objects.filter(pk__in=seats.values("person_id")).order_by("name", "pk"))


@transaction.atomic
def plan_meeting(
    org: Organization, *, body: str, title: str, held_on: dt.date,
    attendees: list[Person] | None = None, chair: str = "", place: str = "", by=None,
) -> DecisionMeeting:  # fmt: skip
    """A Party committee meeting expects the organisation's committee on the day; a
    president's office meeting expects the people named (the hospital's leaders)."""
    problems = []
    if body not in Body.values:
        problems.append(f"未知的会议类别：{body}")
    if not title.strip():
        problems.append("请填写会次，如“2024年第5次党委会”")
    if attendees is None:
        attendees = committee_members(org, held_on) if body == Body.PARTY_COMMITTEE else []
    if not attendees:
        problems.append(
            f"{org.name}在 {held_on} 没有党委委员，请先登记委员"
            if body == Body.PARTY_COMMITTEE
            else "请选择应参加会议的人员"
        )
    outside = [p.name for p in attendees if not p.organization.path.startswith(org.path)]
    if outside:
        problems.append(f"{'、'.join(outside)}不在{org.name}之下")
    _refuse(problems)
    meeting = DecisionMeeting.objects.create(
        organization=org, body=body, title=title.strip(), held_on=held_on, chair=chair.strip(),
        place=place.strip(), should_attend=len(attendees), created_by=by,
    )  # fmt: skip
    DecisionAttendance.objects.bulk_create(
        DecisionAttendance(meeting=meeting, person=person) for person in attendees
    )
    audit.record(
        "decisions.meeting", actor=by, obj=meeting, org_path=org.path,
        summary={"body": body, "title": meeting.title, "held_on": held_on,
                 "should_attend": meeting.should_attend},
    )  # fmt: skip
    return meeting


def present_count(meeting: DecisionMeeting) -> int:
    return meeting.attendance.filter(state=AttendanceState.PRESENT).count()


@transaction.atomic
def set_attendance(
    meeting: DecisionMeeting, person: Person, *, state: str, reason: str = "",
    written_opinion: str = "", by=None,
) -> DecisionAttendance:  # fmt: skip
    problems = []
    if state not in AttendanceState.values:
        problems.append(f"未知的出席情况：{state}")
    if state != AttendanceState.PRESENT and not reason.strip():
        problems.append(f"{person.name}未到会，须填写事由")
    if state == AttendanceState.PRESENT and written_opinion.strip():
        problems.append("到会人员当场表决，不登记书面意见")
    if meeting.items.exclude(outcome=Outcome.PENDING).exists():
        problems.append("会议已有议题形成决定，出席情况不能再修改")
    _refuse(problems)
    row = DecisionAttendance.objects.filter(meeting=meeting, person=person).first()
    if row is None:
        raise DecisionError(f"{person.name}不是本次会议的应到人员")
    row.state, row.reason = state, reason.strip()
    row.written_opinion = written_opinion.strip()
    row.save(update_fields=["state", "reason", "written_opinion"])
    audit.record(
        "decisions.attendance", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"person": person.pk, "state": state},
    )  # fmt: skip
    return row


@transaction.atomic
def add_agenda_item(meeting: DecisionMeeting, matter: MajorMatter, *, by=None) -> AgendaItem:
    problems = []
    if matter.organization_id != meeting.organization_id:
        problems.append("只能把本组织的三重一大事项列入议题")
    if matter.status in (MatterStatus.APPROVED, MatterStatus.REJECTED):
        problems.append(f"事项“{matter.title}”已于 {matter.decided_on} 作出决定")
    if meeting.items.filter(matter=matter).exists():
        problems.append(f"事项“{matter.title}”已在本次会议议题中")
    _refuse(problems)
    item = AgendaItem.objects.create(
        meeting=meeting, matter=matter, order=meeting.items.count() + 1
    )
    audit.record(
        "decisions.agenda", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"matter": matter.pk},
    )  # fmt: skip
    return item


@dataclass
class OutcomeInput:
    outcome: str
    decision: str = ""
    votes_for: int | None = None
    votes_against: int = 0
    votes_abstain: int = 0


def outcome_problems(
    item: AgendaItem, data: OutcomeInput, present: int, boundary: dict, today: dt.date
) -> list[str]:
    """Every reason the outcome cannot be recorded (RULES.md §5), in Chinese."""
    meeting, matter = item.meeting, item.matter
    body = meeting.body
    problems = []
    if data.outcome not in Outcome.values or data.outcome == Outcome.PENDING:
        return [f"未知的议题结果：{data.outcome}"]
    if item.outcome != Outcome.PENDING:
        problems.append("该议题已登记结果")
    if meeting.held_on > today:
        problems.append("会议尚未召开，不能登记结果")
    if quorum := rules.quorum_problem(body, matter.category, meeting.should_attend, present):
        problems.append(quorum)
    if data.outcome in rules.DECIDED:
        if boundary_problem := rules.boundary_problem(body, matter.category, boundary):
            problems.append(boundary_problem + "，请选择“已研究，提交党委会决定”")
        if not data.decision.strip():
            problems.append("请填写会议决定")
    if data.outcome == Outcome.DISCUSSED and body != Body.PRESIDENT_OFFICE:
        problems.append("“提交党委会决定”只用于院长办公会的前置研究")
    if body == Body.PARTY_COMMITTEE and data.outcome in rules.DECIDED:
        if data.votes_for is None:
            problems.append("党委会决定事项须登记表决票数")
        else:
            vote = rules.vote_problem(
                present, data.votes_for, data.votes_against, data.votes_abstain
            )
            if vote:
                problems.append(vote)
            elif data.outcome == Outcome.APPROVED:
                if majority := rules.majority_problem(meeting.should_attend, data.votes_for):
                    problems.append(majority)
            elif rules.majority_met(meeting.should_attend, data.votes_for):
                problems.append("同意票已过应到会人数的半数，结果应为“通过”")
    return problems


_MATTER_STATUS = {
    Outcome.APPROVED: MatterStatus.APPROVED,
    Outcome.REJECTED: MatterStatus.REJECTED,
    Outcome.DEFERRED: MatterStatus.DEFERRED,
}


@transaction.atomic
def record_outcome(
    item: AgendaItem, data: OutcomeInput, *, by=None, today: dt.date | None = None
) -> AgendaItem:
    """Record what the meeting did with one agenda item. The Party committee's quorum
    (two thirds for key appointments) and majority of those who should attend are checked
    first; a refused outcome writes nothing."""
    today = today or timezone.localdate()
    item = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__organization", "matter")
        .get(pk=item.pk)
    )
    meeting, matter = item.meeting, item.matter
    present = present_count(meeting)
    boundary = settings_for(meeting.organization).boundary
    _refuse(outcome_problems(item, data, present, boundary, today))
    item.outcome, item.decision, item.present = data.outcome, data.decision.strip(), present
    if meeting.body == Body.PARTY_COMMITTEE and data.outcome in rules.DECIDED:
        item.votes_for = data.votes_for
        item.votes_against, item.votes_abstain = data.votes_against, data.votes_abstain
    item.recorded_by, item.recorded_at = by, timezone.now()
    item.save()
    if data.outcome == Outcome.DISCUSSED:
        matter.president_office_first = True
    elif data.outcome in rules.DECIDED:
        matter.decided_on, matter.decision = meeting.held_on, item.decision
    if data.outcome in _MATTER_STATUS:
        matter.status = _MATTER_STATUS[data.outcome]
    matter.save(update_fields=["status", "decided_on", "decision", "president_office_first"])
    if meeting.state != MeetingState.HELD:
        meeting.state = MeetingState.HELD
        meeting.save(update_fields=["state"])
    audit.record(
        "decisions.outcome", actor=by, obj=matter, org_path=meeting.organization.path,
        summary={"meeting": meeting.pk, "outcome": data.outcome, "present": present,
                 "should_attend": meeting.should_attend, "for": item.votes_for,
                 "against": item.votes_against, "abstain": item.votes_abstain},
    )  # fmt: skip
    return item


@transaction.atomic
def record_minutes(meeting: DecisionMeeting, minutes: str, *, by=None) -> DecisionMeeting:
    if not minutes.strip():
        raise DecisionError("请填写会议纪要")
    DecisionMeeting.objects.filter(pk=meeting.pk).update(minutes=minutes.strip())
    meeting.minutes = minutes.strip()
    audit.record(
        "decisions.minutes", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"length": len(meeting.minutes)},
    )  # fmt: skip
    return meeting


@transaction.atomic
def add_attachment(meeting: DecisionMeeting, upload, *, by=None) -> DecisionAttachment:
    if problem := upload_problem(upload):
        raise DecisionError(problem)
    attachment = DecisionAttachment.store(upload, by=by, meeting=meeting)
    audit.record(
        "decisions.attachment", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"name": attachment.original_name, "size": attachment.size},
    )  # fmt: skip
    return attachment
