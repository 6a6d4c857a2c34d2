"""The Party-building calendar (month view, iCalendar feeds).

Pages start from `Organization.objects.visible_to(user)`: an organisation outside the
user's subtrees answers 404. The .ics feeds also open without a login for phone
calendars, with a signed token naming the user and the organisation (or, for a member's
own feed, the user alone); the user's scope is checked again on every fetch, so a
revoked grant or a deactivated account stops the feed, and a forged token answers 404
like an unknown organisation. A user renews their links from the page that shows them:
every link handed out before stops (accounts.services.revoke_feeds, audited).
"""

import calendar as stdlib_calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.accounts.services import must_change_password, revoke_feeds
from dangjian.core.pages import bounded_int, private, year_param
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.pages import chosen_org

from . import calendar, ics
from .models import MeetingStatus
from .permissions import may_plan

FEED_SALT = "dangjian.meetings.calendar-feed"
STATE_LABELS = {
    "done": gettext_lazy("已完成"),
    "overdue": gettext_lazy("已逾期"),
    "pending": gettext_lazy("待完成"),
}


def _calendar_units(org: Organization):
    """Branches and groups under a higher organisation, to pick a calendar from."""
    return Organization.objects.filter(
        path__startswith=org.path,
        kind__in=(OrgKind.BRANCH, OrgKind.GROUP),
        dissolved_on__isnull=True,
    ).order_by("path")


# ---- subscription token ----------------------------------------------------------------
def feed_token(user, org: Organization) -> str:
    """Signed with the user's feed generation: revoking the user's feeds (a new
    generation) ends every link handed out before."""
    return signing.dumps({"u": user.pk, "o": org.code, "g": user.feed_generation}, salt=FEED_SALT)


def member_feed_token(user) -> str:
    """The member's own feed (the meetings they are expected at): no organisation."""
    return signing.dumps({"u": user.pk, "m": 1, "g": user.feed_generation}, salt=FEED_SALT)


def _token_user(data):
    """The active user a token's payload names, if its generation is still current."""
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("g", 0) != user.feed_generation or must_change_password(user):
        return None
    return user


def _member_feed_user(token: str):
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("m") != 1:
        return None
    return _token_user(data)


