"""The second factor after the password: enter a TOTP code, or enrol an authenticator."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.pages import client_ip, private

from . import second_factor
from .services import home_path


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=gettext_lazy("身份验证器应用中显示的6位数字"),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "home:index"  # each role to its own home


@login_required
def otp(request):
    """Verify a code (an enrolled user) or enrol (show the secret, confirm with a code)."""
    user = request.user
    device = second_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.enrolment_device(user)
    elif user.is_verified():
        return private(render(request, "accounts/otp.html", {"enrolled": True}))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, device, form.cleaned_data["code"]):
            audit.record(
                "otp.enrol" if enrolling else "otp.verify", actor=user, obj=user,
                org_path=home_path(user), ip_address=client_ip(request),
            )  # fmt: skip
            if enrolling:
                messages.success(request, _("身份验证器已绑定，今后登录须输入动态口令。"))
            return redirect(_next_url(request))
        audit.record(
            "otp.failed", actor=user, obj=user, org_path=home_path(user),
            ip_address=client_ip(request),
        )  # fmt: skip
        form.add_error("code", _("动态口令不正确或已过期；连续输错将暂时无法验证，请稍候再试。"))
    context = {
        "form": form,
        "enrolling": enrolling,
        "required": second_factor.pending(request),
        "next": request.GET.get("next", ""),
    }
    if enrolling:
        context |= {
            "qr_svg": second_factor.qr_svg(device),
            "secret": second_factor.secret_text(device),
        }
    return private(render(request, "accounts/otp.html", context))
