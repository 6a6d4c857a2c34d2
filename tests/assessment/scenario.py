"""A 2024 first quarter with known gaps at hospital A of the `world` fixture:
- HA-B2 held every meeting the rules required (a quarterly 支部党员大会 with quorum, a
  quarterly 党课, the monthly 主题党日 on its fixed day) and led a volunteer activity;
- HA-B1 has two full members (too small), held nothing, and owns a task overdue since
  March.
Both branches were founded on 1 January 2024, so 2023 asks nothing of them."""

import datetime as dt

from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus
from dangjian.meetings.rules import MeetingKind as K
from dangjian.meetings.rules import theme_day_on
from dangjian.orgs.models import CommitteePost, Organization
from dangjian.service.models import ServiceActivity
from tests.factories import add_seat
from tests.pages.world import add_members
from tests.tasks.builders import a_list, a_task

D = dt.date
FOUNDED = D(2024, 1, 1)


def filed(org, kind, day, voters=()):
    meeting = Meeting.objects.create(
        organization=org, kind=kind, topic="测试", planned_on=day, held_on=day,
        status=MeetingStatus.FILED, expected_voters=len(voters) if voters else None,
    )  # fmt: skip
    for person in voters:
        Attendance.objects.create(meeting=meeting, person=person, state=AttendanceState.PRESENT)
    return meeting


def good_quarter(branch, year=2024, quarter=1):
    people = add_members(branch, 3, since=D(2010, 7, 1))
    add_seat(branch, people[0], CommitteePost.SECRETARY, started_on=FOUNDED)
    first = 3 * quarter - 2
    filed(branch, K.GENERAL_ASSEMBLY, D(year, first + 1, 10), voters=people)
    filed(branch, K.PARTY_LECTURE, D(year, first + 1, 20))
    for month in range(first, first + 3):
        filed(branch, K.THEME_DAY, theme_day_on(year, month), voters=people)
    return people


def known_gaps(world):
    Organization.objects.filter(pk__in=(world.ha_b1.pk, world.ha_b2.pk)).update(founded_on=FOUNDED)
    for org in (world.ha_b1, world.ha_b2):
        org.refresh_from_db()
    good_quarter(world.ha_b2)
    ServiceActivity.objects.create(
        organization=world.ha_b2, kind="clinic", title="社区义诊", held_on=D(2024, 3, 5),
        people_served=40,
    )  # fmt: skip
    add_members(world.ha_b1, 2)
    _target, area = a_list(world.ha, year=2024)
    a_task(area, world.ha_b1, due=D(2024, 3, 15), title="完成支部品牌创建方案")
