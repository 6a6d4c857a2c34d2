"""Each role's home: `/` sends a user to the page made for their work (a member to their
phone page, a secretary to the branch page, the Party office to its work queue, the
guidance committee to the city overview, an auditor to the audit log)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.core.datacache import UNIT_CHARS
from dangjian.core.pages import private
from dangjian.dashboard.permissions import may_export_stats
from dangjian.meetings.permissions import may_plan
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person

from . import trends
from .city import BY_KEY, city_overview
from .glance import branch_glance_for, member_glance_for, office_glance_for

# The first role a user holds in this order picks their home.
HOMES = [
    (Role.GUIDANCE, "home:city"),
    (Role.OFFICE, "home:office"),
    (Role.SECRETARY, "home:branch"),
    (Role.AUDITOR, "audit_log"),
    (Role.AUDIT_ADMIN, "audit_log"),
    (Role.SYSTEM_ADMIN, "account_list"),
    (Role.SECURITY_ADMIN, "account_list"),
]


@login_required
def index(request):
    scope = scope_for(request.user)
    for role, url_name in HOMES:
        if role in scope.roles:
            return redirect(url_name)
    if scope.self_person_id is not None:
        return redirect("home:member")
    return redirect("dashboard:home")


@login_required
def member(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("账号未关联人员信息"))
    glance = member_glance_for(request.user, person, timezone.localdate())
    context = {"person": person, "glance": glance, "today": timezone.localdate()}
    return private(render(request, "home/member.html", context))


def _unit(request):
    """(organisation, today, its people) for a page about one organisation's work: the
    `?org=` chosen among those whose people the user may read (404 otherwise)."""
    org = chosen_org(request)
    if not scope_for(request.user).can_read_people(org):
        raise Http404(_("没有可查看的党组织"))
    people = Person.objects.visible_to(request.user).filter(organization__path__startswith=org.path)
    return org, timezone.localdate(), people


@login_required
def branch(request):
    org, today, people = _unit(request)
    context = {
        "org": org,
        "today": today,
        "glance": branch_glance_for(request.user, org, people, today),
        "can_plan": may_plan(request.user, org),
    }
    return private(render(request, "home/branch.html", context))


@login_required
def office(request):
    """The Party office's work queue: what waits for it today across the hospital."""
    org, today, people = _unit(request)
    context = {
        "org": org,
        "today": today,
        "glance": office_glance_for(request.user, org, people, today),
    }
    return private(render(request, "home/office.html", context))


def _city_org(request):
    """The organisation above the hospitals the page is about (404 for a hospital or
    below: its own page is its dashboard, and a hospital's user has no city to choose)."""
    org = chosen_org(request)
    if len(org.path) >= UNIT_CHARS:
        raise Http404(_("全市概览只适用于医院以上的党组织"))
    return org


def _trend_key(request) -> str:
    key = request.GET.get("figure") or trends.DEFAULT_KEY
    return key if key in trends.TREND_KEYS else trends.DEFAULT_KEY


@login_required
def city(request):
    """The guidance committee's overview: the hospitals of the city side by side. Only
    for an organisation above the hospitals (a hospital's own page is its dashboard)."""
    org = _city_org(request)
    today = timezone.localdate()
    context = {
        "org": org,
        "today": today,
        "overview": city_overview(org, today),
        "can_export": may_export_stats(request.user, org),
    }
    return private(render(request, "home/city.html", context))


@login_required
def city_trend(request):
    """One figure over the last eight quarters, for the city and each hospital."""
    org = _city_org(request)
    key = _trend_key(request)
    context = {
        "org": org,
        "trend": trends.city_trend(org, key, timezone.localdate()),
        "choices": [(k, trends.TREND_LABELS.get(k, BY_KEY[k].label)) for k in trends.TREND_KEYS],
        "key": key,
    }
    return private(render(request, "home/city_trend.html", context))


SCREEN_KEYS = (
    "members.total", "organizations.branches", "dues.on_time_rate",
    "meetings.compliant_branches_ratio", "tasks.overdue", "development.admitted",
    "service.activities", "assessment.mean_score",
)  # fmt: skip
SCREEN_TOP, SCREEN_BOTTOM = 10, 5


@login_required
def city_screen(request):
    """The committee office's big screen (1920×1080): the city's headline figures, the
    hospitals ranked by their branches' mean score, a trend; it reloads itself every
    five minutes (data-dj-refresh, handled in dangjian.js: axe refuses a meta refresh)."""
    org = _city_org(request)
    today = timezone.localdate()
    overview = city_overview(org, today)
    score_at = [c.key for c in overview["columns"]].index("assessment.mean_score")
    ranked = sorted(
        overview["rows"],
        key=lambda r: (r.cells[score_at].value is None, -(r.cells[score_at].value or 0),
                       r.org.path),
    )  # fmt: skip
    ranking = [(n, row, row.cells[score_at]) for n, row in enumerate(ranked, 1)]
    scored = [entry for entry in ranking if entry[2].value is not None]
    bottom = scored[SCREEN_TOP:][-SCREEN_BOTTOM:] if len(scored) > SCREEN_TOP else []
    key = _trend_key(request)
    context = {
        "org": org,
        "today": today,
        "now": timezone.localtime(),
        "overview": overview,
        "headline": [c for c in overview["totals"] if c.column.key in SCREEN_KEYS],
        "top": ranking[:SCREEN_TOP],
        "bottom": bottom,
        "trend": trends.city_trend(org, key, today),
        "refresh_seconds": 300,
    }
    return private(render(request, "home/city_screen.html", context))
