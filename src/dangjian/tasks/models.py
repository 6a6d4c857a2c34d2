"""Target lists, their areas and tasks, the progress ledger, evidence files and the
close-out (销号) applications with their review. A task's `closed_on` and
`percent` are kept by `tasks.services` only, from the ledger and the close-outs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import StoredFile


class TargetList(models.Model):
    """One organisation's yearly target list (目标任务清单)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="target_lists",
        verbose_name=_("党组织"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="target_list_per_year")
        ]
        verbose_name = _("目标任务清单")
        verbose_name_plural = _("目标任务清单")

    def __str__(self) -> str:
        return self.title


class TaskArea(models.Model):
    """An area (方面) of a target list, e.g. 政治建设 or 组织建设."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("方面"), max_length=100)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["target_list", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["target_list", "name"], name="task_area_name_once")
        ]
        verbose_name = _("任务方面")
        verbose_name_plural = _("任务方面")

    def __str__(self) -> str:
        return self.name


class ProgressKind(models.TextChoices):
    PERCENT = "percent", _("按百分比")
    MILESTONES = "milestones", _("按节点")


class TaskState(models.TextChoices):
    OPEN = "open", _("推进中")
    APPLIED = "applied", _("已申请销号")
    CLOSED = "closed", _("已销号")


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks of lists the user may read, and tasks their organisation is responsible
        for (a branch sees the hospital's tasks it carries), and tasks they own."""
        from dangjian.accounts.scope import prefix_q, scope_for

        scope = scope_for(user)
        q = prefix_q("area__target_list__organization__path", scope.people_paths)
        q |= prefix_q("responsible_org__path", scope.people_paths)
        if scope.self_person_id is not None:
            owned = WorkTask.owners.through.objects.filter(person_id=scope.self_person_id)
            q |= models.Q(pk__in=owned.values("worktask_id"))
        return self.filter(q)


class WorkTask(models.Model):
    """One task of a target list: who carries it, by when, and what result is expected."""

    area = models.ForeignKey(TaskArea, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("编号"), default=0)
    title = models.CharField(_("任务"), max_length=300)
    expected_result = models.TextField(_("预期成果"), blank=True)
    responsible_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="responsible_tasks",
        verbose_name=_("责任组织"),
    )
    owners = models.ManyToManyField(
        "people.Person", related_name="owned_tasks", blank=True, verbose_name=_("责任人")
    )
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"))
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, default=1)
    progress_kind = models.CharField(
        _("进度方式"), max_length=16, choices=ProgressKind.choices, default=ProgressKind.PERCENT
    )
    percent = models.PositiveSmallIntegerField(_("完成进度"), default=0)
    state = models.CharField(
        _("状态"), max_length=16, choices=TaskState.choices, default=TaskState.OPEN
    )
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["area__target_list", "area__order", "number", "id"]
        indexes = [
            models.Index(fields=["due_on", "closed_on"]),
            models.Index(fields=["responsible_org", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="task_due_after_start"
            ),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_max"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="task_weight_positive"),
        ]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.state == TaskState.CLOSED


class TaskMilestone(models.Model):
    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("节点时限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["task", "due_on", "id"]
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on:%Y-%m-%d}）" if self.due_on else self.title


class TaskProgress(models.Model):
    """One dated entry of the ledger (台账): what was done, with the progress it reached."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("日期"))
    text = models.TextField(_("推进情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度"), null=True, blank=True)
    milestone = models.ForeignKey(
        TaskMilestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("完成节点"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "-recorded_on", "-id"]
        verbose_name = _("推进台账")
        verbose_name_plural = _("推进台账")


class ClosureState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已销号")
    RETURNED = "returned", _("已退回")
    REOPENED = "reopened", _("已重新打开")


class TaskClosure(models.Model):
    """A close-out application and what became of it: approved, returned with a reason,
    or (after approval) reopened with a reason. Rows are never deleted."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="closures")
    summary = models.TextField(_("完成情况"))
    applied_on = models.DateField(_("申请日期"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=ClosureState.choices, default=ClosureState.PENDING
    )
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reason = models.TextField(_("退回理由"), blank=True)
    reopened_on = models.DateField(_("重新打开日期"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(_("重新打开理由"), blank=True)

    class Meta:
        ordering = ["task", "-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(state="pending"),
                name="task_one_pending_closure",
            )
        ]
        verbose_name = _("销号申请")
        verbose_name_plural = _("销号申请")


class TaskEvidence(StoredFile):
    """A file proving progress or completion: attached to a ledger entry or to a
    close-out application."""

    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="evidence")
    progress = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    closure = models.ForeignKey(
        TaskClosure, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="tasks/%Y/%m/")

    class Meta:
        ordering = ["task", "uploaded_at", "id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
