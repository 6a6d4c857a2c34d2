"""The 三重一大 register: each hospital's settings, the matters, the consultations and
opinions gathered for them, and the Party committee and president's office meetings
with their attendance, agenda items (one per matter discussed) and minutes files.
A matter's `status`, `decided_on` and `president_office_first` are kept by
`decisions.services` from the agenda items."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile

from .rules import DEFAULT_BOUNDARY, DEFAULT_LARGE_FUND_THRESHOLD, Body, MatterCategory, Outcome


def _party_committee_default() -> list[str]:
    return list(DEFAULT_BOUNDARY[Body.PARTY_COMMITTEE])


def _president_office_default() -> list[str]:
    return list(DEFAULT_BOUNDARY[Body.PRESIDENT_OFFICE])


class DecisionSettings(models.Model):
    """A hospital's choices where RULES.md §5 leaves them open: the large-fund threshold
    and which categories each body may decide."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="decision_settings"
    )
    large_fund_threshold = models.DecimalField(
        _("大额资金标准（元）"),
        max_digits=14,
        decimal_places=2,
        default=DEFAULT_LARGE_FUND_THRESHOLD,
    )
    party_committee_categories = models.JSONField(
        _("党委会决定的事项类别"), default=_party_committee_default
    )
    president_office_categories = models.JSONField(
        _("院长办公会可决定的事项类别"), default=_president_office_default
    )

    class Meta:
        verbose_name = _("三重一大设置")
        verbose_name_plural = _("三重一大设置")

    @property
    def boundary(self) -> dict[str, list[str]]:
        return {
            Body.PARTY_COMMITTEE: list(self.party_committee_categories),
            Body.PRESIDENT_OFFICE: list(self.president_office_categories),
        }


class ByOrganization(models.QuerySet):
    lookup = "organization__path"

    def visible_to(self, user):
        """Register records of organisations whose records the user may read."""
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_by_org(self, self.lookup)


class MatterStatus(models.TextChoices):
    PROPOSED = "proposed", _("待决策")
    APPROVED = "approved", _("已决策通过")
    REJECTED = "rejected", _("未通过")
    DEFERRED = "deferred", _("缓议")


class MajorMatter(models.Model):
    """One 三重一大 item: what is proposed, by whom, the amount, and what became of it."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="major_matters",
        verbose_name=_("党组织"),
    )
    category = models.CharField(_("类别"), max_length=32, choices=MatterCategory.choices)
    title = models.CharField(_("事项"), max_length=300)
    description = models.TextField(_("事项说明"), blank=True)
    proposer = models.CharField(_("提出人（部门）"), max_length=100)
    proposed_on = models.DateField(_("提出日期"))
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MatterStatus.choices, default=MatterStatus.PROPOSED
    )
    president_office_first = models.BooleanField(_("经院长办公会前置研究"), default=False)
    decided_on = models.DateField(_("决策日期"), null=True, blank=True)
    decision = models.TextField(_("决定"), blank=True)
    follow_up = models.TextField(_("执行落实情况"), blank=True)
    follow_up_done = models.BooleanField(_("已落实"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ByOrganization.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["organization", "status", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="matter_amount_not_negative",
            )
        ]
        verbose_name = _("三重一大事项")
        verbose_name_plural = _("三重一大事项")

    def __str__(self) -> str:
        return self.title


class ExpertConsultation(models.Model):
    """An expert panel's consultation or appraisal (专家咨询论证) held on a matter."""

    matter = models.ForeignKey(MajorMatter, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField(_("论证日期"))
    panel = models.CharField(_("专家组"), max_length=200)
    experts = models.PositiveSmallIntegerField(_("参加专家人数"), default=0)
    conclusion = models.TextField(_("论证意见"), blank=True)

    class Meta:
        ordering = ["matter", "held_on", "id"]
        verbose_name = _("专家咨询论证")
        verbose_name_plural = _("专家咨询论证")


class OpinionSolicitation(models.Model):
    """A round of soliciting opinions (征求意见) and how many were received."""

    matter = models.ForeignKey(MajorMatter, on_delete=models.CASCADE, related_name="solicitations")
    solicited_on = models.DateField(_("征求日期"))
    audience = models.CharField(_("征求对象"), max_length=200)
    opinions = models.PositiveIntegerField(_("收到意见建议（条）"), default=0)
    summary = models.TextField(_("意见摘要及采纳情况"), blank=True)

    class Meta:
        ordering = ["matter", "solicited_on", "id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("待召开")
    HELD = "held", _("已召开")


class DecisionMeeting(models.Model):
    """A Party committee meeting (党委会) or president's office meeting (院长办公会)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="decision_meetings",
        verbose_name=_("党组织"),
    )
    body = models.CharField(_("会议"), max_length=32, choices=Body.choices)
    title = models.CharField(_("会次"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    should_attend = models.PositiveSmallIntegerField(_("应到人数"))
    state = models.CharField(
        _("状态"), max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ByOrganization.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "body", "held_on"])]
        verbose_name = _("决策会议")
        verbose_name_plural = _("决策会议")

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.title}"


class AttendanceState(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class DecisionAttendance(models.Model):
    """One member who should attend; an absent member's written view is kept but is
    not a vote (RULES.md §5)."""

    meeting = models.ForeignKey(
        DecisionMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("出席情况"), max_length=16, choices=AttendanceState.choices,
        default=AttendanceState.PRESENT,
    )  # fmt: skip
    reason = models.CharField(_("缺席事由"), max_length=200, blank=True)
    written_opinion = models.TextField(_("书面意见"), blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="decision_attendance_once")
        ]
        verbose_name = _("决策会议出席")
        verbose_name_plural = _("决策会议出席")


class AgendaItem(models.Model):
    """A matter on a meeting's agenda and its outcome: the vote (Party committee) and
    the decision as minuted."""

    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(MajorMatter, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("议题序号"), default=1)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    present = models.PositiveSmallIntegerField(_("实到人数"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("同意"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    decision = models.TextField(_("决定"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "matter"], name="agenda_matter_once")
        ]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")


class DecisionAttachment(StoredFile):
    """Minutes, sign-in sheets and materials of a decision meeting."""

    meeting = models.ForeignKey(
        DecisionMeeting, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="decisions/%Y/%m/")

    class Meta:
        ordering = ["meeting", "uploaded_at", "id"]
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")
