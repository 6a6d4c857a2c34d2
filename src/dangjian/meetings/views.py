"""Meeting pages: list, plan, detail with attendance, QR check-in, minutes, attachments.

Everything starts from `visible_to(user)`: a meeting, organisation or file outside the
user's subtrees answers 404; changes need write scope on the meeting's organisation
(403 for those who may only read). Every change goes through `services`, whose Chinese
refusals are shown as form errors with nothing written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import audited_download, private
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person

from . import rules, services
from .forms import AttendanceForm, HeldForm, ListFilterForm, PlanMeetingForm, UploadForm
from .models import AttendanceState, Meeting, MeetingAttachment
from .permissions import may_plan, may_record, may_see_attendance
from .qr import qr_svg
from .rules import MeetingKind
from .services import MeetingError

PAGE_SIZE = 50


# ---- list -----------------------------------------------------------------------------
@login_required
def meeting_list(request):
    """Meetings of the chosen subtree, newest first, with their attendance counts."""
    org = chosen_org(request)
    filters = ListFilterForm(request.GET)
    kind, status = filters.value("kind"), filters.value("status")
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .annotate(
            expected_count=Count("attendance"),
            present_count=Count("attendance", filter=Q(attendance__state=AttendanceState.PRESENT)),
        )
        .order_by("-planned_on", "-id")
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    query = {
        "org": org.code,
        **({"kind": kind} if kind else {}),
        **({"status": status} if status else {}),
    }
    context = {
        "org": org,
        "filters": filters,
        "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": urlencode(query),
        "can_plan": may_plan(request.user, org),
    }
    return private(render(request, "meetings/list.html", context))


# ---- planning -------------------------------------------------------------------------
@login_required
def meeting_new(request):
    org = chosen_org(request)
    if not may_plan(request.user, org):
        raise PermissionDenied(_("没有安排组织生活的权限"))
    lecturers = (
        Person.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.hospital_path)
        .order_by("name", "pk")
    )
    if request.method == "POST":
        form = PlanMeetingForm(request.POST, lecturers=lecturers)
        if form.is_valid():
            try:
                meeting = services.plan_meeting(org, by=request.user, **form.plan_arguments())
            except MeetingError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("已安排“%(topic)s”。") % {"topic": meeting.topic})
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        # From a calendar entry: ?kind=theme_day&date=2024-05-15 fills the form.
        initial = {"kind": request.GET.get("kind", ""), "planned_on": request.GET.get("date", "")}
        initial["topic"] = _default_topic(initial["kind"])
        form = PlanMeetingForm(lecturers=lecturers, initial=initial)
    return private(render(request, "meetings/new.html", {"org": org, "form": form}))


def _default_topic(kind: str) -> str:
    return str(MeetingKind(kind).label) if kind in MeetingKind.values else ""


# ---- detail ---------------------------------------------------------------------------
def _visible_meeting(request, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("organization", "lecturer"),
        pk=pk,
    )


def _attendance_rows(request, meeting: Meeting) -> list:
    """Everyone expected for those who may read the organisation's people; a member sees
    only their own row."""
    rows = meeting.attendance.select_related("person").order_by("person__name", "pk")
    if not may_see_attendance(request.user, meeting):
        rows = rows.filter(person_id=scope_for(request.user).self_person_id)
    return list(rows)


def _post_attendance(request, meeting, rows):
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            # All corrections or none: one refused row leaves every row as it was.
            with transaction.atomic():
                changes = form.changes()
                for row, state, reason in changes:
                    services.set_attendance(meeting, row.person, state, reason, by=request.user)
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已更正 %(n)d 人的出席情况。") % {"n": len(changes)})
            return None
    return form


def _post_held(request, meeting):
    form = HeldForm(request.POST, kind=meeting.kind)
    if form.is_valid():
        try:
            services.record_held(meeting, by=request.user, **form.service_args())
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已登记会议召开情况。"))
            return None
    return form


def _post_upload(request, meeting):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.add_attachments(meeting, form.cleaned_data["file"], by=request.user)
        except MeetingError as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, _("已上传 %(n)d 个附件。") % {"n": len(stored)})
            return None
    return form


POST_HANDLERS = {"attendance", "held", "upload"}


@login_required
def meeting_detail(request, pk: int):
    """The meeting, its attendance and quorum, minutes and files; for those who may
    change it also the check-in QR code and the forms to correct and file it. A POST
    names its form in `action`; on success it redirects back here."""
    meeting = _visible_meeting(request, pk)
    can_write = may_record(request.user, meeting)
    rows = _attendance_rows(request, meeting)
    forms = {
        "attendance": AttendanceForm(rows=rows) if can_write else None,
        "held": HeldForm(
            initial={
                "held_on": meeting.held_on or meeting.planned_on,
                "minutes": meeting.minutes,
                "resolution": meeting.resolution,
                "votes_yes": meeting.votes_yes,
                "votes_no": meeting.votes_no,
                "votes_abstain": meeting.votes_abstain,
            },
            kind=meeting.kind,
        ),
        "upload": UploadForm(),
    }
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("没有修改本次会议的权限"))
        action = request.POST.get("action", "")
        if action not in POST_HANDLERS:
            raise Http404(_("未知的操作"))
        if action == "attendance":
            refused = _post_attendance(request, meeting, rows)
        elif action == "held":
            refused = _post_held(request, meeting)
        else:
            refused = _post_upload(request, meeting)
        if refused is None:
            return redirect("meetings:detail", pk=meeting.pk)
        forms[action] = refused
    context = {
        "meeting": meeting,
        "rows": rows,
        "attachments": list(meeting.attachments.all()),
        "can_write": can_write,
        "forms": forms,
        "attendance_rows": forms["attendance"].bound_rows() if can_write else [],
    }
    if meeting.kind in rules.QUORUM_KINDS:
        expected, present, met = services.quorum(meeting)
        context["quorum"] = {"expected": expected, "present": present, "met": met}
        if not met:
            context["quorum"]["message"] = rules.quorum_message(expected, present)
    context["check_in_state"] = services.check_in_state(meeting)
    if can_write and context["check_in_state"] != "closed":  # no live code for a past meeting
        token = services.check_in_token(meeting)
        check_in_url = request.build_absolute_uri(reverse("meetings:check_in", args=[token]))
        context.update(
            {
                "check_in_url": check_in_url,
                "qr_svg": qr_svg(check_in_url),
                "check_in_opens": services.check_in_opens_at(meeting),
            }
        )
    return private(render(request, "meetings/detail.html", context))


# ---- QR check-in ----------------------------------------------------------------------
@login_required
def check_in(request, token: str):
    """The page the QR code opens on a member's phone: the meeting and one button.
    A meeting the user may not see does not exist for them (404); a bad, expired or
    reused token, or a person not expected, gets the service's message."""
    context = {"token": token}
    try:
        meeting = services.meeting_for_token(token)
    except MeetingError as refused:
        context["error"] = str(refused)
        return private(render(request, "meetings/check_in.html", context, status=400))
    if not Meeting.objects.visible_to(request.user).filter(pk=meeting.pk).exists():
        raise Http404(_("会议不存在"))
    context["meeting"] = meeting
    person = getattr(request.user, "person", None)
    if person is None:
        context["error"] = _("您的账号未关联党员信息，无法签到。请联系支部书记或党委办公室。")
        return private(render(request, "meetings/check_in.html", context, status=400))
    if request.method == "POST":
        try:
            row = services.check_in(token, person)
        except MeetingError as refused:
            context["error"] = str(refused)
            return private(render(request, "meetings/check_in.html", context, status=400))
        context["done"] = row
    else:
        # A second scan shows the earlier check-in instead of a button that would fail.
        earlier = meeting.attendance.filter(person=person, checked_in_at__isnull=False).first()
        context.update({"done": earlier, "already": earlier is not None})
    return private(render(request, "meetings/check_in.html", context))


# ---- attachments ----------------------------------------------------------------------
@login_required
def attachment(request, pk: int):
    """A meeting's file, as an attachment, to those who may see the meeting; audited as
    an export."""
    visible = Meeting.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        MeetingAttachment.objects.select_related("meeting__organization").filter(
            meeting__in=visible
        ),
        pk=pk,
    )
    return audited_download(
        request, item, action="meeting.export", obj=item.meeting,
        org_path=item.meeting.organization.path, summary={"attachment": item.pk},
    )  # fmt: skip


urlpatterns = [
    path("", meeting_list, name="list"),
    path("new/", meeting_new, name="new"),
    path("<int:pk>/", meeting_detail, name="detail"),
    path("check-in/<str:token>/", check_in, name="check_in"),
    path("attachment/<int:pk>/", attachment, name="attachment"),
]
