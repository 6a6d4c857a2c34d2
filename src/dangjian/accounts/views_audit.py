"""The audit log within the auditor's subtrees (filters, names, before → after), its
export, and the check of its hash chain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import audit
from dangjian.core.pages import private

from .audit_log import AuditFilterForm, found_by_number, recorded_filters, rows, select
from .scope import scope_for

AUDIT_PAGE_SIZE = 50
EXPORT_LIMIT = 50_000  # rows in one workbook; more asks for a narrower date range


def _require_auditor(request):
    scope = scope_for(request.user)
    if not scope.audit_paths:
        raise PermissionDenied
    return scope


def _filters(request) -> str:
    """The page's filters as a query string (for the pager and the export link)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def audit_log(request):
    """The audit log within the auditor's subtrees, newest first, filtered by person,
    action, actor and dates."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    if found := found_by_number(request.user, form):
        # A whole ID-card number leaves the address (and the page) for the person's id.
        query = request.GET.copy()
        query.pop("person")
        query["person_id"] = found
        return redirect(f"{reverse('audit_log')}?{query.urlencode()}")
    selection = select(request.user, form)
    page = Paginator(selection.entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": rows(request.user, page.object_list),
        "person_name": selection.person_name,
        "extra_query": _filters(request),
    }
    return render(request, "accounts/audit_log.html", context)


@login_required
def audit_export(request):
    """The filtered log as .xlsx, audited itself as an export."""
    from .export import build_workbook

    scope = _require_auditor(request)
    form = AuditFilterForm(request.GET)
    selection = select(request.user, form)
    back = f"{reverse('audit_log')}?{_filters(request)}"
    if selection.refused:
        messages.error(request, _("筛选条件有误，请修改后再导出。"))
        return redirect(back)
    count = selection.entries.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("符合条件的记录有 %(n)d 条，超过一次导出的上限 %(limit)d 条，请缩小日期范围。")
            % {"n": count, "limit": EXPORT_LIMIT},
        )
        return redirect(back)
    content = build_workbook(request.user, selection.entries)
    audit.record(
        "audit.export", actor=request.user, org_path=sorted(scope.audit_paths, key=len)[0],
        summary={"filters": recorded_filters(form), "entries": count},
    )  # fmt: skip
    name = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    return private(FileResponse(content, as_attachment=True, filename=name))


@login_required
@require_POST
def audit_verify(request):
    _require_auditor(request)
    report = audit.verify_chain()
    if report.ok:
        messages.success(
            request, _("审计日志哈希链完整，共校验 %(n)d 条记录。") % {"n": report.checked}
        )
    elif report.broken_at > 0:
        messages.error(
            request,
            _("审计日志哈希链在第 %(id)s 条记录处断开：%(reason)s")
            % {"id": report.broken_at, "reason": report.reason},
        )
    else:  # no entry to name: the tail, a checkpoint or the database's triggers
        messages.error(request, _("审计日志校验失败：%(reason)s") % {"reason": report.reason})
    return redirect("audit_log")
