"""The channels beyond the inbox: my choice of channels, an organisation's group robots
(with a test post), and its delivery log where failures show and can be retried.

Robots and deliveries start from the user's scope: another hospital's answer 404; only
the organisation's writers may change them (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import private
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org

from . import delivery, queries, services
from .forms import PreferenceForm, WebhookForm
from .models import ChannelPreference, Dispatch, Webhook
from .pages import PAGE_SIZE, try_service
from .permissions import may_keep_channels
from .rules import DispatchState


@login_required
def preferences(request):
    pref = ChannelPreference.objects.filter(user=request.user).first()
    initial = {"email_address": request.user.email}
    if pref:
        initial.update(
            email=pref.email, wecom=pref.wecom, dingtalk=pref.dingtalk,
            wecom_userid=pref.wecom_userid, dingtalk_userid=pref.dingtalk_userid,
        )  # fmt: skip
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and try_service(
        form,
        lambda d: services.save_preferences(request.user, services.PreferenceInput(**d)),
    ):
        messages.success(request, _("已保存消息接收设置。"))
        return redirect("notices:preferences")
    return private(render(request, "notices/preferences.html", {"form": form}))


def _kept_org(request) -> Organization:
    org = chosen_org(request)
    if not may_keep_channels(request.user, org):
        raise PermissionDenied(_("没有管理该组织消息渠道的权限"))
    return org


def _kept(request, model, pk: int):
    """A robot or a delivery of the user's scope (404 outside it) that the user may
    manage (403 otherwise)."""
    found = get_object_or_404(
        scope_for(request.user).filter_orgs(
            model.objects.select_related("organization"), "organization__path"
        ),
        pk=pk,
    )
    if not may_keep_channels(request.user, found.organization):
        raise PermissionDenied(_("没有管理该组织消息渠道的权限"))
    return found


def _robot(request, pk: int) -> Webhook:
    return _kept(request, Webhook, pk)


@login_required
def robots(request):
    org = _kept_org(request)
    editing = None
    if request.GET.get("edit"):
        editing = _robot(request, int(request.GET["edit"]) if request.GET["edit"].isdigit() else 0)
    initial = {}
    if editing:
        initial = {"channel": editing.channel, "name": editing.name, "url": editing.url,
                   "enabled": editing.enabled}  # fmt: skip
    form = WebhookForm(request.POST or None, initial=initial)
    target = editing.organization if editing else org
    if request.method == "POST" and try_service(
        form,
        lambda d: services.save_webhook(
            target, services.WebhookInput(**d), by=request.user,
            hosts=delivery.webhook_hosts(), robot=editing,
        ),
    ):  # fmt: skip
        messages.success(request, _("已保存群机器人。"))
        return redirect(f"{reverse('notices:robots')}?org={org.code}")
    listed = (
        Webhook.objects.filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "channel")
    )
    context = {"org": org, "form": form, "robots": listed, "editing": editing}
    return private(render(request, "notices/robots.html", context))


@login_required
@require_POST
def robot_action(request, pk: int):
    """Delete a robot, or post a test message to its group now."""
    robot = _robot(request, pk)
    back = f"{reverse('notices:robots')}?org={robot.organization.code}"
    if request.POST.get("action") == "delete":
        services.delete_webhook(robot, by=request.user)
        messages.success(request, _("已删除群机器人。"))
        return redirect(back)
    dispatch = services.try_webhook(robot, by=request.user)
    if delivery.deliver(dispatch.pk):
        messages.success(request, _("测试消息已发送到“%(name)s”。") % {"name": robot.name})
    else:
        dispatch.refresh_from_db()
        messages.error(
            request,
            _("测试消息发送失败：%(error)s（系统会自动重试）") % {"error": dispatch.last_error},
        )
    return redirect(back)


@login_required
def deliveries(request):
    org = _kept_org(request)
    state = request.GET.get("state", "")
    rows = queries.deliveries_of(org)
    if state in DispatchState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = queries.delivery_counts(org)
    context = {
        "org": org,
        "page": page,
        "state": state,
        "states": [(value, label, counts[value]) for value, label in DispatchState.choices],
        "failed": counts[DispatchState.FAILED],
        "extra_query": f"org={org.code}&state={state}",
    }
    return private(render(request, "notices/deliveries.html", context))


@login_required
@require_POST
def retry(request, pk: int):
    found = _kept(request, Dispatch, pk)
    try:
        services.retry(found, by=request.user)
    except services.NoticeError as refused:
        messages.error(request, str(refused))
    else:
        transaction.on_commit(lambda: delivery.deliver(found.pk))
        messages.success(request, _("已重新发送。"))
    return redirect(f"{reverse('notices:deliveries')}?org={found.organization.code}")
