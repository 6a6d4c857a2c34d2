"""Changes to organisational life: plan a meeting with its expected members, check in by
QR token, correct attendance, record it as held (quorum checked), file minutes, attach
files, record study hours. Each runs in one transaction and is audited."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import CommitteeSeat, OrgKind
from dangjian.people.models import MEMBER_STATUSES, Person, Status
from dangjian.people.queries import memberships_on, status_on

from . import rules
from .models import (
    Attendance,
    AttendanceState,
    Meeting,
    MeetingAttachment,
    MeetingStatus,
    Study,
)
from .rules import MeetingKind
from .study_credit import sync_meeting_credit

CHECK_IN_SALT = "dangjian.meetings.check_in"


class MeetingError(ValueError):
    """A refused change; the message is Chinese."""


# ---- planning ------------------------------------------------------------------------
def expected_people(org, kind: str, day: dt.date) -> list[tuple[int, bool]]:
    """(person pk, has a vote) of those expected: the committee for a committee meeting,
    otherwise the members (full and probationary) of the organisation's subtree on `day`.
    Only full members vote."""
    if kind == MeetingKind.COMMITTEE_MEETING:
        seats = CommitteeSeat.objects.filter(organization=org, started_on__lte=day).exclude(
            ended_on__lte=day
        )
        return [(pk, True) for pk in seats.values_list("person_id", flat=True).distinct()]
    rows = (
        memberships_on(org.path, day)
        .annotate(status_at=status_on(day))
        .filter(status_at__in=MEMBER_STATUSES)
        .values_list("person_id", "status_at")
    )
    return [(pk, status == Status.FULL) for pk, status in rows]


@transaction.atomic
def plan_meeting(org, *, kind: str, topic: str, planned_on: dt.date, by=None, **details):
    """Create a planned meeting and its expected attendance (everyone absent until they
    check in or the secretary records them)."""
    if kind not in MeetingKind.values:
        raise MeetingError(f"未知的会议类别：{kind}")
    if kind == MeetingKind.GROUP_MEETING and org.kind != OrgKind.GROUP:
        raise MeetingError("党小组会须由党小组召开")
    if kind != MeetingKind.GROUP_MEETING and org.kind not in (
        OrgKind.BRANCH,
        OrgKind.GENERAL_BRANCH,
        OrgKind.COMMITTEE,
    ):
        raise MeetingError("该会议须由党支部（党总支、党委）召开")
    if not topic.strip():
        raise MeetingError("请填写会议主题")
    meeting = Meeting.objects.create(
        organization=org, kind=kind, topic=topic.strip(), planned_on=planned_on,
        created_by=by, **details,
    )  # fmt: skip
    expected = expected_people(org, kind, planned_on)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person_id=pk, is_voter=voter) for pk, voter in expected]
    )
    meeting.expected_voters = sum(voter for _, voter in expected)
    meeting.save(update_fields=["expected_voters"])
    audit.record(
        "meeting.plan", actor=by, obj=meeting, org_path=org.path,
        summary={"kind": kind, "planned_on": planned_on, "expected": len(expected)},
    )  # fmt: skip
    return meeting


# ---- QR check-in ---------------------------------------------------------------------
def check_in_opens_at(meeting: Meeting) -> dt.datetime:
    """Check-in opens shortly before the meeting starts (30 minutes by default, the
    setting DANGJIAN_CHECK_IN_OPENS_MINUTES); at the start of its day when no start time
    is set."""
    if meeting.starts_at:
        minutes = getattr(settings, "DANGJIAN_CHECK_IN_OPENS_MINUTES", rules.CHECK_IN_OPENS_MINUTES)
        return meeting.starts_at - dt.timedelta(minutes=minutes)
    return timezone.make_aware(dt.datetime.combine(meeting.planned_on, dt.time(0, 0)))


def check_in_expires_at(meeting: Meeting) -> dt.datetime:
    """The token works until the meeting ends (the end of its day when no end is set)."""
    if meeting.ends_at:
        return meeting.ends_at
    day_end = dt.datetime.combine(meeting.planned_on, dt.time(23, 59, 59))
    return timezone.make_aware(day_end)


def check_in_state(meeting: Meeting, now: dt.datetime | None = None) -> str:
    """'upcoming' before check-in opens, 'open' while it is, 'closed' after the end or
    once the meeting is recorded as held (a finished meeting shows no code)."""
    if meeting.status != MeetingStatus.PLANNED:
        return "closed"
    now = now or timezone.now()
    if now < check_in_opens_at(meeting):
        return "upcoming"
    return "open" if now <= check_in_expires_at(meeting) else "closed"


def check_in_token(meeting: Meeting) -> str:
    expires = int(check_in_expires_at(meeting).timestamp())
    return signing.dumps({"m": meeting.pk, "e": expires}, salt=CHECK_IN_SALT, compress=True)


def meeting_for_token(token: str, now: dt.datetime | None = None) -> Meeting:
    """The meeting a token names; MeetingError if it is forged, unknown or expired."""
    try:
        payload = signing.loads(token, salt=CHECK_IN_SALT)
    except signing.BadSignature as exc:
        raise MeetingError("签到二维码无效（可能已被篡改），请扫描会场展示的二维码") from exc
    now = now or timezone.now()
    if now.timestamp() > payload["e"]:
        raise MeetingError("签到二维码已过期：会议已经结束")
    try:
        meeting = Meeting.objects.get(pk=payload["m"])
    except Meeting.DoesNotExist as exc:
        raise MeetingError("会议不存在或已被删除") from exc
    # The meeting's current times decide (it may have been moved since the code was shown).
    state = check_in_state(meeting, now)
    if state == "upcoming":
        opens = timezone.localtime(check_in_opens_at(meeting))
        raise MeetingError(f"签到尚未开始：{opens:%Y-%m-%d %H:%M} 起可以签到")
    if state == "closed":
        raise MeetingError("签到二维码已过期：会议已经结束")
    return meeting


@transaction.atomic
def check_in(token: str, person: Person, now: dt.datetime | None = None) -> Attendance:
    """A member checks in from a phone. Refused for a bad or expired token, a person not
    expected at the meeting, or a second check-in; nothing is written when refused."""
    meeting = meeting_for_token(token, now)
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        raise MeetingError("您不在本次会议的应到人员名单中，如有疑问请联系支部书记")
    if row.checked_in_at is not None:
        raise MeetingError(
            f"您已于 {timezone.localtime(row.checked_in_at):%H:%M} 签到，无需重复签到"
        )
    row.state = AttendanceState.PRESENT
    row.reason = ""
    row.checked_in_at = now or timezone.now()
    row.save(update_fields=["state", "reason", "checked_in_at"])
    audit.record(
        "meeting.check_in", actor=person.user if person.user_id else None, obj=meeting,
        org_path=meeting.organization.path, summary={"person": person.pk},
    )  # fmt: skip
    return row


@transaction.atomic
def set_attendance(meeting: Meeting, person: Person, state: str, reason: str = "", *, by=None):
    """The secretary records or corrects one member's attendance (audited)."""
    if state not in AttendanceState.values:
        raise MeetingError(f"未知的出席情况：{state}")
    if state == AttendanceState.LEAVE and not reason.strip():
        raise MeetingError(f"{person.name}：请假须填写事由")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        raise MeetingError(f"{person.name}不在本次会议的应到人员名单中")
    before = row.state
    row.state, row.reason, row.corrected_by = state, reason.strip(), by
    row.save(update_fields=["state", "reason", "corrected_by"])
    # A correction after the meeting was held adds or takes back the class hours.
    added, removed = sync_meeting_credit(meeting, by=by)
    audit.record(
        "meeting.attendance", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"person": person.pk, "from": before, "to": state, "reason": row.reason,
                 **_credit_summary(added, removed)},
    )  # fmt: skip
    return row


