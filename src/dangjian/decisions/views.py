"""三重一大 pages: the register, one matter with its consultations, opinions and
follow-up, the decision meetings (党委会, 院长办公会) with attendance, agenda, votes,
minutes and files, the hospital's settings, downloads and the Excel export.

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
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core import audit
from dangjian.core.pages import audited_download, chosen_org, client_ip, private
from dangjian.people.models import Person

from . import queries, rules, services
from .forms import (
    AgendaForm,
    ConsultationForm,
    FollowUpForm,
    MatterForm,
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    SettingsForm,
    SolicitationForm,
    UploadForm,
)
from .models import (
    AttendanceState,
    DecisionAttachment,
    DecisionMeeting,
    MajorMatter,
    MatterStatus,
)
from .rules import Body, MatterCategory, Outcome
from .services import DecisionError

PAGE_SIZE = 50


def _writable(request, org, denied: str):
    if not scope_for(request.user).can_write(org):
        raise PermissionDenied(denied)


def _try(form, run) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            run(form.cleaned_data)
    except DecisionError as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return False
    return True


# ---- the register ----------------------------------------------------------------------
def matters_of(request, org):
    return MajorMatter.objects.visible_to(request.user).filter(
        organization__path__startswith=org.path
    )


@login_required
def register(request):
    org = chosen_org(request)
    today = timezone.localdate()
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    matters = matters_of(request, org).select_related("organization")
    matters = queries.with_gathering(matters).order_by("-proposed_on", "-pk")
    if category in MatterCategory.values:
        matters = matters.filter(category=category)
    if status in MatterStatus.values:
        matters = matters.filter(status=status)
    if request.GET.get("year") != "all":
        matters = matters.filter(proposed_on__year=year)
    query = {k: v for k, v in {"org": org.code, "category": category, "status": status,
                               "year": request.GET.get("year", "")}.items() if v}  # fmt: skip
    context = {
        "org": org,
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "category": category,
        "status": status,
        "categories": MatterCategory.choices,
        "statuses": MatterStatus.choices,
        "threshold": services.settings_for(org).large_fund_threshold,
        "figures": queries.decision_figures(org.path, dt.date(year, 1, 1), dt.date(year, 12, 31)),
        "page": Paginator(matters, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": urlencode(query),
        "can_write": scope_for(request.user).can_write(org),
    }
    return private(render(request, "decisions/register.html", context))


@login_required
def matter_new(request):
    org = chosen_org(request)
    _writable(request, org, _("没有登记“三重一大”事项的权限"))
    form = MatterForm(request.POST or None)
    created = []
    if request.method == "POST" and _try(
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
    can_write = scope_for(request.user).can_write(found.organization)
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
        if _try(form, run):
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


# ---- meetings --------------------------------------------------------------------------
@login_required
def meeting_list(request):
    org = chosen_org(request)
    meetings = (
        DecisionMeeting.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .annotate(item_count=Count("items"))
        .order_by("-held_on", "-pk")
    )
    context = {
        "org": org,
        "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": urlencode({"org": org.code}),
        "can_write": scope_for(request.user).can_write(org),
    }
    return private(render(request, "decisions/meetings.html", context))


@login_required
def meeting_new(request):
    org = chosen_org(request)
    _writable(request, org, _("没有安排决策会议的权限"))
    people = Person.objects.filter(organization__path__startswith=org.path).order_by("name")
    form = MeetingForm(request.POST or None, people=people)
    created = []

    def plan(d):
        attendees = list(d.pop("attendees")) or None
        created.append(services.plan_meeting(org, attendees=attendees, by=request.user, **d))

    if request.method == "POST" and _try(form, plan):
        return redirect("decisions:meeting", pk=created[0].pk)
    return private(render(request, "decisions/meeting_new.html", {"org": org, "form": form}))


def _post_attendance(request, meeting, rows) -> list[str]:
    """All rows or none: a refused row leaves every row as it was."""
    try:
        with transaction.atomic():
            for row in rows:
                state = request.POST.get(f"state-{row.pk}", row.state)
                reason = request.POST.get(f"reason-{row.pk}", "")
                opinion = request.POST.get(f"opinion-{row.pk}", "")
                if (state, reason, opinion) != (row.state, row.reason, row.written_opinion):
                    services.set_attendance(
                        meeting, row.person, state=state, reason=reason,
                        written_opinion=opinion, by=request.user,
                    )  # fmt: skip
    except DecisionError as refused:
        return refused.reasons
    return []


@login_required
def meeting(request, pk: int):
    """JOURNEYS office step 5: attendance, the agenda from the register, each item's vote;
    the quorum is shown, and checked again by the service before a decision is accepted."""
    found = get_object_or_404(
        DecisionMeeting.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    can_write = scope_for(request.user).can_write(found.organization)
    rows = list(found.attendance.select_related("person").order_by("pk"))
    waiting = MajorMatter.objects.filter(
        organization=found.organization, status__in=(MatterStatus.PROPOSED, MatterStatus.DEFERRED)
    ).exclude(agenda_items__meeting=found)
    forms = {
        "agenda": AgendaForm(matters=waiting),
        "outcome": None,
        "minutes": MinutesForm(initial={"minutes": found.minutes}),
        "upload": UploadForm(),
    }
    attendance_errors = []
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("没有修改本次会议的权限"))
        action = request.POST.get("action", "")
        done = False
        if action == "attendance":
            attendance_errors = _post_attendance(request, found, rows)
            done = not attendance_errors
        elif action == "agenda":
            forms["agenda"] = AgendaForm(request.POST, matters=waiting)
            done = _try(
                forms["agenda"],
                lambda d: services.add_agenda_item(found, d["matter"], by=request.user),
            )
        elif action == "outcome":
            forms["outcome"] = OutcomeForm(request.POST)
            done = _try(forms["outcome"], lambda d: _record(found, d, request.user))
        elif action == "minutes":
            forms["minutes"] = MinutesForm(request.POST)
            done = _try(
                forms["minutes"],
                lambda d: services.record_minutes(found, d["minutes"], by=request.user),
            )
        elif action == "upload":
            forms["upload"] = UploadForm(request.POST, request.FILES)
            done = _try(
                forms["upload"],
                lambda d: services.add_attachment(found, d["file"], by=request.user),
            )
        else:
            raise Http404(_("未知的操作"))
        if done:
            messages.success(request, _("已保存。"))
            return redirect("decisions:meeting", pk=found.pk)
        rows = list(found.attendance.select_related("person").order_by("pk"))
    present = sum(row.state == AttendanceState.PRESENT for row in rows)
    items = list(found.items.select_related("matter").order_by("order", "pk"))
    for item in items:
        item.quorum_problem = rules.quorum_problem(
            found.body, item.matter.category, found.should_attend, present
        )
    context = {
        "meeting": found,
        "rows": rows,
        "states": AttendanceState.choices,
        "present": present,
        "quorum_met": rules.quorum_met(found.should_attend, present),
        "appointment_quorum_met": rules.quorum_met(found.should_attend, present, appointment=True),
        "rule": rules.QUORUM_RULE
        if found.body == Body.PARTY_COMMITTEE
        else rules.PRESIDENT_QUORUM_RULE,
        "appointment_rule": rules.APPOINTMENT_QUORUM_RULE,
        "majority_rule": rules.MAJORITY_RULE,
        "items": items,
        "outcomes": [c for c in Outcome.choices if c[0] != Outcome.PENDING],
        "attachments": list(found.attachments.all()),
        "attendance_errors": attendance_errors,
        "can_write": can_write,
        "forms": forms,
    }
    return private(render(request, "decisions/meeting.html", context))


def _record(meeting, data, user):
    item = get_object_or_404(meeting.items.all(), pk=data["item"])
    return services.record_outcome(
        item,
        services.OutcomeInput(
            outcome=data["outcome"], decision=data["decision"], votes_for=data["votes_for"],
            votes_against=data["votes_against"] or 0, votes_abstain=data["votes_abstain"] or 0,
        ),
        by=user,
    )  # fmt: skip


# ---- settings, files, export -----------------------------------------------------------
@login_required
def settings_page(request):
    org = chosen_org(request)
    _writable(request, org, _("没有修改“三重一大”设置的权限"))
    current = services.settings_for(org)
    initial = {
        "large_fund_threshold": current.large_fund_threshold,
        "party_committee_categories": current.party_committee_categories,
        "president_office_categories": current.president_office_categories,
    }
    form = SettingsForm(
        request.POST or initial if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and _try(
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
    matters = matters_of(request, org)
    content = build_workbook(matters)
    audit.record(
        "decisions.export", actor=request.user, object_type="decisions.majormatter",
        org_path=org.path, summary={"org": org.code}, ip_address=client_ip(request),
    )  # fmt: skip
    today = timezone.localdate()
    return private(
        FileResponse(
            content, as_attachment=True, filename=f"{org.code}-三重一大-{today:%Y%m%d}.xlsx"
        )
    )
