"""Organisational life: meetings of every kind, attendance, attachments, study records
and each branch's calendar settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile

from .rules import DEFAULT_THEME_DAY, MeetingKind, summary_for


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    HELD = "held", _("已召开")
    FILED = "filed", _("记录已归档")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of organisations whose people the user may read, and for a member the
        meetings they are expected at (to check in and see their own record)."""
        from dangjian.accounts.scope import prefix_q, scope_for

        scope = scope_for(user)
        q = prefix_q("organization__path", scope.people_paths)
        if scope.self_person_id is not None:
            q |= models.Q(
                pk__in=Attendance.objects.filter(person_id=scope.self_person_id).values("meeting")
            )
        return self.filter(q)


class Meeting(models.Model):
    """A 三会一课 meeting, theme day, life meeting, appraisal or heart talk of one
    organisation (a branch, or a Party group for group meetings)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("党组织"),
    )
    kind = models.CharField(_("类别"), max_length=32, choices=MeetingKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    host = models.CharField(_("主持人"), max_length=100, blank=True)
    lecturer = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("授课人"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    resolution = models.TextField(_("决议"), blank=True)
    expected_voters = models.PositiveSmallIntegerField(_("应到有表决权党员"), null=True)
    # The vote on the resolution (assemblies and committee meetings)
    votes_yes = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "held_on"]),
            models.Index(fields=["status", "held_on"]),
        ]
        verbose_name = _("组织生活")
        verbose_name_plural = _("组织生活")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic} {self.planned_on}"

    @property
    def summary(self) -> str:
        """The kind and topic as a title, the kind once (rules.summary_for)."""
        return summary_for(self.kind, self.topic)


class AttendanceState(models.TextChoices):
    # Before the meeting is held nobody is absent yet: a row waits for the check-in or
    # the secretary; recording the meeting as held turns the rows still waiting to absent.
    PENDING = "pending", _("未签到")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class Attendance(models.Model):
    """One expected member at one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="attendance")
    state = models.CharField(
        _("出席情况"),
        max_length=16,
        choices=AttendanceState.choices,
        default=AttendanceState.PENDING,
    )
    reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    is_voter = models.BooleanField(_("有表决权"), default=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["person", "state"])]
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")


class MeetingAttachment(StoredFile):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="meetings/%Y/%m/")

    class Meta:
        ordering = ["meeting", "uploaded_at"]
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")


class StudyKind(models.TextChoices):
    TRAINING = "training", _("集中培训")
    SELF_STUDY = "self_study", _("个人自学")
    LECTURE = "lecture", _("党课学习")
    ONLINE = "online", _("网络学习")
    MEETING = "meeting", _("组织生活学习")
    PRACTICE = "practice", _("志愿服务实践")


class Study(models.Model):
    """Class hours a member studied (学习教育): 32 a year is the target."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="studies")
    kind = models.CharField(_("方式"), max_length=16, choices=StudyKind.choices)
    title = models.CharField(_("内容"), max_length=200)
    studied_on = models.DateField(_("日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="studies"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person", "-studied_on"]
        indexes = [models.Index(fields=["person", "studied_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="study_hours_positive"),
            # Attending a meeting credits each person once (services.sync_meeting_credit).
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(meeting__isnull=False),
                name="study_once_per_meeting",
            ),
        ]
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")


class StudyCredit(models.Model):
    """A hospital's choice for one kind of meeting: whether attending it credits class
    hours, and how many (blank: the meeting's length, see rules.credited_hours). Kinds
    without a row follow rules.DEFAULT_CREDITED_KINDS."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="study_credits"
    )
    kind = models.CharField(_("类别"), max_length=32, choices=MeetingKind.choices)
    credits = models.BooleanField(_("出席计入学时"))
    hours = models.DecimalField(
        _("每次计入学时"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="study_credit_once"),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0, hours__lte=24),
                name="study_credit_hours_range",
            ),
        ]
        verbose_name = _("学时计入设置")
        verbose_name_plural = _("学时计入设置")


class CalendarSettings(models.Model):
    """A branch's fixed theme day (主题党日) and its Party-building calendar feed token."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="calendar_settings"
    )
    theme_day = models.PositiveSmallIntegerField(
        _("主题党日（每月几日）"), default=DEFAULT_THEME_DAY
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theme_day__gte=1, theme_day__lte=31), name="theme_day_in_month"
            )
        ]
        verbose_name = _("党建日历设置")
        verbose_name_plural = _("党建日历设置")
