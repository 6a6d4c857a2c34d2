"""Organisational life endpoints: meetings, attendance, holding with the quorum check,
QR check-in, and study hours (RULES.md §2).

The same scope as the pages: a meeting, organisation or person outside the caller's
subtrees answers 404 {"detail": "不存在"}; changes need write scope on the meeting's
organisation (403 for those who may only read). Every change goes through
`meetings.services`, so the API refuses exactly what the pages refuse, with the same
Chinese reasons (400), and writes nothing then.
"""

import datetime as dt
from decimal import Decimal

from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.meetings import rules, services
from dangjian.meetings.models import Attendance, Meeting, StudyKind
from dangjian.meetings.permissions import may_plan, may_record, may_record_study
from dangjian.meetings.rules import MeetingKind
from dangjian.meetings.services import MeetingError
from dangjian.meetings.study import hours_page, members_of
from dangjian.people.models import Person

from .orgs import read_subtree, visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Day, Id, Message, Moment

router = ApiRouter(tags=["meetings"])

PAGE_SIZE = 50


# ---- schemas --------------------------------------------------------------------------
class MeetingFields(Schema):
    id: int
    organization: str
    organization_name: str
    kind: str
    kind_label: str
    topic: str
    planned_on: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    place: str
    host: str
    lecturer_id: int | None
    status: str
    held_on: dt.date | None


class MeetingOut(MeetingFields):
    """A meeting read from the model (the list)."""

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class AttendanceOut(Schema):
    person_id: int
    name: str
    state: str
    reason: str
    is_voter: bool
    checked_in_at: dt.datetime | None


class QuorumOut(Schema):
    expected_voters: int
    present_voters: int
    met: bool
    required: bool  # whether a resolution of this kind needs it


class ResolutionTally(Schema):
    yes: int
    no: int
    abstain: int


class MeetingDetailOut(MeetingFields):
    minutes: str
    resolution: str
    tally: ResolutionTally | None  # the vote on the resolution, when there is one
    quorum: QuorumOut
    attendance: list[AttendanceOut]


class MeetingIn(Schema):
    org: str
    kind: str
    topic: str
    planned_on: Day
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    place: str = ""
    host: str = ""
    lecturer_id: Id | None = None


class AttendanceIn(Schema):
    person_id: Id
    state: str
    reason: str = ""


class HeldIn(Schema):
    held_on: Day
    minutes: str = ""
    resolution: str = ""
    tally: ResolutionTally | None = None  # with a resolution of an assembly or committee


class CheckInIn(Schema):
    token: str


class CheckInOut(Schema):
    meeting_id: int
    topic: str
    person_id: int
    name: str
    checked_in_at: dt.datetime


class CheckInTokenOut(Schema):
    meeting_id: int
    token: str
    url: str
    opens_at: dt.datetime
    expires_at: dt.datetime


class StudyHoursOut(Schema):
    person_id: int
    name: str
    organization: str
    organization_name: str
    hours: float
    target: int
    reached: bool


class StudyIn(Schema):
    person_id: Id
    kind: str
    title: str
    studied_on: Day
    hours: Decimal


class StudyOut(Schema):
    id: int
    person_id: int
    kind: str
    title: str
    studied_on: dt.date
    hours: float


# ---- shaping --------------------------------------------------------------------------
def _meeting_out(meeting: Meeting) -> dict:
    return MeetingOut.from_orm(meeting).model_dump()


def _attendance_out(row: Attendance) -> dict:
    return {
        "person_id": row.person_id,
        "name": row.person.name,
        "state": row.state,
        "reason": row.reason,
        "is_voter": row.is_voter,
        "checked_in_at": row.checked_in_at,
    }


def _detail_out(request, meeting: Meeting) -> dict:
    """The meeting with the attendance rows the caller may read (a member sees their
    own) and the quorum, counted over everyone expected."""
    people = Person.objects.visible_to(request.user)
    rows = (
        meeting.attendance.filter(person__in=people)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    expected, present, met = services.quorum(meeting)
    return {
        **_meeting_out(meeting),
        "minutes": meeting.minutes,
        "resolution": meeting.resolution,
        "tally": (
            {"yes": meeting.votes_yes, "no": meeting.votes_no, "abstain": meeting.votes_abstain}
            if meeting.votes_yes is not None
            else None
        ),
        "quorum": {
            "expected_voters": expected,
            "present_voters": present,
            "met": met,
            "required": meeting.kind in rules.QUORUM_KINDS,
        },
        "attendance": [_attendance_out(row) for row in rows],
    }


def _refused(exc: MeetingError):
    return Status(400, {"detail": str(exc)})


def _too_long(**texts: tuple[str, int]) -> None:
    """Texts longer than their column are refused in Chinese (PostgreSQL would fail)."""
    for label, (text, limit) in texts.items():
        if len(text) > limit:
            raise HttpError(400, _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit})


