"""Announcement pages: what reached me, the organisation's announcements with their read
counts, publishing, one announcement (read receipt on opening), who has not read it,
pin / withdraw, and the attachments.

An announcement opens for its addressees and for the users whose scope covers its
organisation; anyone else gets 404. Changes need the right to publish there (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import audited_download, private
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person

from . import queries, services
from .forms import AnnouncementForm
from .models import Announcement, AnnouncementAttachment
from .pages import PAGE_SIZE, try_service
from .permissions import may_manage, may_publish


@login_required
def mine(request):
    """The announcements that reached me (a member's phone list)."""
    page = Paginator(
        queries.addressed_to(request.user).order_by("-pinned", "-published_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return private(render(request, "notices/mine.html", {"page": page}))


@login_required
def announcement_list(request):
    org = chosen_org(request)
    announcements = queries.with_read_counts(
        Announcement.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization", "author")
    ).order_by("-pinned", "-published_at", "-pk")
    page = Paginator(announcements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "page": page,
        "can_publish": may_publish(request.user, org),
        "extra_query": f"org={org.code}",
    }
    return private(render(request, "notices/list.html", context))


@login_required
def announcement_new(request):
    org = chosen_org(request)
    if not may_publish(request.user, org):
        raise PermissionDenied(_("没有向该组织发布通知的权限"))
    people = (
        Person.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    form = AnnouncementForm(request.POST or None, request.FILES or None, people=people)
    created = []

    def run(data):
        files = data.pop("files", [])
        people_chosen = list(data.pop("people", []))
        created.append(
            services.publish(
                org,
                services.AnnouncementInput(**data, people=people_chosen, files=files),
                by=request.user,
            )
        )

    if request.method == "POST" and try_service(form, run):
        found = created[0]
        messages.success(
            request,
            _("已发布，送达 %(n)s 人。") % {"n": found.receipts.count()},
        )
        return redirect("notices:detail", pk=found.pk)
    return private(render(request, "notices/new.html", {"org": org, "form": form}))


def _readable(request, pk: int) -> tuple[Announcement, bool, bool]:
    """The announcement, whether the user keeps it (scope over its organisation) and
    whether it was addressed to them; 404 when neither, or withdrawn for a reader."""
    found = get_object_or_404(Announcement.objects.select_related("organization", "author"), pk=pk)
    keeps = Announcement.objects.visible_to(request.user).filter(pk=pk).exists()
    addressee = queries.is_addressee(request.user, found)
    if not keeps and not (addressee and found.withdrawn_at is None):
        raise Http404(_("通知不存在"))
    return found, keeps, addressee


@login_required
def detail(request, pk: int):
    found, keeps, addressee = _readable(request, pk)
    if addressee:
        services.mark_read(found, request.user)
    context = {
        "item": found,
        "keeps": keeps,
        "can_manage": keeps and may_manage(request.user, found),
        "attachments": list(found.attachments.all()),
    }
    if keeps:
        context["counts"] = queries.with_read_counts(Announcement.objects.filter(pk=pk)).values(
            "addressee_count", "read_count"
        )[0]
    return private(render(request, "notices/detail.html", context))


@login_required
def receipts(request, pk: int):
    found, keeps, _addressee = _readable(request, pk)
    if not keeps:
        raise Http404(_("通知不存在"))
    show_read = request.GET.get("show") == "read"
    rows = queries.read_receipts(found) if show_read else queries.unread_receipts(found)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "item": found,
        "page": page,
        "show_read": show_read,
        "counts": queries.with_read_counts(Announcement.objects.filter(pk=pk)).values(
            "addressee_count", "read_count"
        )[0],
        "extra_query": "show=read" if show_read else "",
    }
    return private(render(request, "notices/receipts.html", context))


@login_required
@require_POST
def manage(request, pk: int):
    """Pin, unpin or withdraw."""
    found, keeps, _addressee = _readable(request, pk)
    if not keeps:
        raise Http404(_("通知不存在"))
    if not may_manage(request.user, found):
        raise PermissionDenied(_("没有管理该通知的权限"))
    action = request.POST.get("action", "")
    try:
        if action == "withdraw":
            services.withdraw(found, by=request.user)
            messages.success(request, _("已撤回，接收人不再看到这条通知。"))
        elif action in ("pin", "unpin"):
            services.set_pinned(found, action == "pin", by=request.user)
            messages.success(request, _("已置顶。") if action == "pin" else _("已取消置顶。"))
        else:
            messages.error(request, _("未知的操作"))
    except services.NoticeError as refused:
        messages.error(request, str(refused))
    return redirect("notices:detail", pk=found.pk)


@login_required
def attachment(request, pk: int):
    item = get_object_or_404(AnnouncementAttachment.objects.select_related("announcement"), pk=pk)
    found, _keeps, _addressee = _readable(request, item.announcement_id)
    return audited_download(
        request, item, action="notices.attachment_download", obj=found,
        org_path=found.organization.path, summary={"attachment": item.pk},
    )  # fmt: skip
