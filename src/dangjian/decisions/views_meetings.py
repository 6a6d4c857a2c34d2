"""The decision meetings: the list of 党委会 and 院长办公会 meetings, planning one, and the
meeting page (JOURNEYS office step 5) with attendance, the quorum shown live, agenda items
from the register, each item's outcome and votes checked before they are accepted,
minutes and files.

Scope as in `views`: 404 outside the user's subtrees, 403 without write scope. The htmx
previews (`quorum`, `check`) compute with the rules and `services.outcome_problems` and
write nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core.pages import private
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person

from . import rules, services
from .forms import AgendaForm, MeetingForm, MinutesForm, OutcomeForm, UploadForm
from .models import AttendanceState, DecisionMeeting, MajorMatter, MatterStatus
from .pages import PAGE_SIZE, try_service
from .permissions import may_register
from .rules import Body, MatterCategory, Outcome
from .services import DecisionError


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
    body = request.GET.get("body", "")
    if body in Body.values:
        meetings = meetings.filter(body=body)
    query = {k: v for k, v in {"org": org.code, "body": body}.items() if v}
    context = {
        "org": org,
        "body": body,
        "bodies": Body.choices,
        "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": urlencode(query),
        "can_write": may_register(request.user, org),
    }
    return private(render(request, "decisions/meetings.html", context))


@login_required
def meeting_new(request):
    """Plan a meeting: a 党委会 expects the committee on the day (services.committee_members)
    unless people are picked; a 院长办公会 expects the people picked from the hospital."""
    org = chosen_org(request)
    if not may_register(request.user, org):
        raise PermissionDenied(_("没有安排决策会议的权限"))
    people = (
        Person.objects.filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("name", "pk")
    )
    form = MeetingForm(request.POST or None, people=people)
    created = []

    def plan(d):
        attendees = list(d.pop("attendees")) or None
        created.append(services.plan_meeting(org, attendees=attendees, by=request.user, **d))

    if request.method == "POST" and try_service(form, plan):
        messages.success(request, _("已安排会议。"))
        return redirect("decisions:meeting", pk=created[0].pk)
    context = {
        "org": org,
        "form": form,
        "committee": services.committee_members(org, timezone.localdate()),
    }
    return private(render(request, "decisions/meeting_new.html", context))


def quorum_figures(meeting: DecisionMeeting, present: int) -> dict:
    """What the quorum banner shows: 应到/实到, whether more than half (two thirds for key
    appointments) are present, and the least numbers the rules ask for."""
    should = meeting.should_attend
    party = meeting.body == Body.PARTY_COMMITTEE
    return {
        "meeting": meeting,
        "present": present,
        "quorum_met": rules.quorum_met(should, present),
        "appointment_quorum_met": rules.quorum_met(should, present, appointment=True),
        "least_present": should // 2 + 1,
        "least_appointment": (2 * should + 2) // 3,
        "least_for": should // 2 + 1,
        "party": party,
        "rule": rules.QUORUM_RULE if party else rules.PRESIDENT_QUORUM_RULE,
        "appointment_rule": rules.APPOINTMENT_QUORUM_RULE,
        "majority_rule": rules.MAJORITY_RULE,
    }


def _posted_present(request, rows) -> int:
    return sum(request.POST.get(f"state-{r.pk}", r.state) == AttendanceState.PRESENT for r in rows)


def _post_attendance(request, meeting, rows) -> list[str]:
    """All rows or none: a refused row leaves every row as it was."""
    try:
        with transaction.atomic():
            for row in rows:
                state = request.POST.get(f"state-{row.pk}", row.state)
                reason = request.POST.get(f"reason-{row.pk}", "").strip()
                opinion = request.POST.get(f"opinion-{row.pk}", "").strip()
                if (state, reason, opinion) != (row.state, row.reason, row.written_opinion):
                    services.set_attendance(
                        meeting, row.person, state=state, reason=reason,
                        written_opinion=opinion, by=request.user,
                    )  # fmt: skip
    except DecisionError as refused:
        return refused.reasons
    return []


def _outcome_input(data) -> services.OutcomeInput:
    return services.OutcomeInput(
        outcome=data["outcome"], decision=data["decision"], votes_for=data["votes_for"],
        votes_against=data["votes_against"] or 0, votes_abstain=data["votes_abstain"] or 0,
    )  # fmt: skip


def _record(meeting, data, user):
    item = get_object_or_404(meeting.items.all(), pk=data["item"])
    return services.record_outcome(item, _outcome_input(data), by=user)


def _check(request, meeting, present: int):
    """htmx: the reasons an outcome would be refused, before it is submitted."""
    form = OutcomeForm(request.POST)
    problems = []
    if form.is_valid():
        item = get_object_or_404(
            meeting.items.select_related("matter", "meeting"), pk=form.cleaned_data["item"]
        )
        boundary = services.settings_for(meeting.organization).boundary
        problems = services.outcome_problems(
            item, _outcome_input(form.cleaned_data), present, boundary, timezone.localdate()
        )
    else:
        problems = [e for errors in form.errors.values() for e in errors]
    return render(request, "decisions/_check.html", {"problems": problems})


@login_required
def meeting(request, pk: int):
    """JOURNEYS office step 5: attendance, the agenda from the register, each item's vote;
    the quorum is shown (live while attendance is changed) and the service checks it again
    before a decision is accepted."""
    found = get_object_or_404(
        DecisionMeeting.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    can_write = may_register(request.user, found.organization)
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
        if action == "quorum":
            figures = quorum_figures(found, _posted_present(request, rows))
            return private(render(request, "decisions/_quorum.html", figures))
        if action == "check":
            present = sum(r.state == AttendanceState.PRESENT for r in rows)
            return private(_check(request, found, present))
        done = False
        if action == "attendance":
            attendance_errors = _post_attendance(request, found, rows)
            done = not attendance_errors
        elif action == "agenda":
            forms["agenda"] = AgendaForm(request.POST, matters=waiting)
            done = try_service(
                forms["agenda"],
                lambda d: services.add_agenda_item(found, d["matter"], by=request.user),
            )
        elif action == "outcome":
            forms["outcome"] = OutcomeForm(request.POST)
            done = try_service(forms["outcome"], lambda d: _record(found, d, request.user))
        elif action == "minutes":
            forms["minutes"] = MinutesForm(request.POST)
            done = try_service(
                forms["minutes"],
                lambda d: services.record_minutes(found, d["minutes"], by=request.user),
            )
        elif action == "upload":
            forms["upload"] = UploadForm(request.POST, request.FILES)
            done = try_service(
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
    figures = quorum_figures(found, present)
    for item in items:
        item.quorum_problem = rules.quorum_problem(
            found.body, item.matter.category, found.should_attend, present
        )
        item.appointment = item.matter.category == MatterCategory.KEY_APPOINTMENT
    decided = any(item.outcome != Outcome.PENDING for item in items)
    context = {
        **figures,
        "rows": rows,
        "states": AttendanceState.choices,
        "attendance_locked": decided,
        "items": items,
        "outcomes": [c for c in Outcome.choices if c[0] != Outcome.PENDING],
        "attachments": list(found.attachments.all()),
        "attendance_errors": attendance_errors,
        "can_write": can_write,
        "forms": forms,
    }
    return private(render(request, "decisions/meeting.html", context))