def _feed_user(token: str, org: Organization):
    """The user a valid token names for this organisation, if they may still read it."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != org.code:
        return None
    user = _token_user(data)
    if user is None or not scope_for(user).can_read_org(org):
        return None
    return user


# ---- month view ----------------------------------------------------------------------
@login_required
def calendar_page(request):
    org = chosen_org(request)
    today = timezone.localdate()
    year = year_param(request, today.year)
    month = bounded_int(request.GET.get("month"), today.month if year == today.year else 1, 1, 12)
    context = {
        "org": org,
        "year": year,
        "month": month,
        "today": today,
        # Writers plan a meeting straight from a calendar entry (JOURNEYS: secretary 2).
        "can_plan": may_plan(request.user, org),
    }
    feed = reverse("meetings:calendar_ics", args=[org.code])
    # No year in the subscription: the feed follows the date (calendar.feed_window).
    context["feed_url"] = request.build_absolute_uri(
        f"{feed}?token={feed_token(request.user, org)}"
    )
    context["download_url"] = f"{feed}?year={year}"
    context["window"] = calendar.feed_window(today)
    if org.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        context["units"] = _calendar_units(org)
        return private(render(request, "meetings/calendar.html", context))
    first = dt.date(year, month, 1)
    last = dt.date(year, month, stdlib_calendar.monthrange(year, month)[1])
    activities = calendar.year_activities(org, year, today)
    meetings = list(calendar.meetings_between(org, first, last))
    by_day: dict = {}
    for activity in activities:
        if first <= activity.due_on <= last:
            by_day.setdefault(activity.due_on, {"activities": [], "meetings": []})[
                "activities"
            ].append({"activity": activity, "state": activity.state(today)})
    for meeting in meetings:
        day = meeting.held_on or meeting.planned_on
        by_day.setdefault(day, {"activities": [], "meetings": []})["meetings"].append(meeting)
    weeks = [
        [{"day": day, "in_month": day.month == month, **by_day.get(day, {})} for day in week]
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = first - dt.timedelta(days=1)
    following = last + dt.timedelta(days=1)
    context.update(
        {
            "weeks": weeks,
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "previous": previous,
            "following": following,
            "open_items": [a for a in activities if a.period.start <= last and not a.done],
        }
    )
    return private(render(request, "meetings/calendar.html", context))


# ---- iCalendar -----------------------------------------------------------------------
def build_ics(org: Organization, today: dt.date, base_url: str, year: int | None = None) -> bytes:
    """A branch's or group's required activities and meetings; for a higher organisation
    (a hospital office's, a guidance committee's) the meetings of its whole subtree, each
    titled with its organisation, without the required activities (one line per branch
    and period would bury the meetings; the compliance page follows those). `year`: that
    year alone (the download); else the subscription window (`calendar.feed_window`)."""
    if year is None:
        start, end = calendar.feed_window(today)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cal = ics.new_calendar(_("%(org)s 党建日历") % {"org": org.name})
    if org.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        ics.add_meetings(cal, calendar.subtree_meetings(org, start, end), base_url, with_org=True)
        return ics.finish(cal)
    stamp = timezone.now()
    for activity in calendar.window_activities(org, start, end, today):
        description = _("%(period)s应完成：%(kind)s（%(state)s）") % {
            "period": activity.period.label,
            "kind": activity.label,
            "state": STATE_LABELS[activity.state(today)],
        }
        cal.add_component(ics.activity_event(org.code, org.name, activity, description, stamp))
    ics.add_meetings(cal, calendar.meetings_between(org, start, end), base_url)
    return ics.finish(cal)


def build_member_ics(person_id: int, today: dt.date, base_url: str) -> bytes:
    start, end = calendar.feed_window(today)
    cal = ics.new_calendar(_("我的组织生活"))
    ics.add_meetings(cal, calendar.expected_meetings(person_id, start, end), base_url)
    return ics.finish(cal)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return private(response)


def calendar_ics(request, code: str):
    """The calendar as iCalendar: for a logged-in user within scope, or for anyone
    holding a valid feed token (phone calendar subscriptions). `?year=` gives that year
    alone; without it the subscription window."""
    token = request.GET.get("token", "")
    if token:
        org = get_object_or_404(Organization, code=code)
        if _feed_user(token, org) is None:
            raise Http404(_("党组织不存在"))
    elif request.user.is_authenticated:
        org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    else:
        raise Http404(_("党组织不存在"))
    today = timezone.localdate()
    year = year_param(request, today.year) if request.GET.get("year") else None
    content = build_ics(org, today, _base_url(request), year)
    return _ics_response(content, f"{org.code}-{year or 'feed'}.ics")


def member_ics(request):
    """The meetings a member is expected at: with the member's feed token, or logged in."""
    token = request.GET.get("token", "")
    user = _member_feed_user(token) if token else None
    if user is None and not token and request.user.is_authenticated:
        user = request.user
    person_id = scope_for(user).self_person_id if user is not None else None
    if person_id is None:
        raise Http404(_("没有可订阅的会议日历"))
    content = build_member_ics(person_id, timezone.localdate(), _base_url(request))
    return _ics_response(content, "my-meetings.ics")


# ---- the member's own feed and renewing the links ----------------------------------------
@login_required
def member_calendar(request):
    """The member's subscription link to the meetings they are expected at."""
    person_id = scope_for(request.user).self_person_id
    if person_id is None:
        raise Http404(_("没有可订阅的会议日历"))
    today = timezone.localdate()
    upcoming = calendar.expected_meetings(person_id, today, calendar.feed_window(today)[1])
    feed = reverse("meetings:calendar_member_ics")
    context = {
        "meetings": list(upcoming.filter(status=MeetingStatus.PLANNED)[:20]),
        "feed_url": request.build_absolute_uri(f"{feed}?token={member_feed_token(request.user)}"),
        "window": calendar.feed_window(today),
    }
    return private(render(request, "meetings/calendar_member.html", context))


@login_required
@require_POST
def renew_feed(request):
    """Revoke every feed link the user has handed out (an audit entry) and go back to
    the page it came from, which shows the new link."""
    revoke_feeds(request.user, by=request.user)
    messages.success(
        request, _("原订阅链接已全部作废；下面是新的订阅链接，请在手机日历中重新订阅。")
    )
    code = request.POST.get("org", "")
    if code and Organization.objects.visible_to(request.user).filter(code=code).exists():
        return redirect(f"{reverse('meetings:calendar')}?org={code}#feed")
    if scope_for(request.user).self_person_id is not None and request.POST.get("mine"):
        return redirect(f"{reverse('meetings:calendar_member')}#feed")
    return redirect("tokens")


# ---- compliance ----------------------------------------------------------------------
urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/me/", member_calendar, name="calendar_member"),
    path("calendar/me/feed.ics", member_ics, name="calendar_member_ics"),
    path("calendar/feed/renew/", renew_feed, name="calendar_renew"),
    path("calendar/<str:code>.ics", calendar_ics, name="calendar_ics"),
]
