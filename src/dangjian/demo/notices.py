"""The demo's announcements: the hospital's Party office has pinned a notice for every
member (unread by demo_member, so the phone home shows it), posted a news item, and the
guidance committee has written to the hospitals' Party workers."""

from django.contrib.auth import get_user_model

from dangjian.notices import services
from dangjian.notices.rules import AnnouncementKind, Audience
from dangjian.orgs.models import Organization

from .figures import GUIDANCE

THEME_DAY = (
    "关于开展“学党章、守纪律、强服务”主题党日活动的通知",
    "各党支部：\n请于本月 25 日前组织开展主题党日活动，内容包括集中学习党章第三章、"
    "重温入党誓词和志愿服务各一项。活动结束后 3 个工作日内在系统中登记会议记录并上传照片。"
    "\n党委办公室",
)
NEWS = (
    "我院党委开展“党建+医疗服务”义诊进社区活动",
    "本周六，院党委组织 6 个临床党支部的 32 名党员医务人员走进社区开展义诊，服务群众 400 余人次。",
)
GUIDANCE_NOTICE = (
    "关于报送年度党建工作总结的通知",
    "各医院党委：\n请于下月 10 日前报送本年度党建工作总结及下一年度工作计划。",
)


def load_demo_notices() -> None:
    users = get_user_model().objects.in_bulk(
        ["demo_office", "demo_guidance"], field_name="username"
    )
    hospital = Organization.objects.get(code="DEMO-H01")
    city = Organization.objects.get(code=GUIDANCE[0])
    office = users["demo_office"]
    services.publish(
        hospital,
        services.AnnouncementInput(title=NEWS[0], body=NEWS[1], kind=AnnouncementKind.NEWS),
        by=office,
    )
    services.publish(
        hospital,
        services.AnnouncementInput(title=THEME_DAY[0], body=THEME_DAY[1], pinned=True),
        by=office,
    )
    services.publish(
        city,
        services.AnnouncementInput(
            title=GUIDANCE_NOTICE[0], body=GUIDANCE_NOTICE[1], audience=Audience.OFFICERS
        ),
        by=users["demo_guidance"],
    )
