"""A user's own API tokens and calendar feed links: list, revoke one, revoke all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import private

from .services import active_tokens, revoke_feeds, revoke_tokens


@login_required
def tokens(request):
    context = {"tokens": list(active_tokens(request.user))}
    return private(render(request, "accounts/tokens.html", context))


@login_required
@require_POST
def revoke(request):
    """`token=<id>` revokes one of the user's own tokens, `all=1` every one; `feeds=1`
    ends every calendar feed link the user has handed out."""
    user = request.user
    if request.POST.get("feeds"):
        revoke_feeds(user, by=user)
        messages.success(request, _("已作废全部日历订阅链接；请在党建日历页重新复制订阅链接。"))
        return redirect("tokens")
    if request.POST.get("all"):
        count = revoke_tokens(user, by=user, reason="self")
    else:
        raw = request.POST.get("token", "")
        count = revoke_tokens(user, [int(raw)] if raw.isdigit() else [], by=user, reason="self")
    messages.success(request, _("已撤销 %(n)d 个接口令牌。") % {"n": count})
    return redirect("tokens")
