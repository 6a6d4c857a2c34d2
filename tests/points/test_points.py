"""Points: caps at their boundaries, every item traceable to its record, items adding up
to the ranking's total, manual adjustments approved by a second person and undone only
by reversal, rules of a past year untouched, and the API of SPEC.md §4b."""

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.accounts.models import Role
from dangjian.meetings.models import Attendance, AttendanceState, Meeting, MeetingStatus, Study
from dangjian.points import rules, services
from dangjian.points.models import AdjustmentState
from dangjian.points.queries import member_points, totals
from dangjian.points.rules import CapPeriod, Event, RuleSpec
from tests.factories import api_auth, make_member, make_member_user, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("amounts", "cap", "earned"),
    [
        ([D(2)] * 5, D(10), [D(2)] * 5),  # exactly at the cap
        ([D(2)] * 6, D(10), [D(2)] * 5 + [D(0)]),  # one over: the sixth earns nothing
        ([D(3), D(3), D(3), D(3)], D(10), [D(3), D(3), D(3), D(1)]),  # the last partly
        ([D(-3)] * 3, D(-5), [D(-3), D(-2), D(0)]),  # a deduction's floor
        ([D(1)] * 3, None, [D(1)] * 3),
    ],
)
def test_caps_apply_in_date_order(amounts, cap, earned):
    assert rules.apply_cap(amounts, cap) == earned


@pytest.mark.parametrize(
    ("day", "period", "key"),
    [
        (dt.date(2026, 3, 31), CapPeriod.QUARTER, (2026, 1)),
        (dt.date(2026, 4, 1), CapPeriod.QUARTER, (2026, 2)),
        (dt.date(2026, 4, 1), CapPeriod.MONTH, (2026, 4)),
        (dt.date(2026, 12, 31), CapPeriod.YEAR, (2026,)),
    ],
)
def test_cap_periods(day, period, key):
    assert rules.period_key(day, period) == key


@pytest.fixture
def branch(two_hospitals):
    return two_hospitals[1]


def held(org, day, person, state, kind="party_lecture"):
    meeting = Meeting.objects.create(
        organization=org, kind=kind, topic=f"{kind}{day}", planned_on=day, held_on=day,
        status=MeetingStatus.HELD,
    )  # fmt: skip
    Attendance.objects.create(meeting=meeting, person=person, state=state)
    return meeting


SPECS = [
    RuleSpec(Event.MEETING_ATTENDED, D(2), D(4), CapPeriod.MONTH),
    RuleSpec(Event.MEETING_ATTENDED, D(5), None, CapPeriod.YEAR, "party_lecture"),
    RuleSpec(Event.ABSENT_UNEXCUSED, D(-3)),
    RuleSpec(Event.STUDY_HOUR, D("0.5"), D(2), CapPeriod.YEAR),
]


def test_every_item_names_its_record_and_they_add_up(branch):
    ha, b1, _b2 = branch
    member = make_member(b1, name="积分甲")
    lecture = held(b1, dt.date(2025, 3, 1), member, AttendanceState.PRESENT)
    for day in (2, 3, 4):  # three theme days in March: the month's cap of 4 stops the third
        held(b1, dt.date(2025, 3, day), member, AttendanceState.PRESENT, "theme_day")
    absent = held(b1, dt.date(2025, 5, 1), member, AttendanceState.ABSENT, "theme_day")
    leave = held(b1, dt.date(2025, 6, 1), member, AttendanceState.LEAVE, "theme_day")
    Study.objects.create(
        person=member, kind="online", title="网课", studied_on=dt.date(2025, 7, 1), hours=D(6)
    )
    result = member_points(member, 2025, SPECS, today=dt.date(2026, 1, 1))
    items = result["items"]
    by_source = [(i.source_type, i.source_id, i.points) for i in items]
    assert ("meetings.meeting", lecture.pk, D(5)) in by_source  # the lecture's own rule
    theme = [i.points for i in items if i.rule.startswith("参加组织生活") and i.points != D(5)]
    assert theme == [D(2), D(2), D(0)]
    assert ("meetings.meeting", absent.pk, D(-3)) in by_source
    assert not any(i.source_id == leave.pk for i in items)  # leave costs nothing
    assert [i.points for i in items if i.source_type == "meetings.study"] == [D(2)]  # 3 capped at 2
    assert result["total"] == sum(i.points for i in items) == D(8)
    assert totals([member.pk], 2025, SPECS, today=dt.date(2026, 1, 1)) == {member.pk: D(8)}


def test_adjustments_need_a_second_person_and_are_undone_by_reversal(branch):
    ha, b1, _b2 = branch
    member = make_member(b1)
    proposer, approver = make_user("p", Role.OFFICE, ha), make_user("q", Role.OFFICE, ha)
    today = dt.date.today()
    adjustment = services.propose(member, D(5), "抗疫一线突出表现", today, by=proposer)
    assert member_points(member, today.year, [])["total"] == 0  # pending: not in force
    with pytest.raises(services.PointsError, match="提出人以外"):
        services.decide(adjustment, True, by=proposer)
    services.decide(adjustment, True, by=approver)
    result = member_points(member, today.year, [])
    assert result["total"] == D(5)
    assert "抗疫一线突出表现" in result["items"][0].source and "q" in result["items"][0].source
    reversal = services.reverse(adjustment, "重复加分", by=approver)
    services.decide(reversal, True, by=proposer)
    adjustment.refresh_from_db()
    assert (
        adjustment.points == D(5) and adjustment.state == AdjustmentState.APPROVED
    )  # never edited
    result = member_points(member, today.year, [])
    assert result["total"] == 0 and len(result["items"]) == 2
    with pytest.raises(services.PointsError, match="已有冲销"):
        services.reverse(adjustment, "again", by=approver)


