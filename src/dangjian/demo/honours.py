"""The demo's honours (seed 003: the city commends model branches and members): demo_member
is this year's hospital-level 优秀共产党员 (so their points show an honour), their branch
a city-level 四强党支部 recorded by the guidance committee, their secretary last year's
优秀党务工作者, and a branch of the second hospital a 先进基层党组织. Fictitious 文号."""

import datetime as dt

from django.contrib.auth import get_user_model

from dangjian.honors.services import HonorInput, record_honor
from dangjian.orgs.models import Organization, OrgKind

from .hospitals_a import H01_ACCOUNT_BRANCH


def load_demo_honours(today: dt.date) -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_secretary", "demo_member", "demo_guidance"], field_name="username"
    )
    office, guidance = users["demo_office"], users["demo_guidance"]
    branch = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    h02_branch = (
        Organization.objects.filter(path__startswith=Organization.objects.get(code="DEMO-H02").path,
                                    kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        .order_by("path").first()
    )  # fmt: skip
    year = today.year
    entries = [
        (HonorInput(None, users["demo_member"].person, "outstanding_member", "hospital",
                    today - dt.timedelta(days=20), "DEMO-H01 医院党委", document_no=f"院党委〔{year}〕7号"),
         office),
        (HonorInput(branch, None, "four_strong", "city", today - dt.timedelta(days=45),
                    "市卫生健康委公立医院党建工作指导委员会", document_no=f"卫党指〔{year}〕3号"),
         guidance),
        (HonorInput(None, users["demo_secretary"].person, "outstanding_worker", "province",
                    dt.date(year - 1, 6, 28), "省卫生健康委党组", document_no=f"卫党〔{year - 1}〕21号"),
         office),
    ]  # fmt: skip
    if h02_branch is not None:
        entries.append((
            HonorInput(h02_branch, None, "advanced_org", "city", today - dt.timedelta(days=45),
                       "市卫生健康委公立医院党建工作指导委员会", document_no=f"卫党指〔{year}〕3号"),
            guidance,
        ))  # fmt: skip
    for data, by in entries:
        record_honor(data, by=by, today=today)
