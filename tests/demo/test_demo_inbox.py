"""The demo's inbox on the load day: demo_member is reminded of tomorrow's meeting of
their branch, demo_secretary hears of a member's 政治生日 today; the birthday member's
history is moved as one, and the rosters stay deterministic."""

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.models import Notice
from dangjian.demo.hospitals_a import H01_ACCOUNT_BRANCH
from dangjian.demo.loader import account_people, build_rosters
from dangjian.demo.reminders import TOMORROW_PLACE, celebrate_today
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.meetings.reminders import DAY_BEFORE
from dangjian.people.reminders import SECRETARY_KIND, birthday_members
from tests.meetings import test_demo_meetings

TODAY = timezone.localdate()
demo = test_demo_meetings.demo  # `load-demo` once for the module, rolled back after it


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_member_sees_tomorrows_meeting_in_the_inbox():
    tomorrow = TODAY + dt.timedelta(days=1)
    meeting = Meeting.objects.get(
        organization__code=H01_ACCOUNT_BRANCH, planned_on=tomorrow, place=TOMORROW_PLACE
    )
    assert meeting.status == MeetingStatus.PLANNED and meeting.starts_at
    member = User.objects.get(username="demo_member")
    notice = Notice.objects.get(recipient=member, kind=DAY_BEFORE, link__contains=f"/{meeting.pk}/")
    assert notice.title.startswith("明天") and TOMORROW_PLACE in notice.body


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_secretary_hears_of_a_political_birthday_today():
    branch_members = birthday_members(f"{_branch_path()}", TODAY)
    assert branch_members.exists()
    secretary = User.objects.get(username="demo_secretary")
    names = {p.name for p in branch_members}
    titles = Notice.objects.filter(recipient=secretary, kind=SECRETARY_KIND).values_list(
        "title", flat=True
    )
    assert any(name in title for name in names for title in titles)


def _branch_path():
    from dangjian.orgs.models import Organization

    return Organization.objects.get(code=H01_ACCOUNT_BRANCH).path


@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 4), dt.date(2028, 2, 29), dt.date(2027, 2, 28)]
)
def test_the_birthday_member_keeps_the_intervals_of_their_history(today):
    rosters = build_rosters(today)
    h01 = rosters["DEMO-H01"]
    again = build_rosters(today)["DEMO-H01"]
    assert [p.admitted_on for p in h01.people] == [p.admitted_on for p in again.people]
    accounts = account_people(h01).values()
    found = [
        p for p in h01.people
        if p.org == H01_ACCOUNT_BRANCH and p.admitted_on
        and (p.admitted_on.month, p.admitted_on.day) == (today.month, today.day)
        and p.admitted_on.year <= today.year - 10
    ]  # fmt: skip
    assert found and not set(map(id, found)) & set(map(id, accounts))
    # moved again to the same day, the member stays where they are
    dates = [(p.applied_on, p.admitted_on, p.full_on) for p in h01.people]
    person = celebrate_today(h01, today, avoid=tuple(accounts))
    assert any(person is p for p in found)
    assert [(p.applied_on, p.admitted_on, p.full_on) for p in h01.people] == dates
    assert person.applied_on < person.activist_on < person.candidate_on < person.admitted_on
    assert person.full_on.year == person.admitted_on.year + 1
