"""The bulletin page: choose the organisation and period, read the bulletin, download
it as .docx, publish it to the branches through the notices (with read receipts)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import audit_read, private, try_service
from dangjian.orgs.pages import chosen_org

from .export import DOCX_CONTENT_TYPE, file_name
from .forms import PublishForm
from .models import PublishedBulletin
from .permissions import may_publish_bulletin, may_read
from .rules import last_full_quarter, recent_periods
from .services import BulletinError, bulletin_document, bulletin_for, publish_bulletin


def _chosen(request):
    org = chosen_org(request)
    if not may_read(request.user, org):
        raise PermissionDenied(_("没有查看党政管理通报的权限"))
    today = timezone.localdate()
    period = (request.GET.get("period") or "").strip() or last_full_quarter(today).code
    return org, period, today


def _page_url(org, period: str) -> str:
    return f"{reverse('assessment:bulletin')}?{urlencode({'org': org.code, 'period': period})}"


@login_required
def bulletin_page(request, form=None):
    org, period, today = _chosen(request)
    bulletin, problem = None, ""
    try:
        bulletin = bulletin_for(org, period, today)
    except BulletinError as refused:
        problem = str(refused)
    published = (
        PublishedBulletin.objects.visible_to(request.user)
        .filter(organization=org)
        .select_related("announcement", "published_by")
        .annotate(
            addressees=Count("announcement__receipts"),
            read=Count(
                "announcement__receipts", filter=Q(announcement__receipts__read_at__isnull=False)
            ),
        )
    )
    if bulletin is not None:
        audit_read(request, "assessment.read_bulletin", org_path=org.path,
                   summary={"org": org.code, "period": period})  # fmt: skip
    context = {
        "org": org,
        "period": period,
        "periods": recent_periods(today),
        "bulletin": bulletin,
        "problem": problem,
        "published": published,
        "form": form or PublishForm(initial={"period": period}),
        "may_publish": may_publish_bulletin(request.user, org),
    }
    return private(render(request, "assessment/bulletin.html", context))


@login_required
def bulletin_download(request):
    org, period, today = _chosen(request)
    try:
        bulletin = bulletin_for(org, period, today)
    except BulletinError as refused:
        messages.error(request, str(refused))
        return redirect(_page_url(org, period))
    content = bulletin_document(bulletin, today)
    audit_read(request, "assessment.export_bulletin", org_path=org.path,
               summary={"org": org.code, "period": bulletin.period.code})  # fmt: skip
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=file_name(bulletin),
        content_type=DOCX_CONTENT_TYPE,
    )  # fmt: skip
    return private(response)


@login_required
@require_POST
def bulletin_publish(request):
    org, _period, today = _chosen(request)
    if not may_publish_bulletin(request.user, org):
        raise PermissionDenied(_("没有发布党政管理通报的权限"))
    form = PublishForm(request.POST, request.FILES)
    done = []

    def run(data):
        done.append(
            publish_bulletin(
                org, data["period"], by=request.user, today=today,
                audience=data["audience"], edited=data["edited"],
            )
        )  # fmt: skip

    if try_service(form, run, BulletinError):
        published = done[0]
        messages.success(
            request,
            _("已发布，送达 %(n)s 人，可在通知公告中查看阅读情况。")
            % {"n": published.announcement.receipts.count()},
        )
        return redirect(_page_url(org, published.period))
    request.GET = request.GET.copy()
    request.GET["period"] = request.POST.get("period", "")
    return bulletin_page(request, form=form)
