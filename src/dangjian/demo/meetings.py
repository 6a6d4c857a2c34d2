"""A year of organisational life for the demo hospitals (RULES.md §2), back from the day
the demo is loaded: monthly theme days, committee and group meetings, quarterly
assemblies and Party lectures, the yearly life meeting and appraisal, with attendance.

The gaps are deliberate, so that `dangjian check` and the compliance page have something
real to show: a few branches skip theme days or a quarter's assembly, or hold a meeting
without filing the minutes; two members miss everything for the last eight months.

Rows are bulk-created (a thousand meetings through the services would cost seconds);
they follow the services' rules: attendance of the expected members only, a resolution
only with the quorum, nothing held after today. Every text is fictitious.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from dangjian.core import audit
from dangjian.meetings import rules
from dangjian.meetings.models import (
    Attendance,
    AttendanceState,
    Meeting,
    MeetingStatus,
    Study,
    StudyKind,
)
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.models import (
    COMMITTEE_POSTS,
    CommitteePost,
    CommitteeSeat,
    Organization,
    OrgKind,
)
from dangjian.orgs.queries import alive_on
from dangjian.people.models import MEMBER_STATUSES, Membership, Status, StatusPeriod

from .dates import add_months, first_of_month
from .hospitals_a import H01_ACCOUNT_BRANCH

K = MeetingKind
MEETING_HOSPITALS = ("DEMO-H01", "DEMO-H03")  # the largest and a small one
ABSENT_MONTHS_BACK = 8  # the chronic absentees' last attendance
LAX_SHARE, UNFILED_SHARE = 0.15, 0.1  # branches that skip meetings / leave minutes unfiled

THEMES = (
    "重温入党誓词，坚定理想信念", "学习党的二十大报告", "学习《中国共产党纪律处分条例》",
    "走进社区开展健康义诊", "参观红色教育基地", "“我为群众办实事”志愿服务",
    "学习身边优秀党员先进事迹", "开展健康科普进校园", "廉洁从医警示教育",
    "学习医德医风规范", "开展“党员先锋岗”评比", "学习习近平新时代中国特色社会主义思想",
)  # fmt: skip
LECTURES = (
    "支部书记讲党课：以高质量党建引领医院高质量发展", "党课：弘扬伟大建党精神",
    "党课：新时代医务工作者的初心使命", "党课：从党史中汲取奋进力量",
)  # fmt: skip
LEAVE_REASONS = (
    "值夜班", "外出义诊", "参加学术会议", "外出进修", "病假", "下乡对口支援", "急诊手术",
)  # fmt: skip


@dataclass
class Unit:
    """A branch or group with the members it expects and its place in the plan."""

    org: Organization
    seats: list[int] = field(default_factory=list)  # committee members (person pks)
    secretary: int | None = None  # gives the Party lectures, as the rules ask once a year
    lax: bool = False
    unfiled: bool = False


@dataclass
class Roll:
    """Memberships and statuses of one hospital, to say who is expected on a day."""

    memberships: list[tuple[int, str, dt.date, dt.date | None]]
    statuses: dict[int, list[tuple[str, dt.date, dt.date | None]]]

    def status_on(self, person: int, day: dt.date) -> str | None:
        for status, start, end in self.statuses.get(person, ()):
            if start <= day and (end is None or end > day):
                return status
        return None

    def expected(self, path: str, day: dt.date) -> list[tuple[int, bool]]:
        """(person, has a vote) like services.expected_people: members of the subtree
        on `day`, full members voting."""
        found = []
        for person, org_path, start, end in self.memberships:
            if org_path.startswith(path) and start <= day and (end is None or end > day):
                status = self.status_on(person, day)
                if status in MEMBER_STATUSES:
                    found.append((person, status == Status.FULL))
        return found


def load_demo_meetings(today: dt.date, seed: int) -> int:
    """Create the demo year of meetings (and a few study records); the meeting count."""
    total = 0
    for code in MEETING_HOSPITALS:
        hospital = Organization.objects.get(code=code)
        rng = random.Random(f"{seed}:meetings:{code}")
        total += _hospital_year(hospital, today, rng)
    return total


def _roll(hospital: Organization) -> Roll:
    rows = Membership.objects.filter(organization__path__startswith=hospital.path)
    memberships = list(
        rows.values_list("person_id", "organization__path", "started_on", "ended_on")
    )
    statuses = defaultdict(list)
    periods = StatusPeriod.objects.filter(person_id__in={m[0] for m in memberships})
    for person, status, start, end in periods.values_list(
        "person_id", "status", "started_on", "ended_on"
    ):
        statuses[person].append((status, start, end))
    return Roll(memberships, statuses)


def _units(hospital: Organization, today: dt.date, rng: random.Random) -> list[Unit]:
    orgs = Organization.objects.filter(
        alive_on(today), path__startswith=hospital.path, kind__in=(OrgKind.BRANCH, OrgKind.GROUP)
    ).order_by("path")
    seats, secretaries = defaultdict(set), {}
    for org_id, person, post in CommitteeSeat.objects.filter(
        organization__path__startswith=hospital.path,
        post__in=COMMITTEE_POSTS,
        ended_on__isnull=True,
    ).values_list("organization_id", "person_id", "post"):
        seats[org_id].add(person)
        if post == CommitteePost.SECRETARY:
            secretaries[org_id] = person
    units = []
    for org in orgs:
        lax, unfiled = rng.random() < LAX_SHARE, rng.random() < UNFILED_SHARE
        lax = lax and org.code != H01_ACCOUNT_BRANCH  # the demo secretary's branch is tidy
        units.append(Unit(org, sorted(seats[org.pk]), secretaries.get(org.pk), lax, unfiled))
    return units


def _schedule(unit: Unit, months: list[dt.date], rng: random.Random) -> list[tuple[str, dt.date]]:
    """(kind, day) of the unit's meetings over the months; only lax units have gaps."""

    def skip(share: float) -> bool:
        return unit.lax and rng.random() < share

    if unit.org.kind == OrgKind.GROUP:
        days = [(K.GROUP_MEETING, m.replace(day=rng.randint(5, 12))) for m in months]
        return [d for d in days if not skip(0.2)]
    plan = []
    skipped_quarter = rng.randrange(len(months) // 3) if unit.lax else None
    for i, month in enumerate(months):
        if not skip(0.25):
            plan.append((K.THEME_DAY, rules.theme_day_on(month.year, month.month)))
        if len(unit.seats) >= 3 and not skip(0.15):
            plan.append((K.COMMITTEE_MEETING, month.replace(day=rng.randint(3, 9))))
        quarter_month = (month.month - 1) % 3
        if quarter_month == 1 and i // 3 != skipped_quarter:
            plan.append((K.GENERAL_ASSEMBLY, month.replace(day=rng.randint(16, 26))))
        if quarter_month == 2 and not skip(0.3):
            plan.append((K.PARTY_LECTURE, month.replace(day=rng.randint(10, 20))))
        if month.month == 1:  # the yearly reviews, early in the year
            plan.append((K.LIFE_MEETING, month.replace(day=rng.randint(20, 24))))
            plan.append((K.APPRAISAL, month.replace(day=rng.randint(25, 28))))
        if month.month == 11 and not skip(0.3):  # the committee's talks with each member
            plan.append((K.HEART_TALK, month.replace(day=rng.randint(2, 27))))
    return plan


def _topic(kind: str, day: dt.date, rng: random.Random) -> str:
    if kind == K.THEME_DAY:
        return f"{day.month}月主题党日：{rng.choice(THEMES)}"
    if kind == K.PARTY_LECTURE:
        return rng.choice(LECTURES)
    if kind == K.GENERAL_ASSEMBLY:
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}年第{quarter}季度支部党员大会：通报支部工作，讨论发展党员工作"
    if kind == K.LIFE_MEETING:
        return f"{day.year - 1}年度组织生活会"
    if kind == K.APPRAISAL:
        return f"{day.year - 1}年度民主评议党员"
    if kind == K.GROUP_MEETING:
        return f"{day.month}月党小组会：学习交流"
    return f"{day.month}月支委会：研究本月支部工作"


