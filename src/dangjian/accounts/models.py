import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    must_change_password = models.BooleanField(_("须修改初始密码"), default=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Bumped to revoke every calendar feed link the user has handed out.
    feed_generation = models.PositiveIntegerField(_("日历订阅链接版本"), default=0)
    # The organisation the account belongs to: whose administrators manage it, and where
    # its security events (logins, password and token changes) are audited.
    organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属组织"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")


class Role(models.TextChoices):
    GUIDANCE = "guidance", _("指导委员会")
    OFFICE = "office", _("党委办公室")
    SECRETARY = "secretary", _("支部书记·支委")
    MEMBER = "member", _("党员")
    AUDITOR = "auditor", _("纪检")
    # 三权分立 (等保 2.0): accounts, security policy and the audit log are kept apart.
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("审计管理员")


# Roles that may change records in their subtree; the others only read.
WRITE_ROLES = (Role.OFFICE, Role.SECRETARY)
# No account holds two of these: none may do another's work or hide it.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# Roles that must use a second factor when their organisation's policy says so.
TOTP_ROLES = (Role.OFFICE, Role.GUIDANCE, *ADMIN_ROLES)


class RoleGrant(models.Model):
    """A role held on a subtree of the organisation tree. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("范围"),
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organization"], name="grant_unique")
        ]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so the last 5 are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class SecurityPolicy(models.Model):
    """A hospital's (or guidance committee's) security settings, set by its security
    administrator; they apply to the whole subtree."""

    organization = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("组织")
    )
    require_totp = models.BooleanField(_("办公室、指导委员会及管理员须用动态口令"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")