# ---- holding and filing --------------------------------------------------------------
def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(expected voters, present voters, whether the quorum is met)."""
    present = meeting.attendance.filter(is_voter=True, state=AttendanceState.PRESENT).count()
    expected = meeting.expected_voters or 0
    return expected, present, rules.has_quorum(expected, present)


@transaction.atomic
def record_held(
    meeting: Meeting,
    *,
    held_on: dt.date,
    minutes: str = "",
    resolution: str = "",
    tally: rules.Tally | None = None,
    by=None,
) -> Meeting:
    """Mark the meeting held; with minutes it is filed (归档) and counts for compliance.
    A resolution of an assembly or committee meeting needs the quorum and its tally, with
    yes votes over half of the voting members who should attend."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.FILED:
        raise MeetingError(
            "会议记录已归档，不能再次登记召开情况（出席情况仍可更正，并记入审计日志）"
        )
    if held_on > timezone.localdate():
        raise MeetingError("召开日期不能晚于今天")
    resolution = resolution.strip()
    if resolution and meeting.kind in rules.QUORUM_KINDS:
        expected, present, _ = quorum(meeting)
        problems = rules.resolution_problems(expected, present, tally)
        if problems:
            raise MeetingError("；".join(problems))
    elif tally is not None:
        raise MeetingError("没有需要表决的决议，不登记表决票数")
    meeting.held_on = held_on
    meeting.minutes = minutes.strip()
    meeting.resolution = resolution
    meeting.votes_yes = tally.yes if tally and resolution else None
    meeting.votes_no = tally.no if tally and resolution else None
    meeting.votes_abstain = tally.abstain if tally and resolution else None
    meeting.status = MeetingStatus.FILED if meeting.minutes else MeetingStatus.HELD
    # Whoever neither checked in nor was recorded missed the meeting.
    meeting.attendance.filter(state=AttendanceState.PENDING).update(state=AttendanceState.ABSENT)
    meeting.save(
        update_fields=[
            "held_on", "minutes", "resolution", "votes_yes", "votes_no", "votes_abstain",
            "status", "updated_at",
        ]
    )  # fmt: skip
    added, removed = sync_meeting_credit(meeting, by=by)
    audit.record(
        "meeting.held", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"held_on": held_on, "status": meeting.status, **_credit_summary(added, removed)},
    )  # fmt: skip
    return meeting


