"""Bulletins as published: what the branches received (the content as it stood, the
announcement that carries the .docx and its read receipts)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from .judgements import Appraisal, ScoreEntry, ScoreSheet, SecretaryReview  # noqa: F401


class PublishedBulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who read the organisation's people: a bulletin names members."""
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_by_org(self, "organization__path")


class PublishedBulletin(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织")
    )
    period = models.CharField(_("期间"), max_length=7)  # 2024-Q1, 2024-H1, 2024
    title = models.CharField(_("标题"), max_length=200)
    # The bulletin as published (bulletin.Bulletin.as_dict): later records do not rewrite it.
    content = models.JSONField(_("内容"), encoder=DjangoJSONEncoder)
    announcement = models.OneToOneField(
        "notices.Announcement", on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = PublishedBulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organization", "period"])]
        verbose_name = _("党政管理通报")
        verbose_name_plural = _("党政管理通报")

    def __str__(self):
        return self.title
