"""三重一大 pages: the register, one matter with its consultations, opinions and
follow-up, the hospital's settings, the meeting files and the Excel export. The decision
meetings (党委会, 院长办公会) are in `views_meetings`.

Everything starts from `visible_to(user)`: a record outside the user's subtrees answers
404; changes need write scope on the record's organisation (403 otherwise). Every change
goes through `services`, whose refusals (the rule named) show as form errors, nothing
written.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import audited_download, client_ip, private, year_param
from dangjian.orgs.pages import chosen_org

from . import queries, rules, services
from .export import with_deciding_meeting
from .forms import (
    ConsultationForm,
    FollowUpForm,
    MatterForm,
    SettingsForm,
    SolicitationForm,
)
from .models import (
    DecisionAttachment,
    DecisionMeeting,
    MajorMatter,
    MatterStatus,
)
from .pages import PAGE_SIZE, try_service
from .permissions import may_register
from .rules import MatterCategory


# ---- the register ----------------------------------------------------------------------
def matters_of(request, org):
    return MajorMatter.objects.visible_to(request.user).filter(
        organization__path__startswith=org.path
    )


def register_filters(request) -> dict:
    """The register's filters from the query string: category, status, year ("all" for
    every year; the current year when absent or unreadable)."""
    # A year outside 2000–2100 (or not a number) reads as the current year, never a 500.
    year = year_param(request, timezone.localdate().year)
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    return {
        "category": category if category in MatterCategory.values else "",
        "status": status if status in MatterStatus.values else "",
        "year": year,
        "all_years": request.GET.get("year", "") == "all",
    }


def filtered(matters, filters: dict):
    if filters["category"]:
        matters = matters.filter(category=filters["category"])
    if filters["status"]:
        matters = matters.filter(status=filters["status"])
    if not filters["all_years"]:
        matters = matters.filter(proposed_on__year=filters["year"])
    return matters


@login_required
def register(request):
    org = chosen_org(request)
    today = timezone.localdate()
    filters = register_filters(request)
    year = filters["year"]
    matters = matters_of(request, org).select_related("organization")
    matters = with_deciding_meeting(queries.with_gathering(filtered(matters, filters)))
    query = {
        "org": org.code,
        "category": filters["category"],
        "status": filters["status"],
        "year": "all" if filters["all_years"] else str(year),
    }
    query = {k: v for k, v in query.items() if v}
    context = {
        "org": org,
        "year": year,
        "all_years": filters["all_years"],
        "years": list(range(today.year, today.year - 6, -1)),
        "category": filters["category"],
        "status": filters["status"],
        "categories": MatterCategory.choices,
        "statuses": MatterStatus.choices,
        "threshold": services.settings_for(org).large_fund_threshold,
        "figures": queries.decision_figures(org.path, dt.date(year, 1, 1), dt.date(year, 12, 31)),
        "page": Paginator(matters.order_by("-proposed_on", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "extra_query": urlencode(query),
        "can_write": may_register(request.user, org),
    }
    return private(render(request, "decisions/register.html", context))


@login_required
def matter_new(request):
    org = chosen_org(request)
    if not may_register(request.user, org):
        raise PermissionDenied(_("没有登记“三重一大”事项的权限"))
    form = MatterForm(request.POST or None)
    created = []
    if request.method == "POST" and try_service(
        form,
        lambda d: created.append(
            services.register_matter(org, services.MatterInput(**d), by=request.user)
        ),
    ):
        messages.success(request, _("已登记事项。"))
        return redirect("decisions:matter", pk=created[0].pk)
    return private(render(request, "decisions/matter_new.html", {"org": org, "form": form}))


@login_required
def matter(request, pk: int):
    found = get_object_or_404(
        MajorMatter.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    can_write = may_register(request.user, found.organization)
    forms = {
        "consult": ConsultationForm(),
        "solicit": SolicitationForm(),
        "follow_up": FollowUpForm(initial={"text": found.follow_up, "done": found.follow_up_done}),
    }
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("没有修改本事项的权限"))
        action = request.POST.get("action", "")
        runs = {
            "consult": (
                ConsultationForm,
                lambda d: services.add_consultation(found, by=request.user, **d),
            ),
            "solicit": (
                SolicitationForm,
                lambda d: services.add_solicitation(found, by=request.user, **d),
            ),
            "follow_up": (
                FollowUpForm,
                lambda d: services.record_follow_up(found, by=request.user, **d),
            ),
        }
        if action not in runs:
            raise Http404(_("未知的操作"))
        form_class, run = runs[action]
        form = form_class(request.POST)
        if try_service(form, run):
            messages.success(request, _("已保存。"))
            return redirect("decisions:matter", pk=found.pk)
        forms[action] = form
    context = {
        "matter": found,
        "large": rules.is_large_fund(
            found.amount, services.settings_for(found.organization).large_fund_threshold
        ),
        "consultations": list(found.consultations.all()),
        "solicitations": list(found.solicitations.all()),
        "items": list(found.agenda_items.select_related("meeting").order_by("meeting__held_on")),
        "can_write": can_write,
        "forms": forms,
    }
    return private(render(request, "decisions/matter.html", context))


# ---- settings, files, export -----------------------------------------------------------
@login_required
def settings_page(request):
    org = chosen_org(request)
    if not may_register(request.user, org):
        raise PermissionDenied(_("没有修改“三重一大”设置的权限"))
    current = services.settings_for(org)
    initial = {
        "large_fund_threshold": current.large_fund_threshold,
        "party_committee_categories": current.party_committee_categories,
        "president_office_categories": current.president_office_categories,
    }
    form = SettingsForm(
        request.POST or initial if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and try_service(
        form, lambda d: services.save_settings(org, by=request.user, **d)
    ):
        messages.success(request, _("已保存设置。"))
        return redirect(f"{request.path}?org={org.code}")
    return private(render(request, "decisions/settings.html", {"org": org, "form": form}))


@login_required
def attachment(request, pk: int):
    visible = DecisionMeeting.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        DecisionAttachment.objects.select_related("meeting__organization").filter(
            meeting__in=visible
        ),
        pk=pk,
    )
    return audited_download(
        request, item, action="decisions.export", obj=item.meeting,
        org_path=item.meeting.organization.path, summary={"attachment": item.pk},
    )  # fmt: skip


@login_required
def export(request):
    from .export import build_workbook

    org = chosen_org(request)
    filters = register_filters(request)
    if not request.GET.get("year"):  # the whole register unless a year is chosen
        filters["all_years"] = True
    content = build_workbook(filtered(matters_of(request, org), filters), org)
    audit.record(
        "decisions.export", actor=request.user, object_type="decisions.majormatter",
        org_path=org.path, summary={"org": org.code, **filters}, ip_address=client_ip(request),
    )  # fmt: skip
    today = timezone.localdate()
    return private(
        FileResponse(
            content, as_attachment=True, filename=f"{org.code}-三重一大-{today:%Y%m%d}.xlsx"
        )
    )
