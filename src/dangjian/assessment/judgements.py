"""The reviewers' judgements and the scored periods (issue 20): the 民主评议党员 grade of each
member for a year, each reviewer's 述职评议 grade of a branch secretary, and the score
sheets the Party office finalised (评定), kept as decided whatever the records say later.
Imported by models.py so Django registers them under the assessment app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who read the organisation's people: grades and scores name members."""
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_by_org(self, "organization__path")


class Appraisal(models.Model):
    """民主评议党员: one member's grade for a year, entered for their branch."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("党员")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=16, choices=rules.APPRAISAL_GRADES)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="appraisal_once_a_year")
        ]
        indexes = [models.Index(fields=["organization", "year"])]
        verbose_name = _("民主评议党员")
        verbose_name_plural = _("民主评议党员")


class SecretaryReview(models.Model):
    """述职评议: one reviewer's grade of a branch secretary's annual report."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("党支部")
    )
    secretary = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("支部书记")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("评议人"),
    )  # fmt: skip
    grade = models.CharField(
        _("评议等次"), max_length=8, choices=[(k, v) for k, v, _p in rules.REVIEW_GRADES]
    )
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "secretary", "year", "reviewer"],
                name="secretary_review_once_per_reviewer",
            )
        ]
        indexes = [models.Index(fields=["organization", "year"])]
        verbose_name = _("书记抓党建述职评议")
        verbose_name_plural = _("书记抓党建述职评议")


class ScoreSheet(models.Model):
    """A period's scores for one level under an organisation, as the office finalised them."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织")
    )
    level = models.CharField(_("层级"), max_length=16, choices=rules.LEVELS)
    period = models.CharField(_("期间"), max_length=7)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scored_at = models.DateTimeField(_("评定时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "level", "period"], name="score_sheet_once_per_period"
            )
        ]
        verbose_name = _("考核评定结果")
        verbose_name_plural = _("考核评定结果")


class ScoreEntry(models.Model):
    """One scored organisation (and, at the secretary level, its secretary) of a sheet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)  # as it read when finalised
    score = models.FloatField(null=True)
    colour = models.CharField(max_length=8)
    rank = models.PositiveIntegerField(null=True)
    # [{"key", "label", "weight", "value", "points", "detail", "records", "link"}], "bonus"
    breakdown = models.JSONField(default=dict)

    class Meta:
        ordering = ["rank", "id"]
        indexes = [models.Index(fields=["organization", "sheet"])]
