"""Surveys, their questions and options, who has answered, and the answers.

Anonymity is a matter of what is stored. For an anonymous survey a `Response` row says
only that a person has answered (so nobody answers twice and the office sees turnout);
the `Answer` rows of that survey carry no person, no response, no timestamp, and a
random UUID key, so nothing in the application's data joins an answer to a respondent:
not a foreign key, not a time, not a sequence number (an auto-increment key on both
tables would let the n-th response be paired with the n-th answers). Several answers of
one respondent are not grouped either. For a named survey the answers point to the
response, and the office sees who answered what.

What is left lies below the application: the storage's row order (SQLite's rowid,
PostgreSQL's heap) and PostgreSQL's system column `xmin` (the writing transaction,
shared by a response and its answers). No page, export or query reads them (answers
are ordered by question, then text or random key); someone with raw database access
could, which a periodic rewrite of the response rows would close (not done yet)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("填空")


class SurveyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Surveys of the organisations whose people the user may read (the authors'
        side: the office, secretaries, guidance). Members reach theirs through
        `queries.for_member`."""
        from dangjian.accounts.scope import prefix_q, scope_for

        return self.filter(prefix_q("organization__path", scope_for(user).people_paths))


class Survey(models.Model):
    """One survey (问卷) or vote (投票, a survey of one choice question) for the members of
    `organization`'s subtree. Written as a draft; published, its questions are fixed."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("发起组织"),
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    is_vote = models.BooleanField(_("投票"), default=False)
    is_anonymous = models.BooleanField(_("匿名"), default=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    results_public = models.BooleanField(_("截止后向党员公开结果"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["organization", "closes_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            )
        ]
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    max_picks = models.PositiveSmallIntegerField(_("最多可选"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_picks__isnull=True) | models.Q(max_picks__gte=1),
                name="question_max_picks_positive",
            )
        ]
        verbose_name = _("题目")
        verbose_name_plural = _("题目")

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind != QuestionKind.TEXT


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("选项"), max_length=200)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("选项")
        verbose_name_plural = _("选项")

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """That `person` has answered `survey` (once): turnout, and the refusal of a second
    answer. No time is kept, so that nothing orders it against the answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="survey_responses"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="survey_answered_once")
        ]
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")


class Answer(models.Model):
    """One picked option, or one free-text answer. `response` is set for named surveys
    only; anonymous answers have nothing that leads back to a person (module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("回答"), blank=True)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )

    class Meta:
        # Never in insertion order: the question, then the (random) key.
        ordering = ["question", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(option__isnull=False) | ~models.Q(text=""),
                name="answer_option_or_text",
            )
        ]
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
