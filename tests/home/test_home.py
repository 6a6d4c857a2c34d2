"""Each role's home: `/` leads each user to the page made for their work; the member's
phone page (meetings, notices, dues, study, tasks) and the branch page (the month's
required activities, meetings, development steps, dues, tasks), scoped and with a fixed
number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.services import send_notice
from dangjian.dues import services as dues
from dangjian.dues.services import first_of_month
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from dangjian.people.transfers import start_transfer
from dangjian.tasks import services as tasks
from dangjian.tasks.models import TaskState
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest
from tests.tasks.builders import a_list, a_task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = first_of_month(TODAY)
LAST_MONTH = first_of_month(THIS_MONTH - dt.timedelta(days=1))


def billed_member(org, **person):
    member = make_member(org, **person)
    dues.fix_base(member, category="in_service", base="4500", effective_from=LAST_MONTH)
    return member


def member_user(org, **person):
    person = billed_member(org, **person)
    person.user = make_user(f"member-{person.pk}", Role.MEMBER, org)
    person.save(update_fields=["user"])
    return person


@pytest.mark.parametrize(
    "role, home",
    [
        (Role.GUIDANCE, "home:city"),
        (Role.OFFICE, "home:office"),
        (Role.SECRETARY, "home:branch"),
        (Role.AUDITOR, "audit_log"),
    ],
)
def test_each_role_lands_on_its_own_home(client, world, role, home):
    client.force_login(world.user(role, "CITY" if role == Role.GUIDANCE else "A"))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_a_member_lands_on_their_phone_page(client, world):
    person = member_user(world.ha_b1, name="甲党员")
    client.force_login(person.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("home:member")
    assert "甲党员同志，您好" in response.content.decode()


def test_the_member_page_shows_meetings_notices_dues_and_study(client, world):
    person = member_user(world.ha_b1, name="甲党员")
    meeting = meetings.plan_meeting(
        world.ha_b1, kind=MeetingKind.THEME_DAY, topic="重温入党誓词", planned_on=TODAY,
        place="三楼会议室",
    )  # fmt: skip
    meetings.plan_meeting(
        world.ha_b1, kind=MeetingKind.PARTY_LECTURE, topic="书记讲党课", planned_on=TODAY + dt.timedelta(days=3)
    )  # fmt: skip
    send_notice([person.user], "关于开展主题党日的通知", kind="notice")
    dues.generate_bills(LAST_MONTH, world.ha.path)
    dues.generate_bills(THIS_MONTH, world.ha.path)
    meetings.record_study(person, kind="self", title="自学党章", studied_on=TODAY, hours=8)
    client.force_login(person.user)
    page = client.get(reverse("home:member")).content.decode()
    assert page.index("重温入党誓词") < page.index("书记讲党课")  # today's first
    assert "三楼会议室" in page and "扫描会场二维码签到" in page
    assert "关于开展主题党日的通知" in page and "1 条未读" in page
    assert "欠交 1 个月" in page  # last month ended unpaid
    assert "8.0 / 32 学时" in page
    token = meetings.check_in_token(meeting)
    meetings.check_in(token, person, now=timezone.now())
    assert "已于" in client.get(reverse("home:member")).content.decode()
    assert meeting.pk  # the meeting the member checked in to


def test_the_member_page_needs_a_person(client, world):
    client.force_login(world.user(Role.OFFICE))
    assert client.get(reverse("home:member")).status_code == 404


class TestMemberPage(ScopedPageTest):
    viewer_role = Role.MEMBER
    outsider_status = 404  # hospital B's account has no person

    def viewer(self, world):
        if not hasattr(self, "_person"):
            self._person = member_user(world.ha_b1, name="乙党员")
        return self._person.user

    def url(self, world):
        return reverse("home:member")

    def grow(self, world, n):
        person = self._person if hasattr(self, "_person") else None
        for i in range(n):
            meetings.plan_meeting(
                world.ha_b1, kind=MeetingKind.PARTY_LECTURE, topic=f"党课{i}",
                planned_on=TODAY + dt.timedelta(days=i + 1),
            )  # fmt: skip
            if person is not None:
                send_notice([person.user], f"通知{i}")
                meetings.record_study(
                    person, kind="self", title=f"自学{i}", studied_on=TODAY, hours=1
                )


class TestBranchPage(ScopedPageTest):
    viewer_role = Role.SECRETARY
    expected_text = ("本月组织生活", "近期会议", "发展党员待办", "本月党费", "任务")

    def url(self, world):
        return reverse("home:branch") + f"?org={world.ha_b1.code}"

    def grow(self, world, n):
        if not hasattr(self, "_area"):
            _, self._area = a_list(world.ha, year=TODAY.year)
        area = self._area
        for i in range(n):
            billed_member(world.ha_b1)
            meetings.plan_meeting(
                world.ha_b1, kind=MeetingKind.PARTY_LECTURE, topic=f"党课{i}",
                planned_on=TODAY + dt.timedelta(days=i + 1),
            )  # fmt: skip
            a_task(area, world.ha_b1, due=TODAY + dt.timedelta(days=i), title=f"任务{i}")
        dues.generate_bills(THIS_MONTH, world.ha.path)


def test_the_branch_page_counts_this_months_dues_and_overdue_tasks(client, world):
    paid, _unpaid = billed_member(world.ha_b1, name="已交"), billed_member(world.ha_b1)
    billed_member(world.ha_b2, name="别的支部")
    dues.generate_bills(THIS_MONTH, world.ha.path)
    dues.record_payment(paid, [THIS_MONTH], paid_on=TODAY, method="cash")
    _, area = a_list(world.ha, year=TODAY.year)
    late = a_task(area, world.ha_b1, due=TODAY - dt.timedelta(days=1), title="逾期的任务")
    assert late.state == TaskState.OPEN
    client.force_login(world.user(Role.SECRETARY))
    page = client.get(reverse("home:branch"), {"org": world.ha_b1.code}).content.decode()
    assert "已交 1 / 2 人" in page and "未交 1 人，待收 45.00 元" in page
    assert "逾期的任务" in page and "1 项逾期" in page


def test_the_branch_page_lists_the_months_activities_and_links_planning(client, world):
    make_member(world.ha_b1)
    meetings.plan_meeting(
        world.ha_b1, kind=MeetingKind.THEME_DAY, topic="主题党日", planned_on=TODAY
    )
    client.force_login(world.user(Role.SECRETARY))
    page = client.get(reverse("home:branch"), {"org": world.ha_b1.code}).content.decode()
    assert "主题党日" in page and "已安排" in page
    assert reverse("meetings:new") in page  # the other required activities can be planned


def _evidence():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4 evidence", name="佐证.pdf")


def test_the_office_queue_lists_what_waits_for_it(client, world):
    mover = make_member(world.hb_b1, name="转入同志")
    start_transfer(mover, world.ha_b1, TODAY)
    hardship = billed_member(world.ha_b1, name="困难同志")
    dues.apply_reduction(
        hardship, from_month=THIS_MONTH, to_month=THIS_MONTH, amount=0, reason="长期患病",
        applied_on=TODAY,
    )  # fmt: skip
    _, area = a_list(world.ha, year=TODAY.year)
    task = a_task(area, world.ha_b1, due=TODAY, title="申请销号的任务")
    tasks.apply_close(task, summary="已完成", files=[_evidence()], today=TODAY)
    client.force_login(world.user(Role.OFFICE))
    page = client.get(reverse("home:office")).content.decode()
    assert "转入同志" in page and "待接收" in page
    assert "困难同志" in page and "少交免交党费待审批" in page
    assert "申请销号的任务" in page and "销号申请待审核" in page
    client.force_login(world.user(Role.OFFICE, "B"))  # the sender sees no incoming transfer
    assert "转入同志（来自" not in client.get(reverse("home:office")).content.decode()


class TestOfficeQueue(ScopedPageTest):
    expected_text = ("待办", "发展党员", "党费")

    def url(self, world):
        return reverse("home:office") + f"?org={world.ha.code}"

    def grow(self, world, n):
        if not hasattr(self, "_area"):
            _, self._area = a_list(world.ha, year=TODAY.year)
        for i in range(n):
            person = billed_member(world.ha_b1)
            dues.apply_reduction(
                person, from_month=THIS_MONTH, to_month=THIS_MONTH, amount=0, reason="患病",
                applied_on=TODAY,
            )  # fmt: skip
            task = a_task(self._area, world.ha_b1, due=TODAY, title=f"任务{i}")
            tasks.apply_close(task, summary="已完成", files=[_evidence()], today=TODAY)
            start_transfer(make_member(world.hb_b1), world.ha_b2, TODAY)


def test_the_branch_page_lists_running_periods_and_counts_the_missed_ones(world):
    from dangjian.home.glance import branch_glance_for
    from dangjian.people.models import Person

    day = dt.date(2025, 12, 4)
    make_member(world.ha_b1)
    theme_day = meetings.plan_meeting(
        world.ha_b1,
        kind=MeetingKind.THEME_DAY,
        topic="十二月主题党日",
        planned_on=dt.date(2025, 12, 15),
    )
    people = Person.objects.filter(organization=world.ha_b1)
    glance = branch_glance_for(world.user(Role.SECRETARY), world.ha_b1, people, day)
    listed = {
        (item["activity"].kind, item["activity"].due_on): item["planned"]
        for item in glance.activities
    }
    assert listed[(MeetingKind.THEME_DAY, dt.date(2025, 12, 15))] == theme_day
    assert all(day in item["activity"].period for item in glance.activities)
    assert glance.missed >= 11  # the theme days of January to November, never held


def test_mid_year_the_branch_page_shows_this_month_not_the_months_ahead(world):
    from dangjian.home.glance import branch_glance_for
    from dangjian.people.models import Person

    make_member(world.ha_b1)
    people = Person.objects.filter(organization=world.ha_b1)
    glance = branch_glance_for(world.user(Role.SECRETARY), world.ha_b1, people, dt.date(2025, 6, 4))
    theme_days = [
        i["activity"].due_on
        for i in glance.activities
        if i["activity"].kind == MeetingKind.THEME_DAY
    ]
    assert theme_days == [dt.date(2025, 6, 15)]  # June's only, not July's to December's


def test_the_office_queue_shows_adjustments_to_approve_and_failed_messages(client, world):
    from decimal import Decimal

    from dangjian.notices.models import Dispatch, Webhook
    from dangjian.points import services as points

    points.propose(
        make_member(world.ha_b1), Decimal(2), "表彰", TODAY, by=world.user(Role.SECRETARY)
    )
    robot = Webhook.objects.create(
        organization=world.ha_b1,
        channel="wecom",
        name="支部群",
        url="https://qyapi.weixin.qq.com/x",
    )
    Dispatch.objects.create(
        channel="wecom", webhook=robot, organization=world.ha_b1, title="提醒", state="failed"
    )
    client.force_login(world.user(Role.OFFICE))
    page = client.get(reverse("home:office")).content.decode()
    assert "1 项加减分待审核" in page and "1 条消息发送失败" in page
    client.force_login(world.user(Role.OFFICE, "B"))
    page = client.get(reverse("home:office")).content.decode()
    assert "加减分待审核" not in page and "消息发送失败" not in page
