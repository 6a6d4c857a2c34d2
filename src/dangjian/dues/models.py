"""Party dues records: each member's base, approved reductions, monthly bills, payments
(one payment may settle several months) and voluntary payments kept apart."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import DuesCategory, Rounding


class DuesBase(models.Model):
    """The monthly base fixed for a member (核定基数), from `effective_from` (the first of
    a month) until the next row. Fixed once a year; re-fixed from a recorded pay change."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="dues_bases")
    category = models.CharField(_("党费类别"), max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField(_("月交纳基数"), max_digits=10, decimal_places=2)
    components = models.JSONField(_("工资项目"), default=dict, blank=True)
    effective_from = models.DateField(_("执行月份"))
    pay_changed_on = models.DateField(_("工资变动日期"), null=True, blank=True)
    reason = models.CharField(_("核定说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "effective_from"], name="dues_base_once_a_month"
            ),
            models.CheckConstraint(condition=models.Q(base__gte=0), name="dues_base_not_negative"),
        ]
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")


class ReductionStatus(models.TextChoices):
    APPLIED = "applied", _("本人申请")
    BRANCH_AGREED = "branch_agreed", _("支部委员会同意")
    APPROVED = "approved", _("上级党委批准")
    REJECTED = "rejected", _("未批准")


class DuesReduction(models.Model):
    """Paying less or nothing for hardship: the member applies, the branch committee
    agrees, the next level approves. Only an approved reduction changes the bills."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="dues_reductions"
    )
    from_month = models.DateField(_("起始月份"))
    to_month = models.DateField(_("截止月份"))
    amount = models.DecimalField(_("每月交纳金额"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("事由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReductionStatus.choices, default=ReductionStatus.APPLIED
    )
    applied_on = models.DateField(_("申请日期"))
    branch_agreed_on = models.DateField(_("支委会同意日期"), null=True, blank=True)
    branch_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(_("上级批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person", "-from_month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="reduction_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(to_month__gte=models.F("from_month")), name="reduction_in_order"
            ),
        ]
        verbose_name = _("少交或免交党费")
        verbose_name_plural = _("少交或免交党费")


class DuesBill(models.Model):
    """What a member owes for one month (应交), generated once; `paid_by` is set when a
    payment settles it. The unique (person, month) makes generation idempotent."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="dues_bills")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="dues_bills"
    )
    month = models.DateField(_("月份"))
    due_on = models.DateField(_("应交截止日"), help_text=_("当月最后一天；此后未交即为欠交"))
    category = models.CharField(_("党费类别"), max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField(_("基数"), max_digits=10, decimal_places=2, null=True)
    amount = models.DecimalField(_("应交金额"), max_digits=10, decimal_places=2)
    reduced = models.BooleanField(_("经批准少交或免交"), default=False)
    paid_by = models.ForeignKey(
        "DuesPayment", null=True, blank=True, on_delete=models.SET_NULL, related_name="bills"
    )
    # Set with `paid_by` when the payment came by `due_on`: the on-time rate then counts
    # bills without joining years of payments (issue 15).
    paid_on_time = models.BooleanField(_("按月交纳"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="dues_bill_once_a_month"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="dues_bill_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "month"]),
            models.Index(fields=["person", "paid_by"]),
            # Arrears read only the unsettled bills, not five years of settled ones.
            models.Index(
                fields=["month", "person"],
                condition=models.Q(paid_by__isnull=True, amount__gt=0),
                name="dues_bill_unsettled",
            ),
        ]
        verbose_name = _("党费账单")
        verbose_name_plural = _("党费账单")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")
    ONLINE = "online", _("线上支付")


class DuesPayment(models.Model):
    """A payment settling one or more monthly bills. Handed in by someone else only with
    the branch's consent, recorded here; the organisation never pays for a member."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="dues_payments"
    )
    # Where the dues were collected: the payer's organisation when they paid (a transfer
    # later does not move what a branch collected). Counts `dues.collected`.
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="dues_payments",
        verbose_name=_("收缴组织"),
    )
    paid_on = models.DateField(_("交纳日期"))
    total = models.DecimalField(_("金额"), max_digits=10, decimal_places=2)
    method = models.CharField(_("方式"), max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(_("支付凭证号"), max_length=100, blank=True)
    handed_in_by = models.CharField(_("代交人"), max_length=100, blank=True)
    branch_consent = models.CharField(_("支部同意说明"), max_length=200, blank=True)
    make_up_approval = models.CharField(_("补交超过6个月的批准说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="dues_payment_positive"),
        ]
        # Dues collected in a period read that period's payments, not the whole history.
        indexes = [models.Index(fields=["paid_on", "person"], name="dues_payment_paid_on")]
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")


class VoluntaryKind(models.TextChoices):
    EXTRA = "extra", _("自愿多交")
    SPECIAL = "special", _("特殊党费")


class VoluntaryPayment(models.Model):
    """Voluntary extra dues and 特殊党费: never part of the computed amount; a one-off
    payment of 1,000 yuan or more is passed up in full to the Centre."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="voluntary_dues"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=VoluntaryKind.choices)
    paid_on = models.DateField(_("交纳日期"))
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    pass_up_in_full = models.BooleanField(_("全额上缴中央"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="voluntary_positive"),
        ]
        verbose_name = _("自愿交纳")
        verbose_name_plural = _("自愿交纳")


class DuesSettings(models.Model):
    """A hospital's choices where RULES.md §1 leaves them open (*configurable*): the
    rounding of amounts and whether members may pay months in advance."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="dues_settings"
    )
    rounding = models.CharField(
        _("取整方式"), max_length=16, choices=Rounding.choices, default=Rounding.HALF_UP_FEN
    )
    allow_advance = models.BooleanField(_("允许预交党费"), default=False)

    class Meta:
        verbose_name = _("党费设置")
        verbose_name_plural = _("党费设置")


class DuesMonthTotal(models.Model):
    """A rollup: the bills due (amount above zero) and paid on time of one organisation
    and month, and the dues it collected in the month. Kept by database triggers on
    dues_duesbill and dues_duespayment in the same transaction as the write, whatever
    writes (migrations dues 0004 and 0006); never written by Django. A city's figures
    then sum hospitals × months instead of scanning five years of facts (issue 15)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    month = models.DateField()
    due = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    # Payments made in the month (by paid_on) where the organisation collected them.
    collected = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="dues_month_total_once")
        ]
