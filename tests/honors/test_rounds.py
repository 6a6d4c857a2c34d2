"""A selection round (评选) through its stages: opened by the guidance committee, two
hospitals recommend, a reviewer scores, the shortlist within the quota goes to 公示, an
upheld objection takes one off, approval creates the honours; each stage audited, and
each refusal in Chinese writing nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.honors import queries, rounds
from dangjian.honors.models import Honor, Nomination, RoundState, SelectionRound
from dangjian.honors.services import HonorError
from dangjian.orgs.models import OrgKind
from tests.factories import add_org, make_member, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def _open(world, quota=1):
    data = rounds.RoundInput(
        title="2026年度四强党支部评选", criteria="政治功能强、支部班子强、党员队伍强、作用发挥强",
        level="city", recommend_by=TODAY + dt.timedelta(days=10),
        categories=[("four_strong", "", quota), ("outstanding_member", "", 2)],
    )  # fmt: skip
    return rounds.open_round(
        world.guidance, data, by=make_user("guide", Role.GUIDANCE, world.guidance), today=TODAY
    )


def _close(world, round_, today=TODAY):
    """Close the recommendations with a panel of one guidance reviewer, who is returned."""
    reviewer = make_user(f"reviewer-{round_.pk}", Role.GUIDANCE, world.guidance)
    rounds.close_recommendations(round_, [reviewer], today + dt.timedelta(days=5), today=today)
    return reviewer


def _recommend(round_, unit, *, org=None, person=None, index=0, today=TODAY):
    category = round_.categories.all()[index]
    scan = SimpleUploadedFile("事迹材料.pdf", b"%PDF-1.4")
    data = rounds.NominationInput(category, unit, person, org, "支部标准化建设成效显著", [scan])
    return rounds.recommend(data, today=today)


def test_a_full_round_creates_the_honours_of_the_shortlist(world):
    round_ = _open(world)
    a = _recommend(round_, world.ha, org=world.ha_b1)
    b = _recommend(round_, world.hb, org=world.hb_b1)
    member = make_member(world.ha_b2)
    m = _recommend(round_, world.ha, person=member, index=1)
    assert a.materials.get().original_name == "事迹材料.pdf"
    reviewer = _close(world, round_)
    for nomination, score in ((a, "92.5"), (b, "88"), (m, "90")):
        rounds.review(nomination, score, "事迹突出", by=reviewer, today=TODAY)
    with pytest.raises(HonorError, match="名额为 1，已选 2"):
        rounds.publish_shortlist(round_, [a, b], TODAY + dt.timedelta(days=5), today=TODAY)
    assert not Nomination.objects.filter(shortlisted=True).exists()
    rounds.publish_shortlist(round_, [a, m], TODAY + dt.timedelta(days=5), today=TODAY)
    rounds.record_objection(m, "反映其考勤有误", "经核实不属实，维持推荐", False, today=TODAY)
    with pytest.raises(HonorError, match="期满后方可审定"):
        rounds.approve(round_, "卫党指〔2026〕9号", today=TODAY)
    honours = rounds.approve(round_, "卫党指〔2026〕9号", today=TODAY + dt.timedelta(days=5))
    assert {(h.organization, h.person, h.title, h.level) for h in honours} == {
        (world.ha_b1, None, "四强党支部", "city"),
        (world.ha_b2, member, "优秀共产党员", "city"),
    }
    assert Honor.objects.get(nomination=a).document_no == "卫党指〔2026〕9号"
    assert SelectionRound.objects.get().state == RoundState.APPROVED
    actions = list(
        AuditEntry.objects.filter(action__startswith="honors.").values_list("action", flat=True)
    )
    for stage in ("round_open", "recommend", "round_review", "review", "round_notice",
                  "objection", "round_approve"):  # fmt: skip
        assert f"honors.{stage}" in actions
    history = [what for _when, _who, what in queries.round_history(round_)]
    assert history[0] == "发起评选" and history[-1] == "审定评选结果"
    assert history.count("评审打分") == 3


def test_an_upheld_objection_takes_the_nomination_off_the_shortlist(world):
    round_ = _open(world)
    a = _recommend(round_, world.ha, org=world.ha_b1)
    _close(world, round_)
    rounds.publish_shortlist(round_, [a], TODAY, today=TODAY)
    rounds.record_objection(a, "支部书记长期空缺", "经核实属实，取消推荐", True, today=TODAY)
    with pytest.raises(HonorError, match="公示名单为空"):
        rounds.approve(round_, "卫党指〔2026〕9号", today=TODAY)
    assert not Honor.objects.exists()


@pytest.mark.parametrize(
    ("unit", "candidate", "index", "today", "message"),
    [
        ("ha", "hb_b1", 0, TODAY, "只能推荐本单位的党员或党组织"),
        ("ha", "ha_b1", 1, TODAY, "推荐的是党员"),
        ("ha", "ha_b1", 0, TODAY + dt.timedelta(days=11), "推荐已于 2026-06-11 截止"),
    ],
)
def test_refused_recommendations_write_nothing(world, unit, candidate, index, today, message):
    round_ = _open(world)
    with pytest.raises(HonorError, match=message):
        _recommend(
            round_, getattr(world, unit), org=getattr(world, candidate), index=index, today=today
        )
    assert not Nomination.objects.exists()


def test_a_hospitals_round_does_not_take_another_hospitals_units(world):
    office = make_user("office-a", Role.OFFICE, world.ha)
    data = rounds.RoundInput("院内评选", "条件", "hospital", TODAY, [("four_strong", "", 1)])
    round_ = rounds.open_round(world.ha, data, by=office, today=TODAY)
    with pytest.raises(HonorError, match="不在本次评选范围内"):
        _recommend(round_, world.hb, org=world.hb_b1)
    assert list(SelectionRound.objects.visible_to(office)) == [round_]
    assert (
        list(SelectionRound.objects.visible_to(make_user("office-b", Role.OFFICE, world.hb))) == []
    )


def test_a_review_is_refused_outside_the_review_stage_and_out_of_range(world):
    round_ = _open(world)
    a = _recommend(round_, world.ha, org=world.ha_b1)
    stranger = make_user("reviewer", Role.GUIDANCE, world.guidance)
    with pytest.raises(HonorError, match="推荐中，不能评审"):
        rounds.review(a, "90", "", by=stranger, today=TODAY)
    reviewer = _close(world, round_)
    with pytest.raises(HonorError, match="0 到 100"):
        rounds.review(a, "120", "", by=reviewer, today=TODAY)
    with pytest.raises(HonorError, match="不是本次评选的评审组成员"):
        rounds.review(a, "90", "", by=stranger, today=TODAY)
    with pytest.raises(HonorError, match="评审已于 2026-06-06 截止"):
        rounds.review(a, "90", "", by=reviewer, today=TODAY + dt.timedelta(days=6))
    assert not a.reviews.exists()


def test_closing_needs_a_panel_of_the_organisers_party_workers(world):
    round_ = _open(world)
    _recommend(round_, world.ha, org=world.ha_b1)
    member = make_user("a-member", Role.MEMBER, world.ha_b1)  # not a Party worker
    with pytest.raises(HonorError, match="请指定评审组成员"):
        rounds.close_recommendations(round_, [], TODAY, today=TODAY)
    with pytest.raises(HonorError, match="不能担任本次评选的评审组成员"):
        rounds.close_recommendations(round_, [member], TODAY, today=TODAY)
    with pytest.raises(HonorError, match="评审截止日期不能早于今天"):
        rounds.close_recommendations(
            round_, [make_user("guide-x", Role.GUIDANCE, world.guidance)],
            TODAY - dt.timedelta(days=1), today=TODAY,
        )  # fmt: skip
    round_.refresh_from_db()
    assert round_.state == RoundState.OPEN and not round_.reviewers.exists()


def test_a_reviewer_recuses_from_their_own_units_recommendations(world):
    round_ = _open(world)
    a = _recommend(round_, world.ha, org=world.ha_b1)
    b = _recommend(round_, world.hb, org=world.hb_b1)
    office_a = make_user("office-a", Role.OFFICE, world.ha, organization=world.ha)
    rounds.close_recommendations(round_, [office_a], TODAY, today=TODAY)
    with pytest.raises(HonorError, match="回避本单位的推荐"):
        rounds.review(a, "90", "", by=office_a, today=TODAY)
    rounds.review(b, "90", "", by=office_a, today=TODAY)
    assert list(SelectionRound.objects.visible_to(office_a)) == [round_]


def test_the_panel_changes_during_the_review_and_newcomers_are_told(world):
    round_ = _open(world)
    a = _recommend(round_, world.ha, org=world.ha_b1)
    first = _close(world, round_)
    rounds.review(a, "90", "", by=first, today=TODAY)
    second = make_user("second", Role.GUIDANCE, world.guidance)
    rounds.change_panel(round_, [second], TODAY + dt.timedelta(days=9), today=TODAY)
    assert list(round_.reviewers.all()) == [second]
    assert a.reviews.get().reviewer == first  # a score given stays
    assert second.notices.filter(title__startswith="请评审").count() == 1
    assert first.notices.filter(title__startswith="请评审").count() == 1


@pytest.mark.parametrize(
    ("own", "candidate", "recused"),
    [
        ("ha_b2", "ha_b2", True),  # their own branch
        ("ha_b2", "group", True),  # a Party group of their branch
        ("ha_b2", "ha_b1", False),  # another branch of the hospital
        ("ha", "ha_b1", False),  # the organiser's own office: whose round it is
    ],
)
def test_recusal_in_a_hospitals_round(world, own, candidate, recused):
    group = add_org(world.ha_b2, "HA-B2-G1", OrgKind.GROUP, "第一党小组")
    orgs = {"group": group, "ha_b1": world.ha_b1, "ha_b2": world.ha_b2}
    office = make_user("office-round", Role.OFFICE, world.ha)
    data = rounds.RoundInput("院内评选", "条件", "hospital", TODAY, [("outstanding_member", "", 2)])
    round_ = rounds.open_round(world.ha, data, by=office, today=TODAY)
    nominee = make_member(orgs[candidate])
    nomination = rounds.recommend(
        rounds.NominationInput(round_.categories.get(), world.ha, nominee, None, "事迹", []),
        today=TODAY,
    )
    role = {"ha_b2": Role.SECRETARY, "ha": Role.OFFICE}[own]
    reviewer = make_user("reviewer-x", role, getattr(world, own))
    rounds.close_recommendations(round_, [reviewer], TODAY, today=TODAY)
    if recused:
        with pytest.raises(HonorError, match="回避本单位的推荐"):
            rounds.review(nomination, "90", "", by=reviewer, today=TODAY)
    else:
        assert rounds.review(nomination, "90", "", by=reviewer, today=TODAY).score == 90
