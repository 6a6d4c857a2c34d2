"""Small helpers every page module shares: the organisation a page is about, the
client's address for the audit log, and responses that must never be cached."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or ""


def private(response):
    """Personal data: never kept in a shared or browser cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def chosen_org(request):
    """`?org=CODE` among the visible organisations (404 otherwise), else the user's
    topmost visible one."""
    from dangjian.orgs.models import Organization

    visible = Organization.objects.visible_to(request.user)
    code = request.GET.get("org", "").strip()
    if code:
        return get_object_or_404(visible, code=code)
    org = visible.order_by("depth", "path").first()
    if org is None:
        raise Http404(_("没有可查看的党组织"))
    return org


def writable_person(request, pk: int, denied: str, people=None):
    """The person `pk` if the user may change their records: 404 outside the user's
    scope, 403 (with the `denied` message) where they may only read. `people` narrows or
    prefetches the queryset (default: with the organisation)."""
    from django.core.exceptions import PermissionDenied

    from dangjian.accounts.scope import scope_for
    from dangjian.people.models import Person

    queryset = people if people is not None else Person.objects.select_related("organization")
    person = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if not scope_for(request.user).can_write(person.organization):
        raise PermissionDenied(denied)
    return person


def audited_download(request, stored, *, action: str, obj, org_path: str, summary: dict):
    """A stored file as an attachment, never cached, its reading written to the audit
    log; 404 when the file is gone. The caller has already checked the scope."""
    from django.http import FileResponse

    from dangjian.core import audit

    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("文件不存在")) from missing
    audit.record(
        action, actor=request.user, obj=obj, org_path=org_path,
        summary={**summary, "file": stored.original_name}, ip_address=client_ip(request),
    )  # fmt: skip
    return private(FileResponse(handle, as_attachment=True, filename=stored.original_name))
