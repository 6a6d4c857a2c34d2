"""An honour (荣誉/表彰) awarded to a person or to an organisation. It is kept under an
organisation either way (the honoured one, or the person's when it was recorded), so
that it is seen through that organisation's subtree like every other record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile


class Category(models.TextChoices):
    OUTSTANDING_MEMBER = "outstanding_member", _("优秀共产党员")
    OUTSTANDING_WORKER = "outstanding_worker", _("优秀党务工作者")
    ADVANCED_ORG = "advanced_org", _("先进基层党组织")
    FOUR_STRONG = "four_strong", _("四强党支部")
    BENCHMARK_BRANCH = "benchmark_branch", _("标杆党支部")
    MODEL_HOSPITAL = "model_hospital", _("示范医院")
    BEST_PARTY_DAY = "best_party_day", _("最佳党日活动")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    HOSPITAL = "hospital", _("医院级")


class HonorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Honours in the subtrees whose people the user reads, and a member's own."""
        from dangjian.accounts.scope import prefix_q, scope_for

        scope = scope_for(user)
        q = prefix_q("organization__path", scope.people_paths)
        if scope.self_person_id is not None:
            q |= models.Q(person_id=scope.self_person_id)
        return self.filter(q)


class Honor(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="honours",
        verbose_name=_("组织"),
    )  # fmt: skip
    # Empty: the organisation's own honour; set: the person's (organisation = theirs).
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT,
        related_name="honours", verbose_name=_("获奖人"),
    )  # fmt: skip
    category = models.CharField(_("荣誉类别"), max_length=24, choices=Category.choices)
    title = models.CharField(_("荣誉称号"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    awarded_on = models.DateField(_("表彰日期"))
    awarded_by = models.CharField(_("授予单位"), max_length=200)
    # Set when the honour came out of a selection round (评选): its recommendation.
    nomination = models.OneToOneField(
        "honors.Nomination", null=True, blank=True, on_delete=models.PROTECT,
        related_name="honor",
    )  # fmt: skip
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    # A wrong entry is revoked (撤销误录), never deleted: it stays, out of pages and points.
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HonorQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        indexes = [
            models.Index(fields=["person", "awarded_on"]),
            models.Index(fields=["organization", "awarded_on"]),
        ]
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")

    def __str__(self) -> str:
        return self.title

    @property
    def recipient(self) -> str:
        return self.person.name if self.person_id else self.organization.name


class HonorCertificate(StoredFile):
    """The scanned certificate or commendation document (one per honour)."""

    honor = models.OneToOneField(Honor, on_delete=models.CASCADE, related_name="certificate")
    file = models.FileField(_("证书扫描件"), upload_to="honors/%Y/%m/")

    class Meta:
        verbose_name = _("荣誉证书")
        verbose_name_plural = _("荣誉证书")


class RoundState(models.TextChoices):
    OPEN = "open", _("推荐中")
    REVIEWING = "reviewing", _("评审中")
    NOTICE = "notice", _("公示中")
    APPROVED = "approved", _("已审定")


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds opened by an organisation the user reads, or above the user's
        organisations (a city round is seen by the hospitals it covers), and the rounds
        whose review panel the user sits on."""
        from dangjian.accounts.scope import prefix_q, scope_for
        from dangjian.orgs.models import Organization

        scope = scope_for(user)
        steplen = Organization.steplen
        above = {p[:k] for p in scope.org_paths for k in range(steplen, len(p), steplen)}
        panels = SelectionRound.reviewers.through.objects.filter(user_id=user.pk)
        return self.filter(
            prefix_q("organization__path", scope.org_paths)
            | models.Q(organization__path__in=above)
            | models.Q(pk__in=panels.values("selectionround_id"))
        )


class SelectionRound(models.Model):
    """A selection (评选): the organiser opens it with categories and quotas, units
    recommend until `recommend_by`, reviewers score, the shortlist is published for
    public notice (公示) until `notice_ends_on`, and approval creates the honours."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="selection_rounds",
        verbose_name=_("组织单位"),
    )  # fmt: skip
    title = models.CharField(_("评选名称"), max_length=200)
    criteria = models.TextField(_("评选条件"))
    level = models.CharField(_("荣誉级别"), max_length=16, choices=Level.choices)
    recommend_by = models.DateField(_("推荐截止日期"))
    state = models.CharField(
        _("状态"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN
    )
    # The named review panel (评审组) and its deadline, set when recommendations close:
    # only its members score, each nomination once.
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviewing_rounds",
        verbose_name=_("评审组成员"),
    )  # fmt: skip
    review_by = models.DateField(_("评审截止日期"), null=True, blank=True)
    notice_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    document_no = models.CharField(_("表彰文号"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("评选")
        verbose_name_plural = _("评选")

    def __str__(self) -> str:
        return self.title


class RoundCategory(models.Model):
    selection_round = models.ForeignKey(
        SelectionRound, on_delete=models.CASCADE, related_name="categories"
    )
    category = models.CharField(_("荣誉类别"), max_length=24, choices=Category.choices)
    title = models.CharField(_("荣誉称号"), max_length=200)
    quota = models.PositiveSmallIntegerField(_("名额"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quota__gt=0), name="round_quota_positive")
        ]
        verbose_name = _("评选类别")
        verbose_name_plural = _("评选类别")

    def __str__(self) -> str:
        return self.title


class Nomination(models.Model):
    """A unit's recommendation (推荐) of one person or one organisation."""

    round_category = models.ForeignKey(
        RoundCategory, on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("推荐单位"),
    )  # fmt: skip
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("推荐党员"),
    )  # fmt: skip
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("推荐党组织"),
    )  # fmt: skip
    deeds = models.TextField(_("主要事迹"))
    shortlisted = models.BooleanField(_("拟表彰"), default=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(organization__isnull=True),
                name="nomination_one_candidate",
            )
        ]
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")

    @property
    def candidate(self) -> str:
        return self.person.name if self.person_id else self.organization.name


class NominationMaterial(StoredFile):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("推荐材料"), upload_to="honors/nominations/%Y/%m/")

    class Meta:
        verbose_name = _("推荐材料")
        verbose_name_plural = _("推荐材料")


class Review(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=1)
    comment = models.TextField(_("评审意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="review_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="review_score_range",
            ),
        ]
        verbose_name = _("评审")
        verbose_name_plural = _("评审")


class Objection(models.Model):
    """An objection received during the 公示, and how it was handled; an upheld one takes
    the nomination off the shortlist."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    handling = models.TextField(_("处理意见"))
    upheld = models.BooleanField(_("异议成立"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
