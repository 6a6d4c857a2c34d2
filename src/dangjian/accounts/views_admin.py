"""Account administration pages (三权分立): the system administrator's accounts, the
security administrator's role grants and policy. Each administrator sees only the
accounts of their subtrees: another hospital's account answers 404."""

from functools import wraps
from urllib.parse import urlencode

from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.pages import private

from . import administration, second_factor
from .administration import AccountRefusal
from .models import Role, RoleGrant, SecurityPolicy, User
from .scope import Scope, accounts_within, prefix_q, scope_for

PAGE_SIZE = 50


class OrgCodeField(forms.CharField):
    """An organisation named by its code, which must lie in the administered subtrees."""

    def __init__(self, *args, paths=(), **kwargs):
        self.paths = list(paths)
        super().__init__(*args, max_length=50, **kwargs)

    def clean(self, value):
        from django.apps import apps

        code = super().clean(value).strip()
        Organization = apps.get_model("orgs", "Organization")
        organization = Organization.objects.filter(prefix_q("path", self.paths), code=code).first()
        if organization is None:  # outside the subtree reads like a code that does not exist
            raise ValidationError(_("组织编码不存在：%(code)s") % {"code": code})
        return organization


class AccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("账号"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("初始密码"), widget=forms.PasswordInput,
        help_text=password_validators_help_text_html(),
    )  # fmt: skip

    def __init__(self, *args, paths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgCodeField(label=_("所属组织编码"), paths=paths)


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)

    def __init__(self, *args, paths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = OrgCodeField(label=_("范围（组织编码）"), paths=paths)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("新的初始密码"), widget=forms.PasswordInput,
        help_text=gettext_lazy("用户下次登录时须修改；其接口令牌全部撤销。"),
    )  # fmt: skip


def _administrator(request) -> Scope:
    scope = scope_for(request.user)
    if not scope.account_paths:
        raise PermissionDenied
    return scope


def _target(request, pk: int, paths: list[str]) -> User:
    """The account `pk` if it lies in `paths`; 404 otherwise (no existence oracle)."""
    if not paths:
        raise PermissionDenied
    return get_object_or_404(accounts_within(User.objects.all(), paths), pk=pk)


def _locked_usernames(usernames) -> set[str]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def _grants_prefetch():
    return Prefetch(
        "grants", queryset=RoleGrant.objects.select_related("organization").order_by("pk")
    )