def _credit_summary(added: int, removed: int) -> dict:
    """What the audit entry says about class hours credited or taken back."""
    summary = {}
    if added:
        summary["study_credited"] = added
    if removed:
        summary["study_withdrawn"] = removed
    return summary


def check_upload(upload) -> None:
    problem = upload_problem(upload)
    if problem:
        raise MeetingError(problem)


@transaction.atomic
def add_attachments(meeting: Meeting, uploads, *, by=None) -> list[MeetingAttachment]:
    """Several files at once (the photos of a meeting): all stored, or, when one is
    refused, none, with every refused file's reason."""
    uploads = list(uploads)
    problems = [problem for upload in uploads if (problem := upload_problem(upload))]
    if problems:
        raise MeetingError("；".join(problems))
    return [add_attachment(meeting, upload, by=by) for upload in uploads]


@transaction.atomic
def add_attachment(meeting: Meeting, upload, *, by=None) -> MeetingAttachment:
    check_upload(upload)
    attachment = MeetingAttachment.store(upload, by=by, meeting=meeting)
    audit.record(
        "meeting.attachment", actor=by, obj=meeting, org_path=meeting.organization.path,
        summary={"name": attachment.original_name, "size": attachment.size},
    )  # fmt: skip
    return attachment


# ---- study ---------------------------------------------------------------------------
@transaction.atomic
def record_study(person: Person, *, kind: str, title: str, studied_on: dt.date, hours, by=None):
    hours = Decimal(str(hours))
    if hours <= 0 or hours > 24:
        raise MeetingError("学时须大于 0 且不超过 24")
    if studied_on > timezone.localdate():
        raise MeetingError("学习日期不能晚于今天")
    if not title.strip():
        raise MeetingError("请填写学习内容")
    study = Study.objects.create(
        person=person, kind=kind, title=title.strip(), studied_on=studied_on, hours=hours,
        recorded_by=by,
    )  # fmt: skip
    audit.record(
        "study.record", actor=by, obj=person, org_path=person.organization.path,
        summary={"hours": str(hours), "on": studied_on},
    )  # fmt: skip
    return study
