"""A hospital's point rules per year, and the manual additions and deductions with their
second person's approval. Points from records (meetings, service, study, dues) are not
stored: they are read from those records under the year's rules, so each names its source
and a corrected record corrects its points."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import CapPeriod, Event


class PointRule(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    event = models.CharField(_("积分事项"), max_length=24, choices=Event.choices)
    meeting_kind = models.CharField(_("会议类别"), max_length=32, blank=True)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    cap = models.DecimalField(_("上限"), max_digits=6, decimal_places=1, null=True, blank=True)
    cap_period = models.CharField(
        _("上限周期"), max_length=8, choices=CapPeriod.choices, default=CapPeriod.YEAR
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "event", "meeting_kind"], name="one_point_rule"
            )
        ]
        ordering = ["event", "meeting_kind"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")


class AdjustmentState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已生效")
    REJECTED = "rejected", _("未通过")


class PointAdjustment(models.Model):
    """A manual addition or deduction: proposed with a reason, in force once a second
    person approves it. Never edited: a mistake is undone by a reversal (an adjustment of
    the opposite points that names the one it reverses)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("理由"), max_length=300)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=AdjustmentState.choices, default=AdjustmentState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "state", "on"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(points=0), name="adjustment_not_zero"),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="adjustment_second_person",
            ),
        ]
        verbose_name = _("积分调整")
        verbose_name_plural = _("积分调整")