# ---- scope ----------------------------------------------------------------------------
def _visible_meeting(request, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("organization"), pk=meeting_id
    )


def _writable_meeting(request, meeting_id: int) -> Meeting:
    meeting = _visible_meeting(request, meeting_id)
    if not may_record(request.user, meeting):
        raise HttpError(403, _("没有登记组织生活的权限"))
    return meeting


def _visible_person(request, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=person_id
    )


def _year(year: int | None) -> int:
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise HttpError(400, _("年份须在 2000 至 2100 之间"))
    return year


# ---- meetings -------------------------------------------------------------------------
@router.get("/meetings", response={200: list[MeetingOut], 400: Message})
@paginate(Pages, page_size=PAGE_SIZE)
def list_meetings(
    request,
    org: str | None = None,
    kind: str | None = None,
    date_from: Day | None = Query(None, alias="from"),
    date_to: Day | None = Query(None, alias="to"),
):
    """Meetings in the caller's scope (or the subtree `org`), latest first; `from` and
    `to` bound the day it was held (the planned day while it has not been held)."""
    qs = Meeting.objects.visible_to(request.user).select_related("organization")
    if org:
        qs = qs.filter(organization__path__startswith=visible_org(request, org).path)
    if kind:
        if kind not in MeetingKind.values:
            raise HttpError(400, _("未知的会议类别：%(kind)s") % {"kind": kind})
        qs = qs.filter(kind=kind)
    qs = qs.annotate(day=Coalesce("held_on", "planned_on"))
    if date_from:
        qs = qs.filter(day__gte=date_from)
    if date_to:
        qs = qs.filter(day__lte=date_to)
    return qs.order_by("-day", "-pk")


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request, meeting_id: Id):
    return _detail_out(request, _visible_meeting(request, meeting_id))


@router.post("/meetings", response={201: MeetingDetailOut, 400: Message, 403: Message})
def plan(request, payload: MeetingIn):
    """Plan a meeting; everyone expected starts as not yet checked in (`pending`) until
    they check in or are recorded; recording the meeting as held makes the rest absent."""
    org = visible_org(request, payload.org)
    if not may_plan(request.user, org):
        raise HttpError(403, _("没有登记组织生活的权限"))
    _too_long(**{
        _("主题"): (payload.topic, 200), _("地点"): (payload.place, 200),
        _("主持人"): (payload.host, 100),
    })  # fmt: skip
    details = payload.model_dump(exclude={"org", "kind", "topic", "planned_on", "lecturer_id"})
    if payload.lecturer_id is not None:
        lecturer = Person.objects.visible_to(request.user).filter(pk=payload.lecturer_id)
        details["lecturer"] = lecturer.first()
        if details["lecturer"] is None:
            return Status(400, {"detail": _("找不到授课人，或无权查看")})
    if payload.ends_at and payload.starts_at and payload.ends_at <= payload.starts_at:
        return Status(400, {"detail": _("结束时间须晚于开始时间")})
    try:
        meeting = services.plan_meeting(
            org,
            kind=payload.kind,
            topic=payload.topic,
            planned_on=payload.planned_on,
            by=request.user,
            **details,
        )
    except MeetingError as exc:
        return _refused(exc)
    return Status(201, _detail_out(request, meeting))


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingDetailOut, 400: Message, 403: Message},
)
def attendance(request, meeting_id: Id, payload: AttendanceIn):
    """Record or correct one member's attendance (audited by the service)."""
    meeting = _writable_meeting(request, meeting_id)
    person = _visible_person(request, payload.person_id)
    _too_long(**{_("请假事由"): (payload.reason, 200)})
    try:
        services.set_attendance(meeting, person, payload.state, payload.reason, by=request.user)
    except MeetingError as exc:
        return _refused(exc)
    return _detail_out(request, meeting)


