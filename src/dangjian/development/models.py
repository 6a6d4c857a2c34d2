"""Member development records: one row per step a person went through (发展党员)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .steps import ParticipantRole, StepCode


class DevelopmentStepQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Steps of people the user may see (the person's scope decides)."""
        from dangjian.people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user).values("pk"))


class DevelopmentStep(models.Model):
    """A step of the 25 on record for a person, written only through
    `services.record_step` (validated) or the roster import (historical milestones)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="development_steps"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="development_steps",
        verbose_name=_("党组织"),
        help_text=_("办理该步骤的党组织（通常为党员所在支部）"),
    )
    code = models.CharField(_("步骤"), max_length=32, choices=StepCode.choices)
    done_on = models.DateField(_("办理日期"))
    effective_on = models.DateField(
        _("生效日期"), help_text=_("入党日期自支部大会通过之日起；转正日期自预备期满之日起")
    )
    actor = models.CharField(_("经办人/谈话人"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    imported = models.BooleanField(_("名册导入"), default=False)
    late_note = models.CharField(_("逾期说明"), max_length=300, blank=True)
    # 支部党员大会 (steps 15 and 23)
    entitled_voters = models.PositiveSmallIntegerField(_("应到会有表决权党员"), null=True)
    present_voters = models.PositiveSmallIntegerField(_("实到会有表决权党员"), null=True)
    votes_yes = models.PositiveSmallIntegerField(_("赞成"), null=True)
    votes_no = models.PositiveSmallIntegerField(_("反对"), null=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True)
    # 集中培训 (step 11)
    training_days = models.PositiveSmallIntegerField(_("培训天数"), null=True)
    training_hours = models.PositiveSmallIntegerField(_("培训学时"), null=True)
    extension_months = models.PositiveSmallIntegerField(_("延长月数"), null=True)
    # 公示 (before the pre-review): its last day and any objections raised
    notice_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    objections = models.TextField(_("公示期间反映的意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = DevelopmentStepQuerySet.as_manager()

    class Meta:
        ordering = ["person", "done_on", "id"]
        indexes = [
            models.Index(fields=["code", "effective_on"]),
            models.Index(fields=["person", "code"]),
        ]
        verbose_name = _("发展步骤")
        verbose_name_plural = _("发展步骤")

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_code_display()} {self.done_on}"

    @property
    def is_late(self) -> bool:
        return bool(self.late_note)


class StepParticipant(models.Model):
    """A cultivator (培养联系人) or introducer (入党介绍人) named at a step."""

    step = models.ForeignKey(DevelopmentStep, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=16, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "person"], name="participant_once_per_step")
        ]
        verbose_name = _("培养联系人/入党介绍人")
        verbose_name_plural = _("培养联系人/入党介绍人")


class DocumentKind(models.TextChoices):
    APPLICATION_LETTER = "application_letter", _("入党申请书")
    TALK_RECORD = "talk_record", _("谈话记录")
    REVIEW = "review", _("考察/审查材料")
    VOTE_TALLY = "vote_tally", _("表决记录")
    APPROVAL = "approval", _("审批材料")
    OTHER = "other", _("其他")


class StepDocument(models.Model):
    """A file attached to a step; downloaded only through the scoped view."""

    step = models.ForeignKey(DevelopmentStep, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类别"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="development/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["step", "uploaded_at"]
        verbose_name = _("发展材料")
        verbose_name_plural = _("发展材料")
