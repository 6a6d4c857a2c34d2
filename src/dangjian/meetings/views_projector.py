"""Meeting day on the projector (JOURNEYS: secretary 2): the check-in QR code large enough
to scan across a room, and the count of members checked in, refreshed every few seconds
without reloading the page (htmx polls a small fragment). A meeting that has ended or
been recorded as held shows no code."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from dangjian.core.pages import private

from . import services
from .models import Meeting
from .permissions import may_record
from .qr import qr_svg

LATEST = 8  # names shown under the count, the latest first
POLL_SECONDS = 5


def _recorded_meeting(request, pk: int) -> Meeting:
    """The meeting, if the user may record it (404 outside scope, 403 for readers)."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not may_record(request.user, meeting):
        raise PermissionDenied(_("没有主持本次会议签到的权限"))
    return meeting


def _live(meeting: Meeting) -> dict:
    """Who is expected and who has checked in so far. Two queries."""
    counts = meeting.attendance.aggregate(
        expected=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    latest = (
        meeting.attendance.filter(checked_in_at__isnull=False)
        .select_related("person")
        .order_by("-checked_in_at", "-pk")[:LATEST]
    )
    return {**counts, "latest": [row.person.name for row in latest]}


@login_required
def projector(request, pk: int):
    meeting = _recorded_meeting(request, pk)
    state = services.check_in_state(meeting)
    context = {"meeting": meeting, "state": state, "live": _live(meeting), "poll": POLL_SECONDS}
    if state != "closed":
        url = request.build_absolute_uri(
            reverse("meetings:check_in", args=[services.check_in_token(meeting)])
        )
        context.update(
            {"qr_svg": qr_svg(url, scale=12), "opens": services.check_in_opens_at(meeting)}
        )
    return private(render(request, "meetings/projector.html", context))


@login_required
def projector_count(request, pk: int):
    """The live part of the projector page (htmx, every few seconds)."""
    meeting = _recorded_meeting(request, pk)
    context = {
        "meeting": meeting,
        "live": _live(meeting),
        "state": services.check_in_state(meeting),
    }
    return private(render(request, "meetings/_projector_count.html", context))


urlpatterns = [
    path("<int:pk>/projector/", projector, name="projector"),
    path("<int:pk>/projector/count/", projector_count, name="projector_count"),
]
