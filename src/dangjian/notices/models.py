"""Announcements (通知公告) with their read receipts, and the channels that carry
notices beyond the inbox: each user's choice, the organisations' group robots and every
delivery with its attempts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.crypto import EncryptedTextField
from dangjian.core.models import StoredFile

from .rules import AnnouncementKind, Audience, Channel, DispatchState


class AnnouncementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What the user's organisation scope covers (the authors' side); a reader's own
        announcements are found through their receipts."""
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_orgs(self, "organization__path")


class Announcement(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("发送范围"),
    )  # fmt: skip
    kind = models.CharField(
        _("类别"), max_length=16, choices=AnnouncementKind.choices, default=AnnouncementKind.NOTICE
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("发送对象"), max_length=16, choices=Audience.choices)
    pinned = models.BooleanField(_("置顶"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        indexes = [models.Index(fields=["organization", "published_at"])]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def __str__(self):
        return self.title


class AnnouncementAttachment(StoredFile):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="notices/%Y/%m/")

    class Meta:
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")


class Receipt(models.Model):
    """One addressee of an announcement: a member (with or without an account) or a Party
    worker's account; `read_at` is the read receipt."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="receipts"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="announcement_receipts",
    )  # fmt: skip
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(user__isnull=False),
                name="receipt_names_someone",
            ),
            models.UniqueConstraint(
                fields=["announcement", "person"], name="receipt_once_per_person"
            ),
            models.UniqueConstraint(fields=["announcement", "user"], name="receipt_once_per_user"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("阅读回执")
        verbose_name_plural = _("阅读回执")


class ChannelPreference(models.Model):
    """Which channels besides the inbox carry a user's notices. The 企业微信 / 钉钉
    userid lets the group robot @-mention them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference"
    )
    email = models.BooleanField(_("电子邮件"), default=False)
    wecom = models.BooleanField(_("企业微信"), default=False)
    dingtalk = models.BooleanField(_("钉钉"), default=False)
    wecom_userid = models.CharField(_("企业微信账号"), max_length=64, blank=True)
    dingtalk_userid = models.CharField(_("钉钉账号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")

    def wants(self, channel: str) -> bool:
        return bool(getattr(self, channel))


class Webhook(models.Model):
    """An organisation's group robot (a hospital's or a branch's group chat). The address
    carries the robot's key, so it is encrypted at rest like an ID number."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("组织"),
    )  # fmt: skip
    channel = models.CharField(_("平台"), max_length=16, choices=Channel.choices)
    name = models.CharField(_("群名称"), max_length=100)
    url = EncryptedTextField(_("机器人地址"))
    secret = EncryptedTextField(_("加签密钥"), blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "channel"], name="one_robot_per_org_and_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["wecom", "dingtalk"]), name="robot_is_a_chat"
            ),
        ]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")

    def __str__(self):
        return self.name


class Dispatch(models.Model):
    """One message on one channel: an e-mail to one user, or one group-robot post that
    @-mentions every recipient of that notice in the group. Tried until sent or its
    attempts are spent; the office sees the failures."""

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    # Whose office sees it: the recipient's organisation (e-mail) or the robot's.
    organization = models.ForeignKey(
        "orgs.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", verbose_name=_("收件人"),
    )  # fmt: skip
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE)
    mentions = models.JSONField(default=list, blank=True)
    recipients_count = models.PositiveIntegerField(_("收件人数"), default=1)
    kind = models.CharField(_("类别"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=DispatchState.choices, default=DispatchState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["organization", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | models.Q(webhook__isnull=False),
                name="dispatch_has_a_target",
            )
        ]
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
