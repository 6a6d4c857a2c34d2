"""The problem list (我为群众办实事): problems of a subtree by state with the year's
on-time rate and the target's progress, recording and resolving a problem, leaders'
field visits with the problems they raised, and the hospital's yearly targets.

Same scope rules as the activities: 404 outside the user's subtrees, 403 without write
scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.pages import private, year_param
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org

from . import queries, services
from .forms import ProblemForm, ResolveForm, TargetForm, VisitForm
from .models import LeaderVisit, Problem, ServiceTarget
from .pages import PAGE_SIZE, branches_under, hospital_people, try_service
from .permissions import may_record
from .rules import ProblemSource
from .views import year_figures

STATES = {
    "open": _("办理中"),
    "overdue": _("已超期"),
    "resolved": _("已办结"),
}


def _writable(request) -> Organization:
    org = chosen_org(request)
    if not may_record(request.user, org):
        raise PermissionDenied(_("没有登记问题清单的权限"))
    return org


@login_required
def problems(request):
    org = chosen_org(request)
    today = timezone.localdate()
    year = year_param(request, today.year)
    state = request.GET.get("state", "")
    rows = Problem.objects.visible_to(request.user).filter(organization__path__startswith=org.path)
    if state == "open":
        rows = rows.filter(resolved_on__isnull=True)
    elif state == "overdue":
        rows = queries.overdue(rows, today)
    elif state == "resolved":
        rows = rows.filter(resolved_on__isnull=False)
    else:
        rows = rows.filter(found_on__year=year)
    rows = rows.select_related("organization", "owner").order_by("-found_on", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "year": year,
        "state": state,
        "states": STATES,
        "page": page,
        "today": today,
        "figures": year_figures(org, year),
        "show_targets": org.path == org.hospital_path,
        "can_record": may_record(request.user, org),
        "can_set_target": org.path == org.hospital_path and may_record(request.user, org),
        "extra_query": f"org={org.code}&year={year}&state={state}",
    }
    return private(render(request, "service/problems.html", context))


@login_required
def problem_new(request):
    org = _writable(request)
    form = ProblemForm(request.POST or None, people=hospital_people(request, org))
    created = []
    if request.method == "POST" and try_service(
        form,
        lambda d: created.append(
            services.record_problem(org, services.ProblemInput(**d), by=request.user)
        ),
    ):
        messages.success(request, _("已列入问题清单。"))
        return redirect("service:problem", pk=created[0].pk)
    return private(render(request, "service/problem_new.html", {"org": org, "form": form}))


@login_required
def problem(request, pk: int):
    found = get_object_or_404(
        Problem.objects.visible_to(request.user).select_related(
            "organization", "owner", "visit__leader"
        ),
        pk=pk,
    )
    can_record = may_record(request.user, found.organization)
    form = ResolveForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("没有办结本问题的权限"))
        if try_service(
            form,
            lambda d: services.resolve_problem(
                found, d["resolved_on"], d["resolution"], by=request.user
            ),
        ):
            messages.success(request, _("已办结。"))
            return redirect("service:problem", pk=found.pk)
    context = {
        "item": found,
        "form": form,
        "can_record": can_record and found.resolved_on is None,
        "today": timezone.localdate(),
    }
    return private(render(request, "service/problem.html", context))


@login_required
def visits(request):
    org = chosen_org(request)
    can_record = may_record(request.user, org)
    form = None
    if can_record:
        form = VisitForm(
            request.POST or None, people=hospital_people(request, org), branches=branches_under(org)
        )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("没有登记领导下沉走访的权限"))

        def run(data):
            raised = [
                services.ProblemInput(
                    title=line,
                    source=ProblemSource.LEADER_VISIT,
                    found_on=data["visited_on"],
                    deadline=data["deadline"],
                )  # fmt: skip
                for line in form.problem_lines()
            ]
            services.record_visit(
                data["organization"], data["leader"], data["visited_on"], data["summary"],
                raised, by=request.user,
            )  # fmt: skip

        if try_service(form, run):
            messages.success(request, _("已登记走访。"))
            return redirect(f"{reverse('service:visits')}?org={org.code}")
    rows = (
        LeaderVisit.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization", "leader")
        .prefetch_related("problems")
        .order_by("-visited_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"org": org, "page": page, "form": form, "extra_query": f"org={org.code}"}
    return private(render(request, "service/visits.html", context))


@login_required
def target(request):
    """The hospital's targets: its Party office only (a secretary's scope is the branch)."""
    org = chosen_org(request)
    hospital = get_object_or_404(
        Organization.objects.visible_to(request.user), path=org.hospital_path
    )
    if not may_record(request.user, hospital):
        raise PermissionDenied(_("没有设置医院年度目标的权限"))
    year = year_param(request, timezone.localdate().year)
    current = ServiceTarget.objects.filter(organization=hospital, year=year).first()
    initial = {"year": year}
    if current:
        initial.update(
            people_served=current.people_served, practical_matters=current.practical_matters,
            hours_as_study=current.hours_as_study,
        )  # fmt: skip
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and try_service(
        form,
        lambda d: services.set_target(
            hospital, d["year"], people_served=d["people_served"],
            practical_matters=d["practical_matters"], hours_as_study=d["hours_as_study"],
            by=request.user,
        ),
    ):  # fmt: skip
        messages.success(request, _("已保存年度目标。"))
        return redirect(f"{reverse('service:problems')}?org={hospital.code}")
    return private(render(request, "service/target.html", {"org": hospital, "form": form}))
