"""Co-building and brands at the demo hospital (seeds 001, 003, 004): a branch paired with
a community, another in a 医联体 agreement with DEMO-H04 (whose office sees it from its
side), an alliance of three demo hospitals led by DEMO-H01 with a joint event, and two
brands with the records that show them. Every name is fictitious; the same day gives the
same records."""

import datetime as dt
from decimal import Decimal

from dangjian.brands import services as brands
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person
from dangjian.service import cobuilding, services
from dangjian.service.rules import ActivityKind, PartnerKind

from .hospitals_a import H01_ACCOUNT_BRANCH

HOSPITAL = "DEMO-H01"


def _activity(org, people, title, held_on, served, kind=ActivityKind.CLINIC, **link):
    return services.record_activity(
        org,
        services.ActivityInput(
            kind=kind, title=title, held_on=held_on, hours=Decimal("3"), people_served=served,
            volunteers=people, place="锦华社区党群服务中心", **link,
        ),
    )  # fmt: skip


def _team(org, n=4) -> list:
    return list(Person.objects.filter(organization=org).order_by("pk")[:n])


def load_demo_cobuilding(today: dt.date) -> None:
    hospital = Organization.objects.get(code=HOSPITAL)
    own = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    other = (
        Organization.objects.filter(path__startswith=hospital.path, kind=OrgKind.BRANCH,
                                    dissolved_on__isnull=True)
        .exclude(pk=own.pk).order_by("path").first()
    )  # fmt: skip
    community = cobuilding.create_partnership(
        own,
        cobuilding.PartnershipInput(
            title="“健康进社区”结对共建协议", partner_kind=PartnerKind.COMMUNITY,
            partner_name="示例市城南街道锦华社区党委", signed_on=today - dt.timedelta(days=300),
            ends_on=today + dt.timedelta(days=430),
            content="每月一次社区义诊和健康宣教；为辖区慢病老人建立家庭医生联系卡；"
            "双方党员共过主题党日。",
            contact="社区党委书记 林某（示例）",
        ),
    )  # fmt: skip
    team = _team(own)
    for i, served in enumerate((180, 240, 95, 310)):
        _activity(own, team, f"锦华社区共建义诊（第{i + 1}次）",
                  today - dt.timedelta(days=270 - i * 70), served, partnership=community)  # fmt: skip
    union = cobuilding.create_partnership(
        other,
        cobuilding.PartnershipInput(
            title="医联体党建共建协议", partner_kind=PartnerKind.MEDICAL_UNION,
            partner_org=Organization.objects.get(code="DEMO-H04"),
            signed_on=today - dt.timedelta(days=200),
            content="专家下沉坐诊、双向转诊、业务培训与支部联学。",
            contact="医联体办公室（示例）",
        ),
    )  # fmt: skip
    _activity(other, _team(other, 3), "医联体专家下沉联合义诊", today - dt.timedelta(days=120),
              150, partnership=union)  # fmt: skip
    _activity(other, _team(other, 2), "医联体基层医生业务培训", today - dt.timedelta(days=45),
              40, kind=ActivityKind.HEALTH_TALK, partnership=union)  # fmt: skip
    alliance = cobuilding.create_alliance(
        hospital,
        cobuilding.AllianceInput(
            name="示例市医院党建联盟", founded_on=today - dt.timedelta(days=240),
            members=list(Organization.objects.filter(code__in=("DEMO-H02", "DEMO-H03"))),
            outside=[("示例医学院党委", PartnerKind.SCHOOL)],
            charter="牵头单位轮值召集，每季度一次联席会议；党建经验交流、专家联合义诊、"
            "党员教育资源共享。",
        ),
    )  # fmt: skip
    joint = _activity(hospital, _team(own, 2) + _team(other, 2), "党建联盟联合义诊进社区",
                      today - dt.timedelta(days=60), 520, alliance=alliance)  # fmt: skip
    branch_brand = brands.create_brand(
        own,
        brands.BrandInput(
            name="健康守门人", idea="支部建在科室上，党员守在群众身边。",
            measures="与社区结对共建；党员认领慢病老人联系卡；每月主题党日进社区。",
            results="一年来共建义诊 4 次，服务群众 800 余人次。", founded_year=today.year - 2,
        ),
    )  # fmt: skip
    brands.add_evidence(branch_brand, "partnership", community.pk, "品牌的主要载体")
    for activity in community.activities.order_by("held_on")[:2]:
        brands.add_evidence(branch_brand, "activity", activity.pk)
    meeting = (
        Meeting.objects.filter(organization=own, status__in=(MeetingStatus.HELD,
                                                              MeetingStatus.FILED))
        .order_by("-held_on").first()
    )  # fmt: skip
    if meeting is not None:
        brands.add_evidence(branch_brand, "meeting", meeting.pk, "主题党日进社区")
    hospital_brand = brands.create_brand(
        hospital,
        brands.BrandInput(
            name="医心向党 · 姓党为民", idea="党建引领医院高质量发展。",
            measures="牵头成立医院党建联盟；医联体党建共建；“一支部一品牌”。",
            results="联盟联合义诊服务群众 500 余人次。", founded_year=today.year - 3,
        ),
    )  # fmt: skip
    brands.add_evidence(hospital_brand, "activity", joint.pk, "党建联盟联合活动")
    brands.add_evidence(hospital_brand, "partnership", union.pk)