@router.post(
    "/meetings/{meeting_id}/held", response={200: MeetingDetailOut, 400: Message, 403: Message}
)
def held(request, meeting_id: Id, payload: HeldIn):
    """Record the meeting as held; with minutes it is filed. A resolution of an assembly
    or committee meeting without the quorum is refused with the rule."""
    meeting = _writable_meeting(request, meeting_id)
    try:
        meeting = services.record_held(
            meeting,
            held_on=payload.held_on,
            minutes=payload.minutes,
            resolution=payload.resolution,
            tally=rules.Tally(**payload.tally.model_dump()) if payload.tally else None,
            by=request.user,
        )
    except MeetingError as exc:
        return _refused(exc)
    return _detail_out(request, meeting)


# ---- QR check-in ----------------------------------------------------------------------
def check_in_url(request, token: str) -> str:
    """The phone page the QR code opens (the same link the meeting page shows)."""
    return request.build_absolute_uri(reverse("meetings:check_in", args=[token]))


@router.get(
    "/meetings/{meeting_id}/check-in-token",
    response={200: CheckInTokenOut, 400: Message, 403: Message},
)
def check_in_token(request, meeting_id: Id):
    """The signed token (and the link the QR code carries) for the meeting's screen; it
    works from `opens_at` (shortly before the start) until the meeting ends, and is not
    issued once the meeting has ended. Only those who may record the meeting get it."""
    meeting = _writable_meeting(request, meeting_id)
    if services.check_in_state(meeting) == "closed":
        return Status(400, {"detail": _("会议已经结束，签到已关闭；出席情况请由支部书记更正")})
    token = services.check_in_token(meeting)
    return {
        "meeting_id": meeting.pk,
        "token": token,
        "url": check_in_url(request, token),
        "opens_at": services.check_in_opens_at(meeting),
        "expires_at": services.check_in_expires_at(meeting),
    }


@router.post("/check-in", response={200: CheckInOut, 400: Message, 404: Message})
def check_in(request, payload: CheckInIn):
    """The caller checks themselves in with the token from the QR code. A forged or
    expired token, a second check-in or a person not expected is refused with the reason
    and nothing is written; a meeting of another hospital does not exist (404)."""
    person = Person.objects.filter(user=request.user).select_related("organization").first()
    if person is None:
        return Status(400, {"detail": _("您的账号未关联党员信息，无法签到，请联系党委办公室")})
    try:
        meeting = services.meeting_for_token(payload.token)
        if not meeting.organization.path.startswith(person.organization.hospital_path):
            raise HttpError(404, "不存在")
        row = services.check_in(payload.token, person)
    except MeetingError as exc:
        return _refused(exc)
    return {
        "meeting_id": meeting.pk,
        "topic": meeting.topic,
        "person_id": person.pk,
        "name": person.name,
        "checked_in_at": row.checked_in_at,
    }


# ---- study ----------------------------------------------------------------------------
@router.get("/study", response={200: list[StudyHoursOut], 400: Message})
@paginate(Pages, page_size=PAGE_SIZE)
def study(request, org: str | None = None, year: int | None = None):
    """Class hours of each member in `year` (default this year) against the 32 a year of
    RULES.md §2."""
    people = Person.objects.visible_to(request.user)
    people = read_subtree(request, people, org, "api.study.list", year=_year(year))
    return hours_page(members_of(people), _year(year))


@router.post("/study", response={201: StudyOut, 400: Message, 403: Message, 404: Message})
def record_study(request, payload: StudyIn):
    """Record class hours for a visible person: by those with write scope on the
    person's organisation, or by the member for themselves."""
    person = _visible_person(request, payload.person_id)
    if not may_record_study(request.user, person):
        raise HttpError(403, _("没有登记学习记录的权限"))
    _too_long(**{_("学习内容"): (payload.title, 200)})
    if payload.kind not in StudyKind.values:
        return Status(400, {"detail": _("未知的学习方式：%(kind)s") % {"kind": payload.kind}})
    try:
        record = services.record_study(
            person,
            kind=payload.kind,
            title=payload.title,
            studied_on=payload.studied_on,
            hours=payload.hours,
            by=request.user,
        )
    except MeetingError as exc:
        return _refused(exc)
    return Status(
        201,
        {
            "id": record.pk,
            "person_id": person.pk,
            "kind": record.kind,
            "title": record.title,
            "studied_on": record.studied_on,
            "hours": float(record.hours),
        },
    )
