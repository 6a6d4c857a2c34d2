"""Every change to announcements and channels: validated, one transaction, an audit
entry, and a Chinese refusal (`NoticeError`) that changes nothing."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core import audit
from dangjian.core.models import Notice
from dangjian.core.services import send_notice
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization
from dangjian.people.models import MEMBER_STATUSES, Person
from dangjian.people.queries import current_status

from . import rules
from .models import (
    Announcement,
    AnnouncementAttachment,
    ChannelPreference,
    Dispatch,
    Receipt,
    Webhook,
)
from .queries import receipt_for
from .rules import Audience, DispatchState

NOTICE_KIND = "announcement"
# How much of the body the inbox and the chats carry; the page has the rest.
EXCERPT_CHARS = 120
USERID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class NoticeError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise NoticeError(problems)


# ---- announcements ---------------------------------------------------------------------
@dataclass
class AnnouncementInput:
    title: str
    body: str
    kind: str = "notice"
    audience: str = Audience.MEMBERS
    pinned: bool = False
    people: list = field(default_factory=list)  # for Audience.LIST
    files: list = field(default_factory=list)


def addressees(org: Organization, audience: str, people=()) -> list[tuple[int | None, int | None]]:
    """(person id, user id) of everyone the announcement goes to, as it stands now."""
    if audience == Audience.OFFICERS:
        users = (
            RoleGrant.objects.filter(
                organization__path__startswith=org.path,
                role__in=(Role.OFFICE, Role.SECRETARY),
                user__is_active=True,
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        return [(None, user_id) for user_id in sorted(set(users))]
    members = Person.objects.filter(organization__path__startswith=org.path)
    if audience == Audience.LIST:
        members = members.filter(pk__in=[p.pk for p in people])
    else:
        members = members.annotate(status_now=current_status()).filter(
            status_now__in=MEMBER_STATUSES
        )
    return list(members.order_by("pk").values_list("pk", "user_id"))


def announcement_problems(org: Organization, data: AnnouncementInput) -> list[str]:
    problems = []
    if not data.title.strip():
        problems.append("请填写标题")
    if not data.body.strip():
        problems.append("请填写正文")
    if data.audience not in Audience.values:
        problems.append("发送对象无效")
    if data.audience == Audience.LIST:
        if not data.people:
            problems.append("请选择至少一名接收人")
        outside = [p.name for p in data.people if not p.organization.path.startswith(org.path)]
        if outside:
            problems.append(f"{'、'.join(outside)}不在{org.name}范围内")
    problems += [problem for upload in data.files if (problem := upload_problem(upload))]
    return problems


@transaction.atomic
def publish(org: Organization, data: AnnouncementInput, *, by) -> Announcement:
    """Publish to the organisation's subtree: receipts for every addressee, and a notice
    in each account's inbox (and the channels each chose)."""
    _refuse(announcement_problems(org, data))
    # The author does not send the notice to themselves (an office writing to the Party
    # workers is one of them).
    targets = [
        (p, u)
        for p, u in addressees(org, data.audience, data.people)
        if u is None or u != getattr(by, "pk", None)
    ]
    _refuse([] if targets else [f"{org.name}范围内没有可接收本通知的人员"])
    announcement = Announcement.objects.create(
        organization=org, kind=data.kind, title=data.title.strip(), body=data.body.strip(),
        audience=data.audience, pinned=data.pinned, author=by,
    )  # fmt: skip
    for upload in data.files:
        AnnouncementAttachment.store(upload, by=by, announcement=announcement)
    Receipt.objects.bulk_create(
        Receipt(announcement=announcement, person_id=person_id, user_id=user_id)
        for person_id, user_id in targets
    )
    users = get_user_model().objects.filter(
        pk__in=[user_id for _p, user_id in targets if user_id], is_active=True
    )
    excerpt = announcement.body[:EXCERPT_CHARS] + (
        "…" if len(announcement.body) > EXCERPT_CHARS else ""
    )
    sent = send_notice(
        users, announcement.title, excerpt, link=detail_link(announcement), kind=NOTICE_KIND
    )
    audit.record(
        "notices.publish", actor=by, obj=announcement, org_path=org.path,
        summary={"title": announcement.title, "audience": data.audience,
                 "addressees": len(targets), "accounts": sent},
    )  # fmt: skip
    return announcement


def detail_link(announcement: Announcement) -> str:
    return reverse("notices:detail", args=[announcement.pk])


@transaction.atomic
def set_pinned(announcement: Announcement, pinned: bool, *, by) -> Announcement:
    Announcement.objects.filter(pk=announcement.pk).update(pinned=pinned)
    announcement.pinned = pinned
    audit.record(
        "notices.pin", actor=by, obj=announcement, org_path=announcement.organization.path,
        summary={"pinned": pinned},
    )  # fmt: skip
    return announcement


@transaction.atomic
def withdraw(announcement: Announcement, *, by) -> Announcement:
    """Hidden from its readers from now on; the record and its receipts are kept."""
    _refuse(["本通知已撤回"] if announcement.withdrawn_at else [])
    announcement.withdrawn_at = timezone.now()
    announcement.save(update_fields=["withdrawn_at"])
    audit.record(
        "notices.withdraw", actor=by, obj=announcement, org_path=announcement.organization.path,
        summary={"title": announcement.title},
    )  # fmt: skip
    return announcement