@login_required
def account_list(request):
    scope = _administrator(request)
    accounts = scope.filter_accounts(User.objects.all())
    query = request.GET.get("q", "").strip()
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    accounts = accounts.select_related("organization").prefetch_related(_grants_prefetch())
    page = Paginator(accounts.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    context = {
        "page": page,
        "users": users,
        "query": query,
        "locked": _locked_usernames(u.username for u in users),
        "with_device": second_factor.users_with_device(users),
        "can_create": bool(scope.sysadmin_paths),
        "extra_query": urlencode({"q": query}) if query else "",
    }
    return private(render(request, "accounts/account_list.html", context))


@login_required
def account_new(request):
    scope = _administrator(request)
    if not scope.sysadmin_paths:
        raise PermissionDenied
    form = AccountForm(request.POST or None, paths=scope.sysadmin_paths)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = administration.create_account(
                request.user, username=data["username"], full_name=data["full_name"],
                organization=data["organization"], password=data["password"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("password", exc)
        except AccountRefusal as exc:
            form.add_error("username", str(exc))
        else:
            messages.success(request, _("账号 %(name)s 已建立，请由安全管理员授予角色。")
                             % {"name": user.username})  # fmt: skip
            return redirect("account_detail", pk=user.pk)
    return private(render(request, "accounts/account_new.html", {"form": form}))


@login_required
def account_detail(request, pk: int):
    scope = _administrator(request)
    user = _target(request, pk, scope.account_paths)
    grants = list(user.grants.select_related("organization").order_by("pk"))
    this_one = User.objects.filter(pk=pk)
    manages = accounts_within(this_one, scope.sysadmin_paths).exists()
    secures = accounts_within(this_one, scope.secadmin_paths).exists()
    context = {
        "account": user,
        "grants": grants,
        "is_self": user.pk == request.user.pk,
        "manages": manages,
        "secures": secures,
        "locked": user.username in _locked_usernames([user.username]),
        "has_device": second_factor.confirmed_device(user) is not None,
        "grant_form": GrantForm(paths=scope.secadmin_paths) if secures else None,
        "password_form": PasswordResetForm() if manages else None,
        "revocable": {g.pk for g in grants if scope.administers(g.organization.path)},
    }
    return private(render(request, "accounts/account_detail.html", context))


def _act(request, action, success: str, pk: int):
    """Run an administration service; a refusal becomes the page's error message."""
    try:
        action()
    except AccountRefusal as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("account_detail", pk=pk)


def account_action(duty: str):
    """A POST on one account that the user administers as `duty` ("sysadmin" keeps the
    accounts, "secadmin" the roles and the second factor): the view gets the account."""

    def decorate(view):
        @login_required
        @require_POST
        @wraps(view)
        def wrapped(request, pk: int, **kwargs):
            scope = _administrator(request)
            account = _target(request, pk, getattr(scope, f"{duty}_paths"))
            return view(request, account, scope, **kwargs)

        return wrapped

    return decorate


@account_action("sysadmin")
def account_active(request, account, scope):
    active = request.POST.get("active") == "1"
    return _act(
        request, lambda: administration.set_active(request.user, account, active),
        _("账号已启用。") if active else _("账号已停用：其登录、接口令牌和订阅链接全部失效。"),
        account.pk,
    )  # fmt: skip


@account_action("sysadmin")
def account_unlock(request, account, scope):
    return _act(request, lambda: administration.unlock(request.user, account),
                _("已解除登录锁定。"), account.pk)  # fmt: skip


@account_action("sysadmin")
def account_password(request, account, scope):
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新的初始密码。"))
        return redirect("account_detail", pk=account.pk)
    raw = form.cleaned_data["password"]
    return _act(request, lambda: administration.reset_password(request.user, account, raw),
                _("已设定新的初始密码：用户下次登录时须修改。"), account.pk)  # fmt: skip


@account_action("secadmin")
def account_grant(request, account, scope):
    form = GrantForm(request.POST, paths=scope.secadmin_paths)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("account_detail", pk=account.pk)
    role, organization = form.cleaned_data["role"], form.cleaned_data["organization"]
    return _act(request, lambda: administration.grant(request.user, account, role, organization),
                _("已授予角色。"), account.pk)  # fmt: skip


@account_action("secadmin")
def account_revoke(request, account, scope, grant_pk: int):
    role_grant = get_object_or_404(
        RoleGrant.objects.filter(prefix_q("organization__path", scope.secadmin_paths)),
        pk=grant_pk, user=account,
    )  # fmt: skip
    return _act(request, lambda: administration.revoke(request.user, role_grant),
                _("已撤销角色。"), account.pk)  # fmt: skip


@account_action("secadmin")
def account_reset_otp(request, account, scope):
    return _act(request, lambda: administration.reset_second_factor(request.user, account),
                _("已重置动态口令：用户下次登录时重新绑定身份验证器。"), account.pk)  # fmt: skip


@account_action("secadmin")
def account_revoke_tokens(request, account, scope):
    return _act(request, lambda: administration.revoke_all_tokens(request.user, account),
                _("已撤销该账号的全部接口令牌和订阅链接。"), account.pk)  # fmt: skip


@login_required
def security_policy(request):
    """The security administrator's switch: TOTP for office, guidance and administrators
    of each organisation they hold the role on."""
    scope = _administrator(request)
    if not scope.secadmin_paths:
        raise PermissionDenied
    from django.apps import apps

    Organization = apps.get_model("orgs", "Organization")
    organizations = list(Organization.objects.filter(path__in=scope.secadmin_paths))
    if request.method == "POST":
        code = request.POST.get("org", "")
        organization = next((o for o in organizations if o.code == code), None)
        if organization is None:
            raise Http404
        required = request.POST.get("require_totp") == "1"
        administration.set_policy(request.user, organization, require_totp=required)
        messages.success(
            request,
            _("已要求动态口令（各账号下次登录时生效）。")
            if required
            else _("已取消动态口令要求。"),
        )
        return redirect("security_policy")
    required = set(
        SecurityPolicy.objects.filter(
            organization__in=organizations, require_totp=True
        ).values_list("organization_id", flat=True)
    )
    rows = [(o, o.pk in required) for o in organizations]
    return private(render(request, "accounts/security_policy.html", {"rows": rows}))