def _attendance(
    expected, day: dt.date, absentees: set, rng: random.Random, absent_since: dt.date
) -> list[tuple[int, bool, str, str]]:
    """(person, has a vote, state, reason) of each expected member: most present, some
    on leave with a reason, a few absent, the chronic absentees absent."""
    rows = []
    for person, voter in expected:
        draw = rng.random()
        if person in absentees and day >= absent_since:
            rows.append((person, voter, AttendanceState.ABSENT, ""))
        elif draw < 0.87:
            rows.append((person, voter, AttendanceState.PRESENT, ""))
        elif draw < 0.96:
            rows.append((person, voter, AttendanceState.LEAVE, rng.choice(LEAVE_REASONS)))
        else:
            rows.append((person, voter, AttendanceState.ABSENT, ""))
    return rows


def _with_quorum(rows: list[tuple], absentees: set) -> list[tuple]:
    """Mark voters on leave or absent (not the chronic absentees) present until more than
    half of the voters are: the meetings a branch would not hold without its quorum. The
    few left as drawn show a meeting that is recorded but does not count."""
    rows = list(rows)
    voters = sum(voter for _, voter, _, _ in rows)
    present = sum(voter and state == AttendanceState.PRESENT for _, voter, state, _ in rows)
    for i, (person, voter, state, _) in enumerate(rows):
        if rules.has_quorum(voters, present):
            break
        if voter and state != AttendanceState.PRESENT and person not in absentees:
            rows[i] = (person, voter, AttendanceState.PRESENT, "")
            present += 1
    return rows


def _insert_attendance(meetings: list[Meeting], rolls: list[list[tuple]]) -> None:
    """Thousands of rows: one executemany, not model instances (bulk_create of them
    costs seconds of the demo load)."""
    table = connection.ops.quote_name(Attendance._meta.db_table)
    values = [
        (meeting.pk, person, state, reason, voter)
        for meeting, rows in zip(meetings, rolls, strict=True)
        for person, voter, state, reason in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (meeting_id, person_id, state, reason, is_voter)"
            " VALUES (%s, %s, %s, %s, %s)",
            values,
        )


