"""Recording decisions through the services: quorum and majority refused with nothing
written, written opinions not counted, the president's office discussing first, the
boundary setting, and the figures."""

import datetime as dt

import pytest

from dangjian.core.models import AuditEntry
from dangjian.dashboard.stats import compute_stats
from dangjian.decisions import queries, services
from dangjian.decisions.models import AgendaItem, MajorMatter, MatterStatus
from dangjian.decisions.services import DecisionError, OutcomeInput

from .builders import committee, matter, meeting_with

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 1)


def _unchanged(item):
    item.refresh_from_db()
    item.matter.refresh_from_db()
    return item.outcome == "pending" and item.matter.status == MatterStatus.PROPOSED


def test_no_decision_without_quorum_and_nothing_written(world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=3)
    item = services.add_agenda_item(meeting, matter(world.ha))
    audits = AuditEntry.objects.count()
    with pytest.raises(DecisionError, match="未达到法定人数") as refused:
        services.record_outcome(item, OutcomeInput("approved", "同意", 3), today=TODAY)
    assert "半数以上委员到会" in str(refused.value)
    assert _unchanged(item) and AuditEntry.objects.count() == audits


def test_majority_of_those_who_should_attend_not_of_those_present(world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=5)
    item = services.add_agenda_item(meeting, matter(world.ha))
    with pytest.raises(DecisionError, match="未过应到会人数的半数"):
        services.record_outcome(item, OutcomeInput("approved", "同意", 3, 2), today=TODAY)
    assert _unchanged(item)
    services.record_outcome(item, OutcomeInput("approved", "同意", 4, 1), today=TODAY)
    item.matter.refresh_from_db()
    assert item.matter.status == MatterStatus.APPROVED and item.matter.decided_on == D(2025, 3, 10)


def test_written_opinions_of_absent_members_are_not_votes(world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=4)
    services.set_attendance(
        meeting, members[6], state="leave", reason="公出", written_opinion="同意"
    )
    item = services.add_agenda_item(meeting, matter(world.ha))
    with pytest.raises(DecisionError, match="书面意见不计入"):
        services.record_outcome(item, OutcomeInput("approved", "同意", 5), today=TODAY)
    with pytest.raises(DecisionError, match="到会人员当场表决"):
        services.set_attendance(meeting, members[0], state="present", written_opinion="同意")


def test_key_appointments_need_two_thirds_present(world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=4)
    appointment = services.add_agenda_item(
        meeting, matter(world.ha, "key_appointment", title="任免")
    )
    budget = services.add_agenda_item(meeting, matter(world.ha, title="预算"))
    with pytest.raises(DecisionError, match="三分之二"):
        services.record_outcome(appointment, OutcomeInput("approved", "同意", 4), today=TODAY)
    services.record_outcome(budget, OutcomeInput("approved", "同意", 4), today=TODAY)
    # Attendance is fixed once a decision is taken.
    with pytest.raises(DecisionError, match="不能再修改"):
        services.set_attendance(meeting, members[5], state="present")


def test_a_rejection_is_recorded_when_the_majority_is_missing(world):
    members = committee(world.ha, 7)
    item = services.add_agenda_item(meeting_with(world.ha, members, present=7), matter(world.ha))
    with pytest.raises(DecisionError, match="结果应为“通过”"):
        services.record_outcome(item, OutcomeInput("rejected", "不同意", 4, 3), today=TODAY)
    services.record_outcome(item, OutcomeInput("rejected", "暂缓", 3, 4), today=TODAY)
    item.matter.refresh_from_db()
    assert item.matter.status == MatterStatus.REJECTED


def test_president_office_discusses_first_unless_the_hospital_lets_it_decide(world):
    members = committee(world.ha, 7)
    leaders = members[:5]
    fund = matter(world.ha, "large_fund", amount="800000", title="CT采购")
    office = meeting_with(world.ha, leaders, present=5, body="president_office_meeting")
    item = services.add_agenda_item(office, fund)
    with pytest.raises(DecisionError, match="院长办公会不能决定"):
        services.record_outcome(item, OutcomeInput("approved", "同意"), today=TODAY)
    services.record_outcome(item, OutcomeInput("discussed"), today=TODAY)
    fund.refresh_from_db()
    assert fund.president_office_first and fund.status == MatterStatus.PROPOSED
    services.save_settings(
        world.ha, large_fund_threshold="500000",
        party_committee_categories=["major_decision", "key_appointment", "major_project"],
        president_office_categories=["large_fund"],
    )  # fmt: skip
    second = matter(world.ha, "large_fund", amount="900000", title="耗材采购")
    item = services.add_agenda_item(office, second)
    services.record_outcome(item, OutcomeInput("approved", "同意采购"), today=TODAY)
    second.refresh_from_db()
    assert second.status == MatterStatus.APPROVED


