"""Publishing a bulletin: the .docx (generated, or the office's edited copy) attached to
an announcement of the notices app, so the branches receive it in their inboxes with
read receipts. One transaction; a Chinese refusal (`BulletinError`) changes nothing.

An organisation above the hospitals (a guidance committee) gets the city version
(city_bulletin), sent to the Party workers only (the hospitals' offices and their
secretaries), never to every member of the city."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dangjian.core import audit
from dangjian.notices.rules import Audience
from dangjian.notices.services import AnnouncementInput, NoticeError, publish
from dangjian.orgs.models import Organization

from .bulletin import Bulletin, build_bulletin
from .city_bulletin import CityBulletin, build_city_bulletin, is_city
from .city_export import city_bulletin_docx
from .export import DOCX_CONTENT_TYPE, bulletin_docx, file_name
from .models import PublishedBulletin
from .rules import PeriodError, ended_by, parse_period

AUDIENCES = (Audience.OFFICERS, Audience.MEMBERS)


class BulletinError(ValueError):
    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def build_for(org: Organization, period) -> Bulletin | CityBulletin:
    """The city version above the hospitals, the hospital's otherwise."""
    return build_city_bulletin(org, period) if is_city(org) else build_bulletin(org, period)


def bulletin_document(bulletin: Bulletin | CityBulletin, issued_on) -> bytes:
    if isinstance(bulletin, CityBulletin):
        return city_bulletin_docx(bulletin, issued_on)
    return bulletin_docx(bulletin, issued_on)


def bulletin_for(org: Organization, period_code: str, today) -> Bulletin | CityBulletin:
    """The bulletin of a period that is over, or the Chinese reason it cannot be made."""
    try:
        period = parse_period(period_code)
    except PeriodError as exc:
        raise BulletinError(str(exc)) from exc
    if not ended_by(period, today):
        raise BulletinError(f"{period.label}尚未结束，不能生成通报")
    return build_for(org, period)


def announcement_body(bulletin: Bulletin) -> str:
    praised = "、".join(p.organization.name for p in bulletin.praised) or "无"
    laggards = "、".join(lag.name for lag in bulletin.laggards) or "无"
    return "\n".join(
        [
            f"现将《{bulletin.title}》印发给你们，详见附件。",
            f"表扬：{praised}。",
            f"通报存在问题的党组织：{laggards}。",
            f"逾期未销号任务：{len(bulletin.overdue)} 项。",
            "请被通报的党组织对照问题逐项整改。",
        ]
    )


@transaction.atomic
def publish_bulletin(
    org: Organization, period_code: str, *, by, today, audience=Audience.OFFICERS, edited=None
) -> PublishedBulletin:
    """`edited`: the office's own copy of the .docx (an upload), sent instead of the
    generated one; the recorded content stays the computed bulletin."""
    if audience not in AUDIENCES:
        raise BulletinError("发送对象无效")
    if is_city(org) and audience != Audience.OFFICERS:
        raise BulletinError("全市通报只发送各医院党务工作者（党委办公室、支部书记）")
    if edited is not None and Path(edited.name).suffix.lower() != ".docx":
        raise BulletinError("修改后的通报须为 .docx 文件")
    bulletin = bulletin_for(org, period_code, today)
    attachment = edited or SimpleUploadedFile(
        file_name(bulletin), bulletin_document(bulletin, today), content_type=DOCX_CONTENT_TYPE
    )
    data = AnnouncementInput(
        title=bulletin.title, body=announcement_body(bulletin), audience=audience,
        files=[attachment],
    )  # fmt: skip
    try:
        announcement = publish(org, data, by=by)
    except NoticeError as exc:
        raise BulletinError(exc.reasons) from exc
    published = PublishedBulletin.objects.create(
        organization=org, period=bulletin.period.code, title=bulletin.title,
        content=bulletin.as_dict(), announcement=announcement, published_by=by,
    )  # fmt: skip
    audit.record(
        "assessment.publish_bulletin", actor=by, obj=published, org_path=org.path,
        summary={"period": bulletin.period.code, "announcement": announcement.pk,
                 "laggards": len(bulletin.laggards), "edited": edited is not None},
    )  # fmt: skip
    return published
