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
