"""The Party-building calendar (month view, iCalendar feed).

Pages start from `Organization.objects.visible_to(user)`: an organisation outside the
user's subtrees answers 404. The .ics feed also opens without a login for phone
calendars, with a signed token naming the user and the organisation; the user's scope
is checked again on every fetch, so a revoked grant or a deactivated account stops the
feed, and a forged token answers 404 like an unknown organisation.
"""

import calendar as stdlib_calendar
import datetime as dt

import icalendar
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import scope_for
from dangjian.accounts.services import must_change_password
from dangjian.core.pages import bounded_int, private, year_param
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.pages import chosen_org

from . import calendar
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


def _feed_user(token: str, org: Organization):
    """The user a valid token names for this organisation, if they may still read it."""
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") != org.code:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("g", 0) != user.feed_generation or must_change_password(user):
        return None
    if not scope_for(user).can_read_org(org):
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
    feed = reverse("meetings:calendar_ics", args=[org.code])
    context.update(
        {
            "weeks": weeks,
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "previous": previous,
            "following": following,
            "open_items": [a for a in activities if a.period.start <= last and not a.done],
            # No year in the subscription: the feed follows the current year.
            "feed_url": request.build_absolute_uri(f"{feed}?token={feed_token(request.user, org)}"),
            "download_url": f"{feed}?year={year}",
        }
    )
    return private(render(request, "meetings/calendar.html", context))


# ---- iCalendar -----------------------------------------------------------------------
def _event(uid: str, day: dt.date, summary: str, description: str, stamp) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date, so an all-day event
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    return event


def build_ics(org: Organization, year: int, today: dt.date) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//dangjian//party-building calendar//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("%(org)s 党建日历") % {"org": org.name})
    stamp = timezone.now()
    for activity in calendar.year_activities(org, year, today):
        description = _("%(period)s应完成：%(kind)s（%(state)s）") % {
            "period": activity.period.label,
            "kind": activity.label,
            "state": STATE_LABELS[activity.state(today)],
        }
        uid = f"required-{org.code}-{activity.kind}-{activity.period.start.isoformat()}@dangjian"
        cal.add_component(
            _event(uid, activity.due_on, f"{org.name} {activity.label}", description, stamp)
        )
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for meeting in calendar.meetings_between(org, year_start, year_end):
        description = f"{meeting.get_status_display()}：{meeting.topic}"
        if meeting.place:
            description += "\n" + _("地点：%(place)s") % {"place": meeting.place}
        summary = f"{meeting.get_kind_display()}：{meeting.topic}"
        day = meeting.held_on or meeting.planned_on
        cal.add_component(
            _event(f"meeting-{meeting.pk}@dangjian", day, summary, description, stamp)
        )
    return cal.to_ical()


def calendar_ics(request, code: str):
    """The year's calendar as iCalendar: for a logged-in user within scope, or for
    anyone holding a valid feed token (phone calendar subscriptions)."""
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
    year = year_param(request, today.year)
    response = HttpResponse(
        build_ics(org, year, today), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{org.code}-{year}.ics"'
    return private(response)


# ---- compliance ----------------------------------------------------------------------
urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/<str:code>.ics", calendar_ics, name="calendar_ics"),
]