def mark_read(announcement: Announcement, user) -> bool:
    """The reader's receipt, and the inbox notice that led to it. Reading is not a change
    of record, so no audit entry."""
    now = timezone.now()
    with transaction.atomic():
        done = (
            Receipt.objects.filter(announcement=announcement, read_at__isnull=True)
            .filter(receipt_for(user))
            .update(read_at=now)
        )
        Notice.objects.filter(
            recipient=user, kind=NOTICE_KIND, link=detail_link(announcement), read_at__isnull=True
        ).update(read_at=now)
    return bool(done)


# ---- channels --------------------------------------------------------------------------
@dataclass
class PreferenceInput:
    email_address: str = ""
    email: bool = False
    wecom: bool = False
    dingtalk: bool = False
    wecom_userid: str = ""
    dingtalk_userid: str = ""


def preference_problems(data: PreferenceInput) -> list[str]:
    problems = []
    address = data.email_address.strip()
    if address:
        try:
            validate_email(address)
        except ValidationError:
            problems.append("电子邮箱格式不正确")
    if data.email and not address:
        problems.append("选择电子邮件接收时须填写电子邮箱")
    for value, label in ((data.wecom_userid, "企业微信账号"), (data.dingtalk_userid, "钉钉账号")):
        if value.strip() and not USERID.match(value.strip()):
            problems.append(f"{label}只能包含字母、数字和 _ . @ -，不超过 64 个字符")
    return problems


@transaction.atomic
def save_preferences(user, data: PreferenceInput) -> ChannelPreference:
    _refuse(preference_problems(data))
    pref, _created = ChannelPreference.objects.get_or_create(user=user)
    before = {k: getattr(pref, k) for k in ("email", "wecom", "dingtalk")}
    for name in ("email", "wecom", "dingtalk"):
        setattr(pref, name, getattr(data, name))
    pref.wecom_userid = data.wecom_userid.strip()
    pref.dingtalk_userid = data.dingtalk_userid.strip()
    pref.save()
    if user.email != data.email_address.strip():
        user.email = data.email_address.strip()
        user.save(update_fields=["email"])
    after = {k: getattr(pref, k) for k in ("email", "wecom", "dingtalk")}
    audit.record(
        "notices.preferences", actor=user, obj=pref,
        org_path=user.organization.path if user.organization_id else "",
        summary={"changes": audit.changes(before, after)},
    )  # fmt: skip
    return pref


@dataclass
class WebhookInput:
    channel: str
    name: str
    url: str
    secret: str = ""
    enabled: bool = True


def webhook_problems(org: Organization, data: WebhookInput, hosts, exclude_pk=None) -> list[str]:
    problems = []
    if data.channel not in rules.GROUP_CHANNELS:
        problems.append("平台只能是企业微信或钉钉")
    if not data.name.strip():
        problems.append("请填写群名称")
    if problem := rules.webhook_problem(data.url, hosts):
        problems.append(problem)
    taken = Webhook.objects.filter(organization=org, channel=data.channel).exclude(pk=exclude_pk)
    if taken.exists():
        problems.append(f"{org.name}已设置该平台的群机器人，请修改原有设置")
    return problems


@transaction.atomic
def save_webhook(org: Organization, data: WebhookInput, *, by, hosts, robot=None) -> Webhook:
    _refuse(webhook_problems(org, data, hosts, exclude_pk=robot.pk if robot else None))
    robot = robot or Webhook(organization=org, created_by=by)
    created = robot.pk is None
    robot.channel, robot.name = data.channel, data.name.strip()
    robot.url, robot.enabled = data.url.strip(), data.enabled
    if data.secret.strip() or created:
        robot.secret = data.secret.strip()  # blank on an edit keeps the secret
    robot.save()
    audit.record(
        "notices.webhook_save", actor=by, obj=robot, org_path=org.path,
        summary={"channel": robot.channel, "name": robot.name, "enabled": robot.enabled,
                 "created": created},
    )  # fmt: skip
    return robot


@transaction.atomic
def delete_webhook(robot: Webhook, *, by) -> None:
    audit.record(
        "notices.webhook_delete", actor=by, obj=robot, org_path=robot.organization.path,
        summary={"channel": robot.channel, "name": robot.name},
    )  # fmt: skip
    robot.delete()


@transaction.atomic
def try_webhook(robot: Webhook, *, by) -> Dispatch:
    """A test post to the group, delivered now like any other (and retried if it fails)."""
    dispatch = Dispatch.objects.create(
        channel=robot.channel, organization=robot.organization, webhook=robot,
        kind="announcement_test", title="测试消息", recipients_count=0,
        body=f"这是来自党建平台的测试消息：{robot.organization.name}的群机器人已接通。",
    )  # fmt: skip
    audit.record(
        "notices.webhook_test", actor=by, obj=robot, org_path=robot.organization.path,
        summary={"dispatch": dispatch.pk},
    )  # fmt: skip
    return dispatch


@transaction.atomic
def retry(dispatch: Dispatch, *, by) -> Dispatch:
    """Try a failed delivery again now, with a fresh set of attempts."""
    _refuse([] if dispatch.state == DispatchState.FAILED else ["只有发送失败的消息可以重试"])
    Dispatch.objects.filter(pk=dispatch.pk).update(
        state=DispatchState.PENDING, attempts=0, next_attempt_at=None
    )
    audit.record(
        "notices.retry", actor=by, obj=dispatch,
        org_path=dispatch.organization.path if dispatch.organization_id else "",
        summary={"channel": dispatch.channel, "title": dispatch.title},
    )  # fmt: skip
    dispatch.refresh_from_db()
    return dispatch
