"""Volunteer service activities (with their volunteers and photos), the problem list of
我为群众办实事 with its owners and deadlines, leaders' field visits, yearly targets, and
党员示范岗 / 责任区 / 突击队 with what they did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile

from .rules import ActivityKind, PartnerKind, PostKind, ProblemSource


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_orgs(self, "organization__path")


class ServiceActivity(models.Model):
    """One activity, counted once for its lead organisation; partner branches of a joint
    activity are listed (and see it) but do not count it again."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("主办组织"),
    )  # fmt: skip
    partners = models.ManyToManyField(
        "orgs.Organization", blank=True, related_name="+", verbose_name=_("联合开展的组织")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    held_on = models.DateField(_("日期"))
    people_served = models.PositiveIntegerField(_("服务人次"), default=0)
    summary = models.TextField(_("活动情况"), blank=True)
    # Set when the activity was held under a co-building agreement or as an alliance's
    # joint event: it still counts once, for `organization` (the lead).
    partnership = models.ForeignKey(
        "service.Partnership", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities", verbose_name=_("共建协议"),
    )  # fmt: skip
    alliance = models.ForeignKey(
        "service.Alliance", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities", verbose_name=_("党建联盟"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"])]
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")

    def __str__(self):
        return self.title


class Volunteer(models.Model):
    activity = models.ForeignKey(
        ServiceActivity, on_delete=models.CASCADE, related_name="volunteers"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="volunteer_once"),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="volunteer_hours_in_day",
            ),
        ]
        indexes = [models.Index(fields=["person", "activity"])]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")


class ActivityPhoto(StoredFile):
    activity = models.ForeignKey(ServiceActivity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="service/%Y/%m/")

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")


class LeaderVisit(models.Model):
    """院领导下沉 / 联系支部: a leader's visit to a branch, and the problems it raised."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("走访的组织"),
    )  # fmt: skip
    leader = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("院领导")
    )
    visited_on = models.DateField(_("日期"))
    summary = models.TextField(_("走访情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("领导下沉走访")
        verbose_name_plural = _("领导下沉走访")


class Problem(models.Model):
    """A problem found for the people (问题清单 / 我为群众办实事), its owner and deadline;
    resolved once, with what was done."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("责任组织"),
    )  # fmt: skip
    title = models.CharField(_("问题"), max_length=300)
    description = models.TextField(_("具体情况"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ProblemSource.choices)
    is_practical_matter = models.BooleanField(_("列入“我为群众办实事”"), default=True)
    found_on = models.DateField(_("发现日期"))
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("责任人"),
    )  # fmt: skip
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    visit = models.ForeignKey(
        LeaderVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "found_on"]),
            models.Index(fields=["organization", "resolved_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True)
                | models.Q(deadline__gte=models.F("found_on")),
                name="problem_deadline_after_found",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True)
                | models.Q(resolved_on__gte=models.F("found_on")),
                name="problem_resolved_after_found",
            ),
        ]
        verbose_name = _("问题清单")
        verbose_name_plural = _("问题清单")

    def __str__(self):
        return self.title


class ServiceTarget(models.Model):
    """A hospital's yearly targets (e.g. 100,000 people served, 30 practical matters)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    people_served = models.PositiveIntegerField(_("服务人次目标"), null=True, blank=True)
    practical_matters = models.PositiveIntegerField(_("办实事目标（件）"), null=True, blank=True)
    hours_as_study = models.BooleanField(_("志愿服务时长计入学时"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_target_per_year")
        ]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")


class PartyPost(models.Model):
    """党员示范岗 / 党员责任区 / 党员突击队: named, with its members and a record of what it did."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    kind = models.CharField(_("类别"), max_length=24, choices=PostKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    members = models.ManyToManyField("people.Person", related_name="+", verbose_name=_("成员"))
    established_on = models.DateField(_("设立日期"))
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)
    description = models.TextField(_("职责与承诺"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "kind", "name"]
        verbose_name = _("党员示范岗·责任区·突击队")
        verbose_name_plural = _("党员示范岗·责任区·突击队")

    def __str__(self):
        return self.name


class PostRecord(models.Model):
    post = models.ForeignKey(PartyPost, on_delete=models.CASCADE, related_name="records")
    on = models.DateField(_("日期"))
    text = models.TextField(_("事迹"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("事迹记录")
        verbose_name_plural = _("事迹记录")


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agreements of the user's organisations, and those whose partner organisation
        (in the system) is one of them: both sides see the agreement."""
        from dangjian.accounts.scope import prefix_q, scope_for

        paths = scope_for(user).org_paths
        return self.filter(
            prefix_q("organization__path", paths) | prefix_q("partner_org__path", paths)
        )


class Partnership(models.Model):
    """共建协议 (结对共建): our organisation (a branch or a hospital) and a partner — an
    organisation in the system or an outside unit by name. Ended with a date and a
    reason, never deleted."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("本方党组织"),
    )  # fmt: skip
    partner_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("共建党组织（系统内）"),
    )  # fmt: skip
    partner_name = models.CharField(_("共建单位"), max_length=200, blank=True)
    partner_kind = models.CharField(_("单位类别"), max_length=16, choices=PartnerKind.choices)
    title = models.CharField(_("协议名称"), max_length=200)
    signed_on = models.DateField(_("签订日期"))
    ends_on = models.DateField(_("约定期满"), null=True, blank=True)
    content = models.TextField(_("共建内容与目标"), blank=True)
    contact = models.CharField(_("对方联系人及电话"), max_length=200, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["organization", "signed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner_org__isnull=False) | ~models.Q(partner_name=""),
                name="partnership_has_partner",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("signed_on")),
                name="partnership_ends_after_signing",
            ),
        ]
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")

    def __str__(self):
        return self.title

    @property
    def partner(self) -> str:
        return self.partner_org.name if self.partner_org_id else self.partner_name


class AllianceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Alliances led by one of the user's organisations or with one of them among the
        members."""
        from dangjian.accounts.scope import prefix_q, scope_for

        paths = scope_for(user).org_paths
        members = AllianceMember.objects.filter(prefix_q("organization__path", paths))
        return self.filter(
            prefix_q("lead__path", paths) | models.Q(pk__in=members.values("alliance"))
        )


class Alliance(models.Model):
    """党建联盟: several hospitals (and outside units) under a lead organisation."""

    name = models.CharField(_("联盟名称"), max_length=200)
    lead = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("牵头组织"),
    )  # fmt: skip
    founded_on = models.DateField(_("成立日期"))
    charter = models.TextField(_("联盟章程与工作机制"), blank=True)
    ended_on = models.DateField(_("解散日期"), null=True, blank=True)
    end_reason = models.CharField(_("解散原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllianceQuerySet.as_manager()

    class Meta:
        ordering = ["-founded_on", "-id"]
        verbose_name = _("党建联盟")
        verbose_name_plural = _("党建联盟")

    def __str__(self):
        return self.name


class AllianceMember(models.Model):
    """A member of an alliance: an organisation in the system, or an outside unit."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("成员组织"),
    )  # fmt: skip
    name = models.CharField(_("外部成员单位"), max_length=200, blank=True)
    kind = models.CharField(_("单位类别"), max_length=16, choices=PartnerKind.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | ~models.Q(name=""),
                name="alliance_member_named",
            ),
            models.UniqueConstraint(
                fields=["alliance", "organization"],
                name="alliance_member_once",
                condition=models.Q(organization__isnull=False),
            ),  # fmt: skip
        ]
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")

    @property
    def label(self) -> str:
        return self.organization.name if self.organization_id else self.name
