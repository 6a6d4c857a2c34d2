"""The payroll office's workbook of dues bases, uploaded on a page: upload → check (a dry
run listing each member's base and amount, or every bad cell) → confirm. Rows may name
only members the uploader may write for; the file waits as a core PendingUpload."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import prefix_q, scope_for
from dangjian.core.pages import private
from dangjian.core.pending_uploads import PendingUpload
from dangjian.core.tabular import READABLE, unreadable_name
from dangjian.people.models import Person

from . import rules
from .bases_import import SHEET, import_bases
from .permissions import may_import_bases
from .services import SettingsIndex

PENDING = PendingUpload("dues_bases_pending")
SHOWN_ERRORS = 500
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class BasesUploadForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("核定年度"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=gettext_lazy("党费基数表"),
        help_text=gettext_lazy(
            "Excel 工作簿（.xlsx，也可 .xls、.ods 或 .csv），工作表“党费基数”：身份证号、姓名，"
            "以及“基数”或各工资项目"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(READABLE)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if problem := unreadable_name(upload.name):
            raise forms.ValidationError(problem)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大（上限 20 MB）"))
        return upload


def _writable_people(user):
    paths = scope_for(user).write_paths
    return Person.objects.filter(prefix_q("organization__path", paths))


def _require(user):
    if not may_import_bases(user):
        raise PermissionDenied(_("没有核定党费基数的权限"))


def _run(request, token: str, name: str, year: int, *, dry_run: bool):
    with PENDING.open(token, name) as handle:
        return import_bases(
            handle, year=year, people=_writable_people(request.user), dry_run=dry_run,
            user=request.user,
        )  # fmt: skip


@login_required
def upload(request):
    _require(request.user)
    today = timezone.localdate()
    # In December the office is usually preparing next year's bases.
    initial = {"year": today.year + 1 if today.month == 12 else today.year}
    form = BasesUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload_file, year = form.cleaned_data["file"], form.cleaned_data["year"]
        token = PENDING.store(request, upload_file, year=year)
        report = _run(request, token, upload_file.name, year, dry_run=True)
        if not report.ok:
            PENDING.forget(request)
        return _preview(request, report, upload_file.name, token if report.ok else "")
    context = {"form": form, "sheet": SHEET, "items": rules.PAY_COMPONENTS}
    return private(render(request, "dues/bases_upload.html", context))


def _preview(request, report, file_name: str, token: str):
    hospital = SettingsIndex()
    rows = [
        {
            "line": line,
            "amount": rules.monthly_amount(
                line.base, "retired" if line.person.employment == "retired" else "in_service",
                rounding=hospital.for_path(line.person.organization.path).rounding,
            ),
        }
        for line in report.lines
    ]  # fmt: skip
    context = {
        "report": report,
        "rows": rows,
        "file_name": file_name,
        "token": token,
        "errors": report.errors[:SHOWN_ERRORS],
        "hidden_errors": max(0, len(report.errors) - SHOWN_ERRORS),
    }
    return private(render(request, "dues/bases_preview.html", context))


@login_required
@require_POST
def confirm(request):
    _require(request.user)
    pending = PENDING.claim(request, request.POST.get("token", ""))
    if pending is None:
        messages.error(request, _("没有待确认的导入，或该导入已过期，请重新上传党费基数表。"))
        return redirect("dues:bases_import")
    year = pending.extra["year"]
    report = _run(request, pending.token, pending.name, year, dry_run=False)
    PENDING.forget(request)
    if not report.ok:  # the registry changed since the check: nothing was written
        return _preview(request, report, pending.name, "")
    messages.success(
        request,
        _("已核定 %(year)d 年度党费基数：%(n)d 名党员") % {"year": year, "n": len(report.lines)},
    )
    return redirect("dues:bases_import")