def _absentees(units: list[Unit], roll: Roll, today: dt.date, rng: random.Random) -> set[int]:
    """Two full members without a committee seat, in branches that meet every month, who
    stop coming eight months ago (党章 第三十八条 finds them); not in the branch the demo
    accounts log in to, whose member should see an ordinary record."""
    candidates = []
    for unit in units:
        quiet = unit.lax or unit.unfiled or unit.org.code == H01_ACCOUNT_BRANCH
        if unit.org.kind != OrgKind.BRANCH or quiet:
            continue
        for person, voter in roll.expected(unit.org.path, today):
            if voter and person not in unit.seats:
                candidates.append(person)
    return set(rng.sample(sorted(candidates), 2)) if len(candidates) >= 2 else set()


def _hospital_year(hospital: Organization, today: dt.date, rng: random.Random) -> int:
    # From January of last year: `dangjian check` judges last year's periods too.
    first = dt.date(today.year - 1, 1, 1)
    months = [add_months(first, i) for i in range(12 + today.month)]
    absent_since = add_months(first_of_month(today), -ABSENT_MONTHS_BACK)
    roll = _roll(hospital)
    units = _units(hospital, today, rng)
    absentees = _absentees(units, roll, today, rng)
    meetings, rolls = [], []
    for unit in units:
        founded = unit.org.founded_on or first
        for kind, day in _schedule(unit, months, rng):
            if day < founded:
                continue
            if kind == K.COMMITTEE_MEETING:
                expected = [(p, True) for p in unit.seats]
            else:
                expected = roll.expected(unit.org.path, day)
            rows = _attendance(expected, day, absentees, rng, absent_since)
            if kind in rules.QUORUM_KINDS and rng.random() < 0.9:
                rows = _with_quorum(rows, absentees)  # most branches reschedule instead
            meetings.append(_meeting(unit, kind, day, rows, today, rng))
            rolls.append(rows)
    Meeting.objects.bulk_create(meetings, batch_size=500)
    _insert_attendance(meetings, rolls)
    _studies(units, roll, today, rng)
    audit.record(
        "meeting.demo", obj=hospital, org_path=hospital.path,
        summary={"meetings": len(meetings), "from": first, "to": today},
    )  # fmt: skip
    return len(meetings)


def _meeting(unit: Unit, kind: str, day: dt.date, rows, today, rng) -> Meeting:
    voters = sum(voter for _, voter, _, _ in rows)
    meeting = Meeting(
        organization=unit.org, kind=kind, topic=_topic(kind, day, rng), planned_on=day,
        place=f"{unit.org.name}会议室", host="支部书记", expected_voters=voters,
        lecturer_id=unit.secretary if kind == K.PARTY_LECTURE else None,
    )  # fmt: skip
    if day > today:
        return meeting  # still planned: the calendar and the check-in have one to show
    present = [voter for _, voter, state, _ in rows if state == AttendanceState.PRESENT]
    leave = sum(state == AttendanceState.LEAVE for _, _, state, _ in rows)
    meeting.held_on = day
    meeting.status = MeetingStatus.FILED
    if unit.unfiled and rng.random() < 0.3:
        meeting.status = MeetingStatus.HELD  # held, minutes never filed: not counted
    else:
        meeting.minutes = (
            f"应到 {len(rows)} 人，实到 {len(present)} 人，请假 {leave} 人。"
            f"会议围绕“{meeting.topic}”开展学习讨论，与会党员逐一发言，会议记录人签字存档。"
        )
    present_voters = sum(present)
    if kind in rules.QUORUM_KINDS:
        # Everyone present votes; one against where the resolution still passes.
        tally = rules.Tally(present_voters - 1, 1, 0)
        if rules.resolution_problems(voters, present_voters, tally):
            tally = rules.Tally(present_voters, 0, 0)
        if not rules.resolution_problems(voters, present_voters, tally):
            meeting.resolution = "会议经表决，同意本次会议议题所列事项。"
            meeting.votes_yes, meeting.votes_no, meeting.votes_abstain = tally.yes, tally.no, 0
    return meeting


def _studies(units: list[Unit], roll: Roll, today: dt.date, rng: random.Random) -> None:
    """Class hours for the members of a few branches: some reach 32 this year, most are
    on their way."""
    branches = [u for u in units if u.org.kind == OrgKind.BRANCH][:4]
    start = dt.date(today.year, 1, 1)
    records = []
    for unit in branches:
        for person, _voter in roll.expected(unit.org.path, today):
            for _ in range(rng.randint(1, 6)):
                day = start + dt.timedelta(days=rng.randint(0, (today - start).days))
                records.append(
                    Study(
                        person_id=person,
                        kind=rng.choice(StudyKind.values),
                        title=rng.choice(THEMES + LECTURES),
                        studied_on=day,
                        hours=rng.choice((2, 3, 4, 6, 8)),
                    )  # fmt: skip
                )
    Study.objects.bulk_create(records, batch_size=2000)
