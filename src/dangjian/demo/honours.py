"""The demo's honours (seed 003: the city commends model branches and members): demo_member
is this year's hospital-level 优秀共产党员 (so their points show an honour) and their
secretary last year's 优秀党务工作者; the city's 四强党支部 round is finished (demo_member's
branch and a branch of DEMO-H02 commended) and its 优秀共产党员 round open, with
demo_member recommended. Fictitious 文号."""

import datetime as dt

from django.contrib.auth import get_user_model

from dangjian.honors import rounds
from dangjian.honors.services import HonorInput, record_honor
from dangjian.orgs.models import Organization, OrgKind

from .hospitals_a import H01_ACCOUNT_BRANCH


def load_demo_honours(today: dt.date) -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_secretary", "demo_member", "demo_guidance"], field_name="username"
    )
    office, guidance = users["demo_office"], users["demo_guidance"]
    branch = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    year = today.year
    entries = [
        (HonorInput(None, users["demo_member"].person, "outstanding_member", "hospital",
                    today - dt.timedelta(days=20), "DEMO-H01 医院党委", document_no=f"院党委〔{year}〕7号"),
         office),
        (HonorInput(None, users["demo_secretary"].person, "outstanding_worker", "province",
                    dt.date(year - 1, 6, 28), "省卫生健康委党组", document_no=f"卫党〔{year - 1}〕21号"),
         office),
    ]  # fmt: skip
    for data, by in entries:
        record_honor(data, by=by, today=today)
    _finished_round(
        today, guidance, office, [branch, _first_branch("DEMO-H02"), _first_branch("DEMO-H04")]
    )
    _open_round(today, guidance, office, users["demo_member"].person)


def _first_branch(hospital_code: str) -> Organization:
    hospital = Organization.objects.get(code=hospital_code)
    return (
        Organization.objects.filter(path__startswith=hospital.path, kind=OrgKind.BRANCH,
                                    dissolved_on__isnull=True)
        .order_by("path").first()
    )  # fmt: skip


def _hospital(org: Organization) -> Organization:
    return Organization.objects.get(path=org.hospital_path)


def _finished_round(today, guidance, office, branches) -> None:
    """The city's 四强党支部 round of this year, done: three hospitals recommended a
    branch each, two were commended after the 公示 (DEMO-H01's account branch one)."""
    start = today - dt.timedelta(days=75)
    data = rounds.RoundInput(
        title=f"{today.year}年度全市四强党支部评选",
        criteria="政治功能强、支部班子强、党员队伍强、作用发挥强；近三年无违纪违法情况",
        level="city", recommend_by=start + dt.timedelta(days=14),
        categories=[("four_strong", "", 2)],
    )  # fmt: skip
    round_ = rounds.open_round(_city(guidance), data, by=guidance, today=start)
    category = round_.categories.get()
    nominations = [
        rounds.recommend(
            rounds.NominationInput(
                category,
                _hospital(b),
                None,
                b,
                f"{b.name}推行“支部建在科室上”，党员示范岗覆盖全部病区",
                [],
            ),
            by=office,
            today=start + dt.timedelta(days=7),
        )  # fmt: skip
        for b in branches
        if b is not None
    ]
    closed = start + dt.timedelta(days=15)
    rounds.close_recommendations(round_, [guidance], closed + dt.timedelta(days=7),
                                 by=guidance, today=closed)  # fmt: skip
    for nomination, score in zip(nominations, ("94", "90", "82"), strict=False):
        rounds.review(nomination, score, "材料翔实，成效明显", by=guidance, today=closed)
    notice_ends = start + dt.timedelta(days=30)
    rounds.publish_shortlist(round_, nominations[:2], notice_ends, by=guidance,
                             today=start + dt.timedelta(days=23))  # fmt: skip
    rounds.record_objection(nominations[0], "反映该支部三会一课记录不全",
                            "经核查记录齐全，异议不成立", False, by=guidance,
                            today=start + dt.timedelta(days=25))  # fmt: skip
    rounds.approve(round_, f"卫党指〔{today.year}〕3号", by=guidance, today=notice_ends)


def _open_round(today, guidance, office, member) -> None:
    """This year's 优秀共产党员 round, open for recommendations with one in."""
    data = rounds.RoundInput(
        title=f"{today.year}年度全市优秀共产党员评选", criteria="理想信念坚定，立足岗位作贡献",
        level="city", recommend_by=today + dt.timedelta(days=14),
        categories=[("outstanding_member", "", 5), ("outstanding_worker", "", 3)],
    )  # fmt: skip
    round_ = rounds.open_round(_city(guidance), data, by=guidance, today=today)
    rounds.recommend(
        rounds.NominationInput(round_.categories.first(), _hospital(member.organization), member,
                               None, "长期参加义诊志愿服务，获患者书面表扬", []),
        by=office, today=today,
    )  # fmt: skip


def _city(guidance_user) -> Organization:
    return guidance_user.grants.get(role="guidance").organization
