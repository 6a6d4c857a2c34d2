"""Account changes: passwords, role grants, API tokens. Each runs in a transaction and
leaves an audit entry."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit

from .models import ApiToken, PasswordHistory, Role, RoleGrant, User

TOKEN_LIFETIME = timedelta(days=30)


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
    stale = user.password_history.values_list("pk", flat=True)[settings.PASSWORD_HISTORY_COUNT :]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    audit.record(
        "password.set" if initial else "password.change",
        actor=by or user,
        obj=user,
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
    """Create the user if missing and give it `role` on the subtree of `organization`."""
    if role not in Role.values:
        raise ValueError(f"未知角色：{role}（可选：{', '.join(Role.values)}）")
    user, created = User.objects.get_or_create(username=username)
    if created and not password:
        raise ValueError("新建用户须用 --password 设定初始密码（系统不设默认密码）")
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


@transaction.atomic
def issue_token(user: User) -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_digest=ApiToken.digest(key), expires_at=timezone.now() + TOKEN_LIFETIME
    )
    audit.record("api.token", actor=user, obj=user, summary={"username": user.username})
    return key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_digest=ApiToken.digest(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
