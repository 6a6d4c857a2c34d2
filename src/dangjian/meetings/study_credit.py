"""Class hours credited by attendance (学习教育): each hospital chooses per kind of meeting
whether attending credits hours and how many; a meeting recorded as held credits every
member present with one Study row tied to the meeting, and a later correction of the
attendance adds or takes back that row in the same transaction. A completed course
(the `learning` app) credits its hours here too, so Study stays the one place hours
are counted."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from dangjian.core import audit
from dangjian.orgs.models import Organization

from . import rules
from .models import (
    Attendance,
    AttendanceState,
    Meeting,
    MeetingStatus,
    Study,
    StudyCredit,
    StudyKind,
)
from .rules import MeetingKind


class CreditError(ValueError):
    """A refused setting; the message is Chinese."""


def hospital_of(org: Organization) -> Organization:
    """The hospital (or the organisation itself above the hospitals) whose settings apply."""
    if org.path == org.hospital_path:
        return org
    return Organization.objects.get(path=org.hospital_path)


def credit_settings(hospital: Organization) -> dict[str, tuple[bool, Decimal | None]]:
    """{kind: (credits, fixed hours or None)} for every kind, the hospital's choices over
    the defaults. One query."""
    chosen = {
        row.kind: (row.credits, row.hours)
        for row in StudyCredit.objects.filter(organization=hospital)
    }
    return {
        kind: chosen.get(kind, (kind in rules.DEFAULT_CREDITED_KINDS, None))
        for kind in MeetingKind.values
    }


@transaction.atomic
def save_credit_settings(hospital: Organization, choices: dict, *, by=None) -> None:
    """Save {kind: (credits, hours or None)} for the hospital; every kind is checked
    first and nothing is saved when one is refused. Meetings already held keep the
    hours they credited."""
    problems = []
    for kind, (_credits, hours) in choices.items():
        if kind not in MeetingKind.values:
            problems.append(f"未知的会议类别：{kind}")
        elif problem := rules.credit_setting_problem(hours):
            problems.append(f"{MeetingKind(kind).label}：{problem}")
    if problems:
        raise CreditError("；".join(problems))
    for kind, (credits, hours) in choices.items():
        StudyCredit.objects.update_or_create(
            organization=hospital, kind=kind,
            defaults={"credits": bool(credits), "hours": Decimal(str(hours)) if hours else None},
        )  # fmt: skip
    audit.record(
        "study.credit_settings", actor=by, obj=hospital, org_path=hospital.path,
        summary={k: [bool(c), str(h) if h else ""] for k, (c, h) in choices.items()},
    )  # fmt: skip


def study_kind_for(meeting_kind: str) -> str:
    return StudyKind.LECTURE if meeting_kind == MeetingKind.PARTY_LECTURE else StudyKind.MEETING


def credit_title(meeting: Meeting) -> str:
    """What the member's study list says: the topic, led by the kind unless it names it."""
    kind = meeting.get_kind_display()
    title = meeting.topic if kind in meeting.topic else f"{kind}：{meeting.topic}"
    return title[:200]


def sync_meeting_credit(meeting: Meeting, *, by=None) -> tuple[int, int]:
    """Make the meeting's Study rows match who was present: one per member present when
    the meeting is held and its kind credits hours, none otherwise. Returns (added,
    removed). Runs inside the caller's transaction (record_held, set_attendance), whose
    audit entry reports the change."""
    # The caller's instance may predate record_held: read the status and times again.
    meeting = Meeting.objects.select_related("organization").get(pk=meeting.pk)
    if meeting.status == MeetingStatus.PLANNED or meeting.held_on is None:
        # Not held (yet): nothing is credited; the settings need not be read.
        return 0, Study.objects.filter(meeting=meeting).delete()[0]
    credits, fixed = credit_settings(hospital_of(meeting.organization))[meeting.kind]
    hours = rules.credited_hours(credits, fixed, meeting.starts_at, meeting.ends_at)
    present = set()
    if hours is not None:
        present = set(
            meeting.attendance.filter(state=AttendanceState.PRESENT).values_list(
                "person_id", flat=True
            )
        )
    credited = set(Study.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    gone = credited - present
    if gone:
        Study.objects.filter(meeting=meeting, person_id__in=gone).delete()
    new = sorted(present - credited)
    Study.objects.bulk_create(
        [
            Study(
                person_id=pk,
                meeting=meeting,
                kind=study_kind_for(meeting.kind),
                title=credit_title(meeting),
                studied_on=meeting.held_on,
                hours=hours,
                recorded_by=by,
            )  # fmt: skip
            for pk in new
        ]
    )
    return len(new), len(gone)


def credit_held_meetings(hospital: Organization) -> int:
    """Credit the members present at the hospital's held meetings that have no credit
    yet (the demo loader bulk-creates its year of meetings without the services). Three
    queries and a bulk insert; the rows added."""
    chosen = credit_settings(hospital)
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(
            organization__path__startswith=hospital.path,
            status__in=(MeetingStatus.HELD, MeetingStatus.FILED),
            kind__in=[kind for kind, (credits, _) in chosen.items() if credits],
        ).exclude(studies__isnull=False)
    }
    present = Attendance.objects.filter(
        meeting_id__in=list(meetings), state=AttendanceState.PRESENT
    ).values_list("meeting_id", "person_id")
    studies = []
    for meeting_id, person_id in present if meetings else []:
        meeting = meetings[meeting_id]
        credits, fixed = chosen[meeting.kind]
        studies.append(
            Study(
                person_id=person_id,
                meeting=meeting,
                kind=study_kind_for(meeting.kind),
                title=credit_title(meeting),
                studied_on=meeting.held_on,
                hours=rules.credited_hours(credits, fixed, meeting.starts_at, meeting.ends_at),
            )  # fmt: skip
        )
    Study.objects.bulk_create(studies, batch_size=2000)
    return len(studies)


@transaction.atomic
def record_course_study(person, *, title: str, hours, studied_on: dt.date, by=None) -> Study:
    """A course completed online (the `learning` app) credits its class hours; the caller
    keeps it to once per person and course."""
    return _record_study(person, StudyKind.ONLINE, "study.course", title, hours, studied_on, by)


@transaction.atomic
def record_volunteer_study(person, *, title: str, hours, studied_on: dt.date, by=None) -> Study:
    """A volunteer activity's hours, where the hospital counts them as class hours."""
    return _record_study(
        person, StudyKind.PRACTICE, "study.volunteer", title, hours, studied_on, by
    )


def _record_study(person, kind, action: str, title: str, hours, studied_on, by) -> Study:
    hours = Decimal(str(hours))
    if hours <= 0 or hours > rules.MAX_CREDIT_HOURS:
        raise CreditError("学时须大于 0 且不超过 24")
    study = Study.objects.create(
        person=person, kind=kind, title=title.strip()[:200], studied_on=studied_on,
        hours=hours, recorded_by=by,
    )  # fmt: skip
    audit.record(
        action, actor=by, obj=person, org_path=person.organization.path,
        summary={"hours": str(hours), "on": studied_on, "title": study.title},
    )  # fmt: skip
    return study
