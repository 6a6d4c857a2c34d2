"""Study records (学习教育): the refusals of services.record_study, and class hours
counted per calendar year (RULES.md §2: 32 a year) at the year boundary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.meetings.models import Study
from dangjian.meetings.queries import study_hours
from dangjian.meetings.rules import STUDY_HOURS_PER_YEAR
from dangjian.meetings.services import MeetingError, record_study
from dangjian.meetings.study import hours_page, members_of
from dangjian.people.models import Person, Status
from tests.factories import make_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def member(two_hospitals):
    _guidance, (_hospital, branch, _other), _b = two_hospitals
    return make_member(branch)


def study(person, day, hours, title="学习《中国共产党章程》"):
    return record_study(person, kind="self_study", title=title, studied_on=day, hours=hours)


@pytest.mark.parametrize(
    ("hours", "day", "title", "message"),
    [
        (0, TODAY, "党史学习", "学时须大于 0 且不超过 24"),
        (-2, TODAY, "党史学习", "学时须大于 0 且不超过 24"),
        (Decimal("24.1"), TODAY, "党史学习", "学时须大于 0 且不超过 24"),
        (2, TODAY + dt.timedelta(days=1), "党史学习", "学习日期不能晚于今天"),
        (2, TODAY, "", "请填写学习内容"),
        (2, TODAY, "   ", "请填写学习内容"),
    ],
)
def test_refusals_say_why_and_write_nothing(member, hours, day, title, message):
    audited = AuditEntry.objects.count()
    with pytest.raises(MeetingError) as refused:
        record_study(member, kind="training", title=title, studied_on=day, hours=hours)
    assert str(refused.value) == message
    assert not Study.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_a_record_is_kept_trimmed_and_audited(member):
    record = study(member, TODAY, "1.5", title="  学习党的二十大报告  ")
    assert record.title == "学习党的二十大报告" and record.hours == Decimal("1.5")
    entry = AuditEntry.objects.get(action="study.record")
    assert entry.summary["hours"] == "1.5"


def test_hours_count_in_the_year_they_were_studied(member):
    """31 December belongs to the old year, 1 January to the new one."""
    study(member, dt.date(2023, 12, 31), 8)
    study(member, dt.date(2024, 1, 1), 6)
    study(member, dt.date(2024, 12, 31), "2.5")
    study(member, dt.date(2025, 1, 1), 24)
    assert study_hours([member.pk], 2023) == {member.pk: 8.0}
    assert study_hours([member.pk], 2024) == {member.pk: 8.5}
    assert study_hours([member.pk], 2025) == {member.pk: 24.0}
    assert study_hours([member.pk], 2022) == {}


def test_the_page_lists_members_with_hours_against_the_target(two_hospitals):
    _guidance, (_hospital, branch, _other), _b = two_hospitals
    done, short = make_member(branch, name="甲"), make_member(branch, name="乙")
    make_member(branch, status=Status.ACTIVIST, name="丙")  # not yet a member
    for _ in range(4):
        study(done, dt.date(2024, 6, 1), 8)
    study(short, dt.date(2024, 6, 1), 20)
    people = members_of(Person.objects.filter(organization=branch))
    rows = hours_page(people, 2024)[0:10]
    assert {r["name"]: (r["hours"], r["reached"]) for r in rows} == {
        "甲": (32.0, True),
        "乙": (20.0, False),
    }
    assert all(r["target"] == STUDY_HOURS_PER_YEAR for r in rows)
    assert len(hours_page(people, 2024)) == 2
