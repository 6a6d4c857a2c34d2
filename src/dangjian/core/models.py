from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """What every uploaded file keeps beside its `file` field (which each model declares
    with its own folder): the name it was uploaded under, its size, who and when."""

    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def store(cls, upload, *, by, **owner):
        """Save `upload` (already checked by core.uploads.upload_problem) for `owner`."""
        return cls.objects.create(
            file=upload, original_name=upload.name[:255], size=upload.size, uploaded_by=by,
            **owner,
        )  # fmt: skip


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    """One line of the audit log: every change, login and personal-data read or export.

    Append-only and hash-chained (`prev_hash` → `hash`, as byro's LogEntry), with a keyed
    hash over every field and a sequence number without gaps: changing or deleting a row
    breaks the chain, which `dangjian verify-audit` reports. The database refuses UPDATE and
    DELETE on the table (triggers), and signed checkpoints outside it anchor the head.
    """

    # Position in the chain, 1, 2, 3 … without gaps: a missing row shows as a gap.
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    # Materialised path of the organisation the entry concerns: the auditor's scope.
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    summary = models.JSONField(_("内容"), default=dict, blank=True)
    ip_address = models.CharField(_("来源地址"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditHead(models.Model):
    """A single row holding the newest entry's position and hash; locking it serialises
    appends to the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)


class Notice(models.Model):
    """An in-app inbox message: reminders from jobs, notices from offices."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("收件人"),
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")


class FieldKeyCanary(models.Model):
    """A known value encrypted with the field key when the database is first migrated
    (core.fieldkey): start-up decrypts it, so a wrong DANGJIAN_FIELD_KEY is refused at
    once instead of writing unreadable data or failing on the first member's page."""

    ciphertext = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("字段密钥校验值")
        verbose_name_plural = _("字段密钥校验值")
