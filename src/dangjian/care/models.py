"""The register of members in difficulty (困难党员) and the visits and help given (慰问),
to them and to the old and the sick. Both hang off the person: they are seen through the
person's organisation, by the office and the branch secretary only (`visible_to`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Hardship(models.TextChoices):
    LIVING = "living", _("生活困难")
    ILLNESS = "illness", _("因病")
    DISASTER = "disaster", _("因灾")
    OTHER = "other", _("其他")


class CaseStatus(models.TextChoices):
    HELPING = "helping", _("帮扶中")
    RESOLVED = "resolved", _("已脱困")


class VisitReason(models.TextChoices):
    HARDSHIP = "hardship", _("困难帮扶")
    OLD_MEMBER = "old_member", _("老党员")
    HOSPITALIZED = "hospitalized", _("生病住院")
    JULY_FIRST = "july_first", _("七一节日慰问")
    SPRING_FESTIVAL = "spring_festival", _("春节节日慰问")
    OTHER = "other", _("其他")


class HelpForm(models.TextChoices):
    CASH = "cash", _("慰问金")
    GOODS = "goods", _("慰问品")
    VISIT = "visit", _("走访")
    OTHER = "other", _("其他")


class CareQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of people in the subtrees the user may write for: the hospital office,
        a branch's secretary. Guidance, auditors and members see none (sensitive data)."""
        from dangjian.accounts.scope import prefix_q, scope_for

        return self.filter(prefix_q("person__organization__path", scope_for(user).write_paths))


class CareCase(models.Model):
    """One entry of the 困难党员 register: why, since when, and whether help goes on."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="care_cases",
        verbose_name=_("党员"),
    )  # fmt: skip
    hardship = models.CharField(_("困难类型"), max_length=16, choices=Hardship.choices)
    situation = models.TextField(_("困难情况"))
    since = models.DateField(_("登记日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.HELPING
    )
    resolved_on = models.DateField(_("脱困日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="helping"),
                name="care_one_open_case",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True)
                | models.Q(resolved_on__gte=models.F("since")),
                name="care_resolved_after_since",
            ),
        ]  # fmt: skip
        verbose_name = _("困难党员")
        verbose_name_plural = _("困难党员")

    def __str__(self) -> str:
        return f"{self.person}（{self.get_hardship_display()}）"


class CareVisit(models.Model):
    """One visit or piece of help (慰问): to a member of the register (then `case` is
    their open case when it was recorded) or to an old or sick member."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="care_visits",
        verbose_name=_("慰问对象"),
    )  # fmt: skip
    case = models.ForeignKey(
        CareCase, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("慰问日期"))
    reason = models.CharField(_("慰问事由"), max_length=16, choices=VisitReason.choices)
    form = models.CharField(_("慰问形式"), max_length=16, choices=HelpForm.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, default=0)
    visitors = models.CharField(_("慰问人"), max_length=200)
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["visited_on", "reason"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="care_amount_not_negative"
            )
        ]
        verbose_name = _("慰问记录")
        verbose_name_plural = _("慰问记录")
