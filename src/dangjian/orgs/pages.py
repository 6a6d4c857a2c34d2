"""What every page about an organisation shares: which one it is about."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for

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


def kept_org(request, code: str, refusal: str) -> Organization:
    """An organisation whose registry the user keeps: 404 outside the user's scope, 403
    (saying `refusal`) inside it without the office's right."""
    org = get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("department"), code=code
    )
    if not scope_for(request.user).keeps_registry(org):
        raise PermissionDenied(refusal)
    return org


def registry_org(request, code: str) -> Organization:
    """The organisation (with its department), if the user keeps its registry."""
    return kept_org(request, code, _("只有党委办公室可以调整党组织"))
