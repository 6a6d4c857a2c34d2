"""The inbox: a user's own notices, and the site icon. (The audit log's pages are in
`accounts.views_audit`: who is an auditor is a question of roles.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notice

INBOX_PAGE_SIZE = 25


def _safe_link(request, link: str) -> str:
    """Only same-site links are rendered: a notice must not send anyone elsewhere."""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return ""


@login_required
def inbox(request):
    notices = Notice.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.safe_link = _safe_link(request, notice.link)
    only_unread = bool(request.GET.get("unread"))
    context = {
        "page": page,
        "only_unread": only_unread,
        "extra_query": "unread=1" if only_unread else "",
    }
    return render(request, "core/inbox.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notice read. From htmx, answers the updated row and the new unread badge."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if request.htmx:
        notice.safe_link = _safe_link(request, notice.link)
        unread = Notice.objects.filter(recipient=request.user, read_at__isnull=True).count()
        context = {"notice": notice, "unread": unread, "oob": True}
        return render(request, "core/_notice_row.html", context)
    return redirect("core:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = Notice.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return redirect("core:inbox")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page names: send them to the icon."""
    return redirect(static("img/favicon.svg"), permanent=True)
