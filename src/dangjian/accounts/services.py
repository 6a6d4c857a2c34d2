"""Account changes: passwords, role grants, API tokens. Each runs in a transaction and
leaves an audit entry."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils import timezone

from dangjian.core import audit

from .models import ApiToken, PasswordHistory, Role, RoleGrant, User


def home_path(user) -> str:
    """Where the account's security events are audited: its organisation, else the
    organisation of its first role ("" for none: only a root's audit administrator)."""
    if user is None:
        return ""
    if user.organization_id is not None:
        return user.organization.path
    grant = user.grants.select_related("organization").order_by("pk").first()
    return grant.organization.path if grant else ""


@transaction.atomic
def change_password(user: User, raw: str, *, by=None, initial: bool = False) -> None:
    """Set a password after the complexity and history rules. An initial password (set by
    an administrator) must be changed by the user at the next login."""
    validate_password(raw, user)
    user.set_password(raw)
    user.must_change_password = initial
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    # A new password ends every way in that the old one opened.
    revoke_tokens(user, by=by or user, reason="password")
    stale = user.password_history.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_COUNT :]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    audit.record(
        "password.set" if initial else "password.change",
        actor=by or user,
        obj=user,
        org_path=home_path(user),
        summary={"username": user.username},
    )


def password_expired(user: User) -> bool:
    if user.password_changed_at is None:
        return True
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    return timezone.now() - user.password_changed_at > max_age


def must_change_password(user: User) -> bool:
    """An initial or expired password: the user may do nothing but change it, on every
    path (pages, API with a session or a token, token issue, calendar feeds)."""
    return user.must_change_password or password_expired(user)


@transaction.atomic
def grant_role(username: str, role: str, organization, *, password: str | None = None, by=None):
    """Create the user if missing and give it `role` on the subtree of `organization`
    (the operator's command and the demo; administrators use accounts.administration)."""
    from .administration import separation_problem

    if role not in Role.values:
        raise ValueError(f"未知角色：{role}（可选：{', '.join(Role.values)}）")
    user, created = User.objects.get_or_create(
        username=username, defaults={"organization": organization}
    )
    if created and not password:
        raise ValueError("新建用户须用 --password 设定初始密码（系统不设默认密码）")
    problem = separation_problem(user, role)
    if problem:
        raise ValueError(problem)
    if password:
        change_password(user, password, by=by, initial=True)
    grant, granted = RoleGrant.objects.get_or_create(
        user=user, role=role, organization=organization
    )
    if granted:
        audit.record(
            "role.grant",
            actor=by,
            obj=grant,
            org_path=organization.path,
            summary={"username": username, "role": role, "org": organization.code},
        )
    return user, created


# ---- API tokens ------------------------------------------------------------------------
def active_tokens(user: User):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def issue_token(user: User) -> str:
    """A new token for `user`, living DANGJIAN_TOKEN_LIFETIME_DAYS; beyond the cap of
    DANGJIAN_TOKENS_PER_USER active tokens, the oldest is revoked."""
    key = secrets.token_urlsafe(32)
    lifetime = timedelta(days=settings.DANGJIAN_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.create(
        user=user, key_digest=ApiToken.digest(key), expires_at=timezone.now() + lifetime
    )
    surplus = list(
        active_tokens(user).values_list("pk", flat=True)[settings.DANGJIAN_TOKENS_PER_USER :]
    )
    if surplus:
        ApiToken.objects.filter(pk__in=surplus).update(revoked_at=timezone.now())
    audit.record(
        "api.token", actor=user, obj=user, org_path=home_path(user),
        summary={"username": user.username, "revoked_oldest": len(surplus)},
    )  # fmt: skip
    return key


@transaction.atomic
def revoke_tokens(user: User, pks=None, *, by=None, reason: str = "") -> int:
    """Revoke the user's active tokens (`pks`: only these); how many were revoked."""
    tokens = active_tokens(user)
    if pks is not None:
        tokens = tokens.filter(pk__in=list(pks))
    count = tokens.update(revoked_at=timezone.now())
    if count:
        audit.record(
            "api.token_revoke", actor=by, obj=user, org_path=home_path(user),
            summary={"username": user.username, "tokens": count, "reason": reason},
        )  # fmt: skip
    return count


@transaction.atomic
def revoke_feeds(user: User, *, by=None) -> None:
    """Every calendar feed link the user has handed out stops working."""
    User.objects.filter(pk=user.pk).update(feed_generation=models.F("feed_generation") + 1)
    user.refresh_from_db(fields=["feed_generation"])
    audit.record(
        "calendar.feed_revoke", actor=by or user, obj=user, org_path=home_path(user), summary={}
    )


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_digest=ApiToken.digest(key),
            expires_at__gt=timezone.now(),
            revoked_at__isnull=True,
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
