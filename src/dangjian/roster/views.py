"""Roster pages (the Party office's work): upload a workbook → preview (a dry run that shows
the counts or every bad cell) → confirm; and the export download, which needs a reason.

The uploaded file waits for the confirmation as a `core.pending_uploads.PendingUpload`,
so no one can confirm a file they did not upload.
"""

import io
from functools import reduce
from operator import or_

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pending_uploads import PendingUpload
from dangjian.core.tabular import READABLE, unreadable_name
from dangjian.orgs.models import Organization

from .permissions import may_export, may_import
from .services import blank_roster, export_roster, import_roster

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PENDING = PendingUpload("roster_pending")
SHOWN_ERRORS = 500


def writable_orgs(user):
    """The organisations the user may import into (their write scope), in tree order."""
    paths = scope_for(user).write_paths
    if not paths:
        return Organization.objects.none()
    return Organization.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}（{obj.code}）"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("名册文件"),
        help_text=gettext_lazy(
            "Excel 工作簿（.xlsx，也可 .xls、.ods），含“党组织”和“人员”两张工作表，"
            "可另含“委员”工作表"
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(READABLE), "class": "form-control"}
        ),
    )
    org = OrgChoiceField(
        label=gettext_lazy("导入到组织"),
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("“上级组织编码”为空的组织将建在此组织之下"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = writable_orgs(user).only("pk", "code", "name", "depth")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if problem := unreadable_name(upload.name):
            raise forms.ValidationError(problem)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB"))
        return upload


class ExportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("导出原因"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写导出原因")},
        help_text=gettext_lazy("名册含完整身份证号和手机号，导出原因将记入审计日志"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _require_writer(user):
    if not may_import(user):
        raise PermissionDenied(_("没有导入名册的权限"))


def _run(request, token: str, org, original_name: str, *, dry_run: bool):
    with PENDING.open(token, original_name) as handle:
        return import_roster(handle, org=org, dry_run=dry_run, user=request.user)


def _reveal_roots(user):
    paths = scope_for(user).reveal_paths
    return Organization.objects.filter(path__in=paths).order_by("path") if paths else []


@login_required
def upload(request):
    _require_writer(request.user)
    form = UploadForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        org = form.cleaned_data["org"]
        token = PENDING.store(request, upload_file, org=org.pk)
        report = _run(request, token, org, upload_file.name, dry_run=True)
        if not report.ok:
            PENDING.forget(request)
        return _preview(request, report, org, upload_file.name, token if report.ok else "")
    context = {"form": form, "export_orgs": _reveal_roots(request.user)}
    return render(request, "roster/upload.html", context)


def _preview(request, report, org, file_name: str, token: str):
    context = {
        "report": report,
        "org": org,
        "file_name": file_name,
        "token": token,
        "errors": report.errors[:SHOWN_ERRORS],
        "hidden_errors": max(0, len(report.errors) - SHOWN_ERRORS),
    }
    return render(request, "roster/preview.html", context)


@login_required
@require_POST
def confirm(request):
    _require_writer(request.user)
    pending = PENDING.claim(request, request.POST.get("token", ""))
    org = None
    if pending is not None:
        visible = Organization.objects.visible_to(request.user)
        org = visible.filter(pk=pending.extra.get("org")).first()
    if org is None:
        PENDING.forget(request)
        messages.error(request, _("没有待确认的导入，或该导入已过期，请重新上传名册。"))
        return redirect("roster:upload")
    report = _run(request, pending.token, org, pending.name, dry_run=False)
    PENDING.forget(request)
    if not report.ok:
        # The stored data changed since the preview: show why, nothing was written.
        return _preview(request, report, org, pending.name, "")
    messages.success(request, report.summary())
    return redirect("roster:upload")


@login_required
def template(request):
    """The empty workbook: the three sheets with their headers."""
    _require_writer(request.user)
    return FileResponse(blank_roster(), as_attachment=True, filename="名册模板.xlsx")


@login_required
def export(request, code: str):
    """Download a subtree's roster with whole ID and phone numbers: only for those who may
    reveal personal data there (the Party office); the reason is audited."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    if not may_export(request.user, org):
        raise PermissionDenied(_("没有导出名册的权限"))
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        buffer = io.BytesIO()
        export_roster(org, buffer, user=request.user, reason=form.cleaned_data["reason"])
        buffer.seek(0)
        name = f"名册-{org.code}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(buffer, as_attachment=True, filename=name)
    return render(request, "roster/export.html", {"org": org, "form": form})
