"""学习教育: courses published to a subtree with their materials (documents and video
links), each hospital's question bank, a course's exam, members' attempts and the
completions that credited class hours (as meetings.Study rows: hours are counted there
only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile

from .rules import DEFAULT_PASS_MARK, DrawMode, QuestionKind


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Courses published to the user's subtrees or below them (who manages or follows
        them), or to an organisation above (a hospital's course reaches its branches and
        a member's own branch and hospital)."""
        from dangjian.accounts.scope import prefix_q, scope_for
        from dangjian.people.models import Person

        from .queries import ancestor_paths

        scope = scope_for(user)
        paths = list(scope.people_paths)
        if scope.self_person_id is not None:
            own = Person.objects.filter(pk=scope.self_person_id).values_list(
                "organization__path", flat=True
            )
            paths += [p for p in own if p]
        above = {a for p in paths for a in ancestor_paths(p)}
        return self.filter(
            prefix_q("organization__path", scope.people_paths)
            | models.Q(organization__path__in=above)
        )


class Course(models.Model):
    """A course (课程) for the members of a subtree."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("面向组织"),
    )
    title = models.CharField(_("课程名称"), max_length=200)
    description = models.TextField(_("课程简介"), blank=True)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    required = models.BooleanField(_("必修"), default=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-required", "title", "pk"]
        indexes = [models.Index(fields=["organization", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="course_hours_range"
            )
        ]
        verbose_name = _("课程")
        verbose_name_plural = _("课程")

    def __str__(self) -> str:
        return self.title


class CourseDocument(StoredFile):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("文件"), upload_to="learning/%Y/%m/")

    class Meta:
        ordering = ["course", "uploaded_at", "pk"]
        verbose_name = _("课程资料")
        verbose_name_plural = _("课程资料")


class CourseVideo(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(_("视频名称"), max_length=200)
    url = models.URLField(_("视频链接"), max_length=500)

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("课程视频")
        verbose_name_plural = _("课程视频")


class Question(models.Model):
    """One question of a hospital's bank (题库); `course` tags it for a course's random
    exam. `answer` holds the indexes of the correct options."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="questions"
    )
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("所属课程"),
    )
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("题目"))
    options = models.JSONField(_("选项"), default=list)
    answer = models.JSONField(_("正确答案"), default=list)
    explanation = models.TextField(_("解析"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "pk"]
        verbose_name = _("题目")
        verbose_name_plural = _("题库")

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def answer_letters(self) -> str:
        return "".join("ABCDEFGH"[i] for i in sorted(self.answer))


class Exam(models.Model):
    """A course's exam: a fixed list of questions or N drawn at random from the course's
    questions; passing it completes the course."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="exam")
    mode = models.CharField(_("出题方式"), max_length=16, choices=DrawMode.choices)
    questions = models.ManyToManyField(Question, blank=True, related_name="exams")
    draw_count = models.PositiveSmallIntegerField(_("随机抽题数"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("及格分"), default=DEFAULT_PASS_MARK)
    opens_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("可考次数"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gt=0, pass_mark__lte=100), name="exam_pass_mark"
            )
        ]
        verbose_name = _("考试")
        verbose_name_plural = _("考试")


class Attempt(models.Model):
    """One sitting of an exam by a member: the questions drawn for it, the answers and
    the score (0–100) once submitted."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="exam_attempts"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("通过"), default=False)

    class Meta:
        ordering = ["exam", "person", "number"]
        constraints = [
            # Two sittings started at once cannot both be "attempt 2" (the limit holds).
            models.UniqueConstraint(fields=["exam", "person", "number"], name="attempt_number_once")
        ]
        verbose_name = _("考试记录")
        verbose_name_plural = _("考试记录")


class Completion(models.Model):
    """A member completed a course: its class hours were credited once, as `study`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="course_completions"
    )
    completed_at = models.DateTimeField(_("完成时间"))
    study = models.OneToOneField(
        "meetings.Study", on_delete=models.PROTECT, related_name="course_completion"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="course_completed_once")
        ]
        verbose_name = _("完成记录")
        verbose_name_plural = _("完成记录")
