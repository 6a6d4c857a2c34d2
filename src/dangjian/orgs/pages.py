"""What every page about an organisation shares: which one it is about."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Organization


def chosen_org(request) -> Organization:
    """`?org=CODE` among the visible organisations (404 otherwise), else the user's
    topmost visible one."""
    visible = Organization.objects.visible_to(request.user)
    code = request.GET.get("org", "").strip()
    if code:
        return get_object_or_404(visible, code=code)
    org = visible.order_by("depth", "path").first()
    if org is None:
        raise Http404(_("没有可查看的党组织"))
    return org


def registry_org(request, code: str) -> Organization:
    """The organisation, if the user keeps its registry (the office): 404 outside the
    user's scope, 403 inside it without the office's right."""
    from django.core.exceptions import PermissionDenied

    from dangjian.accounts.scope import scope_for

    org = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("department"), code=code
    )
    if not scope_for(request.user).keeps_registry(org):
        raise PermissionDenied(_("只有党委办公室可以调整党组织"))
    return org
