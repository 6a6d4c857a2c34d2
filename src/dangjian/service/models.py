"""Volunteer service activities (with their volunteers and photos), the problem list of
我为群众办实事 with its owners and deadlines, leaders' field visits, yearly targets, and
党员示范岗 / 责任区 / 突击队 with what they did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile

from .rules import ActivityKind, PostKind, ProblemSource


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