def test_large_fund_must_exceed_the_threshold(world):
    with pytest.raises(DecisionError, match="超过本院大额资金标准 500,000.00 元"):
        matter(world.ha, "large_fund", amount="500000")
    assert not MajorMatter.objects.exists()
    with pytest.raises(DecisionError):
        services.save_settings(world.ha, large_fund_threshold="1",
                               party_committee_categories=[], president_office_categories=[])  # fmt: skip


def test_figures_by_period_and_category(world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=6)
    for category, title in (("major_decision", "甲"), ("key_appointment", "乙")):
        found = matter(world.ha, category, title=title)
        services.add_consultation(found, held_on=D(2025, 3, 5), panel="专家组", today=TODAY)
        services.add_solicitation(found, solicited_on=D(2025, 3, 6), audience="职工", opinions=7,
                                  today=TODAY)  # fmt: skip
        item = services.add_agenda_item(meeting, found)
        services.record_outcome(item, OutcomeInput("approved", "同意", 6), today=TODAY)
    figures = compute_stats(world.ha, D(2025, 1, 1), D(2025, 12, 31))["decisions"]
    assert figures["total"] == 2 and figures["key_appointment"] == 1
    assert figures["consultations"] == 2 and figures["opinions"] == 14
    assert compute_stats(world.ha, D(2024, 1, 1), D(2024, 12, 31))["decisions"]["total"] == 0
    assert compute_stats(world.hb, D(2025, 1, 1), D(2025, 12, 31))["decisions"]["total"] == 0
    assert AgendaItem.objects.filter(outcome="approved").count() == 2


def test_majority_refusal_writes_nothing_either(world):
    members = committee(world.ha, 7)
    item = services.add_agenda_item(meeting_with(world.ha, members, present=5), matter(world.ha))
    audits = AuditEntry.objects.count()
    with pytest.raises(DecisionError) as refused:
        services.record_outcome(item, OutcomeInput("approved", "同意", 3, 1, 1), today=TODAY)
    assert any("党委会议事规则" in reason for reason in refused.value.reasons)
    with pytest.raises(DecisionError, match="多于实到的 5 人"):
        services.record_outcome(item, OutcomeInput("approved", "同意", 4, 1, 1), today=TODAY)
    assert _unchanged(item) and AuditEntry.objects.count() == audits
    assert item.meeting.state == "planned" and item.matter.decided_on is None


@pytest.mark.parametrize(("present", "accepted"), [(5, False), (6, True)])
def test_key_appointment_quorum_of_a_committee_of_nine(world, present, accepted):
    members = committee(world.ha, 9)
    meeting = meeting_with(world.ha, members, present=present)
    item = services.add_agenda_item(meeting, matter(world.ha, "key_appointment", title="任免"))
    data = OutcomeInput("approved", "同意任命", 5)
    if accepted:
        services.record_outcome(item, data, today=TODAY)
        item.matter.refresh_from_db()
        assert item.matter.status == MatterStatus.APPROVED
    else:
        with pytest.raises(DecisionError, match="三分之二以上委员到会"):
            services.record_outcome(item, data, today=TODAY)
        assert _unchanged(item)


def test_figures_count_by_the_day_held_not_the_matter(world):
    found = matter(world.ha, day=D(2024, 12, 1))
    services.add_consultation(found, held_on=D(2024, 12, 31), panel="甲", today=TODAY)
    services.add_consultation(found, held_on=D(2025, 1, 1), panel="乙", today=TODAY)
    services.add_solicitation(found, solicited_on=D(2025, 1, 1), audience="职工", opinions=4,
                              today=TODAY)  # fmt: skip
    last = queries.decision_figures(world.ha.path, D(2024, 1, 1), D(2024, 12, 31))
    this = queries.decision_figures(world.ha.path, D(2025, 1, 1), D(2025, 12, 31))
    assert (last["consultations"], last["opinions"]) == (1, 0)
    assert (this["consultations"], this["opinions"]) == (1, 4)
    assert this["total"] == 0  # not decided yet
    other = queries.decision_figures(world.hb.path, D(2024, 1, 1), D(2025, 12, 31))
    assert (other["consultations"], other["opinions"]) == (0, 0)
