"""Downloads of each step's standard form as a pre-filled .docx.

The form carries personal data (name, birth date, department), so every download is an
audited export; ID-card numbers are never printed whole (paperwork masks them)."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import patch_cache_control

from dangjian.core import audit

from .models import DevelopmentStep
from .paperwork import DOCX_CONTENT_TYPE, form_for_step, render_step_form

UNKNOWN_HEADER = "X-Dangjian-Unknown-Placeholders"


@login_required
def step_form(request, pk: int):
    step = get_object_or_404(
        DevelopmentStep.objects.visible_to(request.user).select_related(
            "person__department", "person__organization", "organization__department"
        ),
        pk=pk,
    )
    if form_for_step(step.code) is None:
        raise Http404("该步骤没有标准表单")
    rendered = render_step_form(step)
    person = step.person
    audit.record(
        "development.form_export",
        actor=request.user,
        obj=person,
        org_path=person.organization.path,
        summary={
            "step": step.pk,
            "code": step.code,
            "form": rendered.form.key,
            "template": rendered.template,
            "unknown_placeholders": rendered.unknown,
        },
    )
    # A hospital template with a typo still downloads; the office sees what to fix on
    # its next page, and scripts read the header.
    for warning in rendered.warnings:
        messages.warning(request, warning)
    response = FileResponse(
        io.BytesIO(rendered.content),
        as_attachment=True,
        filename=rendered.filename,
        content_type=DOCX_CONTENT_TYPE,
    )
    if rendered.unknown:
        response[UNKNOWN_HEADER] = ",".join(quote(name) for name in rendered.unknown)
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns = [
    path("step/<int:pk>/form.docx", step_form, name="step_form"),
]
