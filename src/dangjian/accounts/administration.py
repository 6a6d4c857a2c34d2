"""Account administration under 三权分立 (等保 2.0 level 3): the system administrator keeps
the accounts (create, deactivate, unlock, reset a password), the security administrator
the roles and the security policy (grants, second factor), the audit administrator reads
the log of both. No account holds two of the three roles, and nobody administers their
own account. Each change runs in a transaction and leaves an audit entry under the
account's organisation, where that subtree's audit administrators see it.

`by` is the administrator acting through the pages; the operator's commands pass None
(they run on the server itself, outside the roles).
"""

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core import audit

from .models import ADMIN_ROLES, Role, RoleGrant, SecurityPolicy, User
from .services import change_password, home_path, revoke_feeds, revoke_tokens


class AccountRefusal(ValueError):
    """A change the rules forbid; the message is shown to the user as it is."""


def separation_problem(user: User, role: str) -> str | None:
    """Why `user` may not take `role`, or None (三权分立: one administrator role each)."""
    if role not in ADMIN_ROLES:
        return None
    others = set(user.grants.filter(role__in=ADMIN_ROLES).values_list("role", flat=True))
    others.discard(role)
    if others:
        held = "、".join(str(Role(r).label) for r in sorted(others))
        return _("三权分立：%(user)s 已是%(held)s，不能再担任%(role)s") % {
            "user": user.username, "held": held, "role": Role(role).label,
        }  # fmt: skip
    return None


def _not_self(by, target: User) -> None:
    if by is not None and by.pk == target.pk:
        raise AccountRefusal(_("不能管理自己的账号：请由另一位管理员操作"))


def _record(action: str, by, target: User, **summary) -> None:
    audit.record(
        action, actor=by, obj=target, org_path=home_path(target),
        summary={"username": target.username, **summary},
    )  # fmt: skip


@transaction.atomic
def create_account(by, *, username: str, full_name: str, organization, password: str) -> User:
    """A new account of `organization` with an initial password that must be changed at
    the first login; it holds no role until the security administrator grants one."""
    username = username.strip()
    if not username:
        raise AccountRefusal(_("请填写账号"))
    if User.objects.filter(username=username).exists():
        raise AccountRefusal(_("账号已存在：%(name)s") % {"name": username})
    user = User.objects.create(username=username, first_name=full_name.strip(),
                               organization=organization)  # fmt: skip
    change_password(user, password, by=by, initial=True)
    _record("account.create", by, user, org=organization.code)
    return user


@transaction.atomic
def grant(by, target: User, role: str, organization) -> RoleGrant:
    _not_self(by, target)
    if role not in Role.values:
        raise AccountRefusal(_("未知角色：%(role)s") % {"role": role})
    problem = separation_problem(target, role)
    if problem:
        raise AccountRefusal(problem)
    role_grant, created = RoleGrant.objects.get_or_create(
        user=target, role=role, organization=organization
    )
    if not created:
        raise AccountRefusal(_("该账号已在此组织担任此角色"))
    if target.organization_id is None:
        User.objects.filter(pk=target.pk).update(organization=organization)
        target.organization = organization
    audit.record(
        "role.grant", actor=by, obj=role_grant, org_path=organization.path,
        summary={"username": target.username, "role": role, "org": organization.code},
    )  # fmt: skip
    return role_grant


@transaction.atomic
def revoke(by, role_grant: RoleGrant) -> None:
    target = role_grant.user
    _not_self(by, target)
    organization = role_grant.organization
    audit.record(
        "role.revoke", actor=by, obj=role_grant, org_path=organization.path,
        summary={"username": target.username, "role": role_grant.role, "org": organization.code},
    )  # fmt: skip
    role_grant.delete()


@transaction.atomic
def set_active(by, target: User, active: bool) -> None:
    """Deactivate (every session, token and feed link stops working) or reactivate."""
    _not_self(by, target)
    if target.is_active == active:
        raise AccountRefusal(_("账号已是启用状态") if active else _("账号已是停用状态"))
    User.objects.filter(pk=target.pk).update(is_active=active)
    target.is_active = active
    if not active:
        revoke_tokens(target, by=by, reason="deactivated")
    _record("account.activate" if active else "account.deactivate", by, target)


@transaction.atomic
def unlock(by, target: User) -> int:
    """Clear the failed logins that locked the account; how many were cleared."""
    _not_self(by, target)
    cleared = axes_reset(username=target.username)
    _record("account.unlock", by, target, records=cleared)
    return cleared


@transaction.atomic
def reset_password(by, target: User, raw: str) -> None:
    """An initial password the user must change at the next login (tokens revoked)."""
    _not_self(by, target)
    change_password(target, raw, by=by, initial=True)


@transaction.atomic
def revoke_all_tokens(by, target: User) -> int:
    """Every API token and calendar feed link of the account stops working."""
    _not_self(by, target)
    count = revoke_tokens(target, by=by, reason="administrator")
    revoke_feeds(target, by=by)
    return count


@transaction.atomic
def reset_second_factor(by, target: User) -> int:
    """Remove the user's authenticator devices: they enrol again at the next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _not_self(by, target)
    removed, _detail = TOTPDevice.objects.filter(user=target).delete()
    _record("otp.reset", by, target, devices=removed)
    return removed


@transaction.atomic
def set_policy(by, organization, *, require_totp: bool) -> SecurityPolicy:
    policy, _created = SecurityPolicy.objects.select_for_update().get_or_create(
        organization=organization
    )
    policy.require_totp = require_totp
    policy.save()
    audit.record(
        "security.policy", actor=by, obj=policy, org_path=organization.path,
        summary={"org": organization.code, "require_totp": require_totp},
    )  # fmt: skip
    return policy
