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
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
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