def test_a_zero_or_unreasoned_adjustment_is_refused(branch):
    ha, b1, _b2 = branch
    member = make_member(b1)
    office = make_user("p", Role.OFFICE, ha)
    with pytest.raises(services.PointsError) as refused:
        services.propose(member, D(0), " ", dt.date.today(), by=office)
    assert {"加减分不能为 0", "请填写加减分的理由"} <= set(refused.value.reasons)


def test_a_past_years_rules_stay_as_they_were(branch):
    ha, _b1, _b2 = branch
    this_year = dt.date.today().year
    with pytest.raises(services.PointsError, match="已结束"):
        services.save_rules(ha, this_year - 1, list(rules.DEFAULT_RULES))
    mine = [RuleSpec(Event.MEETING_ATTENDED, D(3))]
    services.save_rules(ha, this_year, mine)
    assert services.rules_for(ha, this_year) == mine
    assert services.rules_for(ha, this_year + 1) == mine  # carried forward
    assert services.rules_for(ha, this_year - 1) == list(rules.DEFAULT_RULES)


def test_the_api_lists_a_members_points_and_hides_other_hospitals(client, two_hospitals):
    _g, (ha, b1, _b2), (hb, _x, _y) = two_hospitals
    member = make_member_user(b1, "pm")
    proposer, approver = make_user("p", Role.OFFICE, ha), make_user("q", Role.OFFICE, ha)
    services.decide(
        services.propose(member, D(3), "志愿者表彰", dt.date.today(), by=proposer),
        True,
        by=approver,
    )
    auth = api_auth(client, member.user)
    body = client.get(f"/api/v1/points/members/{member.pk}", **auth).json()
    assert float(body["total"]) == 3
    assert body["items"][0]["source"].startswith("加分：志愿者表彰")
    assert {"points", "rule", "source", "on"} <= set(body["items"][0])
    other = api_auth(client, make_user("b", Role.OFFICE, hb))
    assert client.get(f"/api/v1/points/members/{member.pk}", **other).status_code == 404


def test_a_cultivator_earns_points_for_the_step_naming_them(branch):
    from dangjian.development.models import DevelopmentStep, StepParticipant
    from dangjian.development.steps import ParticipantRole, StepCode

    _ha, b1, _b2 = branch
    cultivator, candidate = make_member(b1, name="联系人甲"), make_member(b1, name="积极分子乙")
    step = DevelopmentStep.objects.create(
        person=candidate, organization=b1, code=StepCode.values[2], done_on=dt.date(2025, 4, 1),
        effective_on=dt.date(2025, 4, 1),
    )  # fmt: skip
    StepParticipant.objects.create(step=step, person=cultivator, role=ParticipantRole.values[0])
    result = member_points(cultivator, 2025, list(rules.DEFAULT_RULES), today=dt.date(2026, 1, 1))
    item = result["items"][0]
    assert (item.source_type, item.source_id, item.points) == (
        "development.developmentstep",
        step.pk,
        D(2),
    )
    assert item.source.startswith("发展党员：担任")


def test_honours_of_the_year_score_by_level_naming_the_honour(branch):
    from dangjian.honors.models import Honor

    _ha, b1, _b2 = branch
    member = make_member(b1, name="荣誉甲")

    def honour(level, on, title="优秀共产党员"):
        return Honor.objects.create(
            organization=b1, person=member, category="outstanding_member", title=title,
            level=level, awarded_on=on, awarded_by="市委卫生健康工委",
        )  # fmt: skip

    city = honour("city", dt.date(2025, 6, 28))
    national = honour("national", dt.date(2025, 12, 31), "全国优秀共产党员")
    honour("province", dt.date(2024, 12, 31))  # last year's: not this year's points
    revoked = honour("province", dt.date(2025, 3, 1))
    revoked.revoked_on, revoked.revoke_reason = dt.date(2025, 3, 2), "误录"
    revoked.save()  # a revoked honour scores nothing
    Honor.objects.create(  # the branch's own honour scores no member
        organization=b1, category="four_strong", title="四强党支部", level="city",
        awarded_on=dt.date(2025, 7, 1), awarded_by="市委卫生健康工委",
    )  # fmt: skip
    result = member_points(member, 2025, list(rules.DEFAULT_RULES), today=dt.date(2026, 1, 1))
    items = [(i.source_type, i.source_id, i.points, i.rule) for i in result["items"]]
    assert items == [
        ("honors.honor", city.pk, D(5), "获市级荣誉"),
        ("honors.honor", national.pk, D(20), "获国家级荣誉"),
    ]
    assert result["items"][1].source == "荣誉：全国优秀共产党员（国家级，市委卫生健康工委）"
    assert totals([member.pk], 2025, list(rules.DEFAULT_RULES)) == {member.pk: D(25)}
    without_city = [s for s in rules.DEFAULT_RULES if s.event != Event.HONOUR_CITY]
    assert member_points(member, 2025, without_city, today=dt.date(2026, 1, 1))["total"] == D(20)
