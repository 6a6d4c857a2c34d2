"""Points pages: my points (a member's phone), one member's points, the ranking of a
branch or hospital with its Excel report, and the manual adjustments (propose, approve
by a second person, reverse).

Everything starts from the user's scope: another hospital's member or adjustment answers
404; changes need write scope (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core import audit
from dangjian.core.pages import audit_read, client_ip, private, try_service, year_param
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import MEMBER_STATUSES, Person
from dangjian.people.queries import current_status

from . import queries, services
from .export import ranking_workbook
from .forms import AdjustmentForm, ReverseForm, RulesForm
from .models import AdjustmentState, PointAdjustment
from .permissions import may_adjust
from .services import PointsError, rules_for

PAGE_SIZE = 50


def _hospital(org: Organization) -> Organization:
    return Organization.objects.get(path=org.hospital_path)


def _points_page(request, person: Person, template: str):
    year = year_param(request, timezone.localdate().year)
    specs = rules_for(person.organization, year)
    result = queries.member_points(person, year, specs)
    audit_read(request, "points.view", obj=person, org_path=person.organization.path)
    context = {"person": person, "year": year, **result, "items": result["items"][::-1]}
    return private(render(request, template, context))


@login_required
def mine(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("账号未关联人员信息"))
    return _points_page(request, person, "points/mine.html")


@login_required
def person_points(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    return _points_page(request, person, "points/mine.html")


def ranking_rows(org: Organization, year: int) -> list[dict]:
    """The current members of the subtree with their totals, highest first (a member's
    rank is shared with those of the same total)."""
    members = list(
        Person.objects.filter(organization__path__startswith=org.path)
        .annotate(status_now=current_status())
        .filter(status_now__in=MEMBER_STATUSES)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    totals = queries.totals([m.pk for m in members], year, rules_for(org, year))
    rows = sorted(
        ({"pk": m.pk, "name": m.name, "organization": m.organization.name, "total": totals[m.pk]}
         for m in members),
        key=lambda r: -r["total"],
    )  # fmt: skip
    rank, previous = 0, None
    for index, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = index, row["total"]
        row["rank"] = rank
    return rows


@login_required
def ranking(request):
    org = chosen_org(request)
    year = year_param(request, timezone.localdate().year)
    context = {"org": org, "year": year, "above_hospitals": org.depth < 2}
    if not context["above_hospitals"]:
        rows = ranking_rows(org, year)
        if request.GET.get("export"):
            audit.record(
                "points.export", actor=request.user, obj=org, org_path=org.path,
                summary={"year": year, "rows": len(rows)}, ip_address=client_ip(request),
            )  # fmt: skip
            name = f"{org.code}-{year}年党员积分.xlsx"
            content = ranking_workbook(org, year, rows)
            return private(FileResponse(content, as_attachment=True, filename=name))
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context["extra_query"] = f"org={org.code}&year={year}"
        context["can_adjust"] = may_adjust(request.user, org)
        context["can_set_rules"] = may_adjust(request.user, _hospital(org))
    return private(render(request, "points/ranking.html", context))


def _adjustments_of(request, org):
    return (
        PointAdjustment.objects.filter(
            person__in=Person.objects.visible_to(request.user).filter(
                organization__path__startswith=org.path
            )
        )
        .select_related("person", "person__organization", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


@login_required
def adjustments(request):
    org = chosen_org(request)
    if not may_adjust(request.user, org):
        raise PermissionDenied(_("没有调整积分的权限"))
    people = (
        Person.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    form = AdjustmentForm(request.POST or None, people=people)
    if request.method == "POST" and try_service(
        form,
        lambda d: services.propose(d["person"], d["points"], d["reason"], d["on"], by=request.user),
        PointsError,
    ):
        messages.success(request, _("已提出，须由另一名党务工作者审核后生效。"))
        return redirect(f"{reverse('points:adjustments')}?org={org.code}")
    rows = _adjustments_of(request, org)
    context = {
        "org": org,
        "form": form,
        "pending": [a for a in rows.filter(state=AdjustmentState.PENDING)[:100]],
        "page": Paginator(rows.exclude(state=AdjustmentState.PENDING), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "extra_query": f"org={org.code}",
        "reverse_form": ReverseForm(),
    }
    return private(render(request, "points/adjustments.html", context))


@login_required
@require_POST
def adjustment_action(request, pk: int):
    """Approve, reject or reverse one adjustment."""
    visible = Person.objects.visible_to(request.user)
    found = get_object_or_404(
        PointAdjustment.objects.select_related("person__organization").filter(person__in=visible),
        pk=pk,
    )
    if not may_adjust(request.user, found.person.organization):
        raise PermissionDenied(_("没有调整积分的权限"))
    action = request.POST.get("action", "")
    try:
        if action in ("approve", "reject"):
            services.decide(found, action == "approve", by=request.user)
            messages.success(request, _("已审核。"))
        elif action == "reverse":
            services.reverse(found, request.POST.get("reason", ""), by=request.user)
            messages.success(request, _("已提出冲销，须由另一名党务工作者审核后生效。"))
        else:
            messages.error(request, _("未知的操作"))
    except PointsError as refused:
        messages.error(request, str(refused))
    org_code = request.POST.get("org") or found.person.organization.code
    return redirect(f"{reverse('points:adjustments')}?org={org_code}")


@login_required
def rules_page(request):
    """The hospital's rules for this year (or the next): past years keep theirs."""
    org = chosen_org(request)
    hospital = _hospital(org)
    if not may_adjust(request.user, hospital):
        raise PermissionDenied(_("没有设置积分规则的权限"))
    this_year = timezone.localdate().year
    year = min(max(year_param(request, this_year), this_year), this_year + 1)
    form = RulesForm(request.POST or None, specs=rules_for(hospital, year))
    if request.method == "POST" and try_service(
        form, lambda _d: services.save_rules(hospital, year, form.specs(), by=request.user),
        PointsError,
    ):  # fmt: skip
        messages.success(request, _("已保存 %(year)s 年积分规则。") % {"year": year})
        return redirect(f"{reverse('points:rules')}?org={hospital.code}&year={year}")
    context = {"org": hospital, "year": year, "form": form, "this_year": this_year}
    return private(render(request, "points/rules.html", context))
