"""The audit log within the auditor's subtrees, and the check of its hash chain."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import audit
from dangjian.core.models import AuditEntry

from .scope import prefix_q, scope_for

AUDIT_PAGE_SIZE = 50
# The actions of the security events: what the audit administrator reviews.
SECURITY_ACTIONS = (
    "login", "logout", "password.", "api.token", "calendar.feed", "otp.", "account.",
    "role.", "security.",
)  # fmt: skip


def _require_auditor(request):
    scope = scope_for(request.user)
    if not scope.audit_paths:
        raise PermissionDenied
    return scope


@login_required
def audit_log(request):
    """The audit log within the auditor's subtrees, newest first, filterable by action."""
    scope = _require_auditor(request)
    entries = scope.filter_audit(AuditEntry.objects.all())
    action = request.GET.get("action", "").strip()
    if action:
        # A prefix, so "person." finds every action on people.
        entries = entries.filter(action__startswith=action)
    security = request.GET.get("security") == "1"
    if security:
        entries = entries.filter(prefix_q("action", list(SECURITY_ACTIONS)))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "action": action,
        "security": security,
        "extra_query": urlencode(
            {k: v for k, v in (("action", action), ("security", "1" if security else "")) if v}
        ),
    }
    return render(request, "accounts/audit_log.html", context)


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
