"""党建品牌: a branch's or a hospital's brand (seeds 001, 004: “党旗下的红丝带之家”,
“肝胆相照”), its idea, measures and results, and the records of its organisation's
subtree that show them (meetings, service activities, co-building agreements, honours)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile


class BrandQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Brands of the organisations the user may open (a brand is shown, not hidden:
        the guidance committee sees its hospitals' brands)."""
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_orgs(self, "organization__path")


class Brand(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("党组织"),
    )  # fmt: skip
    name = models.CharField(_("品牌名称"), max_length=100)
    idea = models.TextField(_("品牌理念"))
    measures = models.TextField(_("主要举措"), blank=True)
    results = models.TextField(_("工作成效"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("创建年份"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BrandQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="brand_name_once")
        ]
        verbose_name = _("党建品牌")
        verbose_name_plural = _("党建品牌")

    def __str__(self) -> str:
        return self.name


class BrandLogo(StoredFile):
    """The brand's logo or emblem image (one per brand; a new one replaces it)."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="logo")
    file = models.FileField(_("品牌标识"), upload_to="brands/%Y/%m/")

    class Meta:
        verbose_name = _("品牌标识")
        verbose_name_plural = _("品牌标识")


class EvidenceKind(models.TextChoices):
    MEETING = "meeting", _("组织生活")
    ACTIVITY = "activity", _("志愿服务活动")
    PARTNERSHIP = "partnership", _("共建协议")
    HONOR = "honor", _("荣誉")


class Evidence(models.Model):
    """One record that shows the brand at work: exactly one of the four links is set."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类别"), max_length=16, choices=EvidenceKind.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "service.ServiceActivity", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    partnership = models.ForeignKey(
        "service.Partnership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    honor = models.ForeignKey(
        "honors.Honor", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="meeting",
                        meeting__isnull=False,
                        activity__isnull=True,
                        partnership__isnull=True,
                        honor__isnull=True,
                    )
                    | models.Q(
                        kind="activity",
                        meeting__isnull=True,
                        activity__isnull=False,
                        partnership__isnull=True,
                        honor__isnull=True,
                    )
                    | models.Q(
                        kind="partnership",
                        meeting__isnull=True,
                        activity__isnull=True,
                        partnership__isnull=False,
                        honor__isnull=True,
                    )
                    | models.Q(
                        kind="honor",
                        meeting__isnull=True,
                        activity__isnull=True,
                        partnership__isnull=True,
                        honor__isnull=False,
                    )
                ),
                name="evidence_one_record",
            ),  # fmt: skip
            *(
                models.UniqueConstraint(
                    fields=["brand", name],
                    name=f"evidence_{name}_once",
                    condition=models.Q(**{f"{name}__isnull": False}),
                )  # fmt: skip
                for name in ("meeting", "activity", "partnership", "honor")
            ),
        ]
        verbose_name = _("品牌佐证")
        verbose_name_plural = _("品牌佐证")

    @property
    def record(self):
        return getattr(self, self.kind)
