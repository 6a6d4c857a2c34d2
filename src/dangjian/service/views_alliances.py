"""党建联盟 pages: the alliances the organisation leads or belongs to, founding, editing
and ending one, its page with its members, joint events and their figures, and
recording a joint event (counted once, for the lead).

Reads start from `Alliance.objects.visible_to(user)` (the lead's and the members'
people see it; anyone else gets 404); changes need the lead's right (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import private
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.pages import chosen_org

from . import cobuilding, queries
from .forms_cobuilding import AllianceForm, EndForm
from .models import Alliance, AllianceMember
from .pages import PAGE_SIZE, try_service
from .permissions import may_lead_alliance, may_manage_alliance
from .views_cobuilding import STATES, link_context, record_linked_activity

MEMBERS = Prefetch(
    "members", queryset=AllianceMember.objects.select_related("organization").order_by("pk")
)


def member_choices(lead: Organization):
    """The hospitals of the lead's city (an alliance joins hospitals)."""
    city = lead.path[: Organization.steplen]
    return Organization.objects.filter(
        path__startswith=city, kind=OrgKind.COMMITTEE, dissolved_on__isnull=True
    ).exclude(pk=lead.pk).order_by("path")  # fmt: skip


def _visible(request, pk: int) -> Alliance:
    rows = (
        Alliance.objects.visible_to(request.user).select_related("lead").prefetch_related(MEMBERS)
    )
    return get_object_or_404(rows, pk=pk)


def _managed(request, pk: int) -> Alliance:
    alliance = _visible(request, pk)
    if not may_manage_alliance(request.user, alliance):
        raise PermissionDenied(_("只有牵头组织可以修改党建联盟"))
    return alliance


@login_required
def alliances(request):
    org = chosen_org(request)
    state = request.GET.get("state", "current")
    state = state if state in dict(STATES) else "current"
    in_subtree = AllianceMember.objects.filter(organization__path__startswith=org.path)
    rows = Alliance.objects.visible_to(request.user).filter(
        Q(lead__path__startswith=org.path) | Q(pk__in=in_subtree.values("alliance"))
    )
    if state == "current":
        rows = rows.filter(ended_on__isnull=True)
    elif state == "ended":
        rows = rows.filter(ended_on__isnull=False)
    rows = queries.with_activity_counts(rows.select_related("lead")).prefetch_related(MEMBERS)
    context = {
        "org": org,
        "page": Paginator(rows.order_by("-founded_on", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "state": state,
        "states": STATES,
        "can_found": may_lead_alliance(request.user, org)
        and org.kind in (OrgKind.GUIDANCE_COMMITTEE, OrgKind.COMMITTEE),
        "extra_query": f"org={org.code}&state={state}",
    }
    return private(render(request, "service/alliances.html", context))


def _input(data) -> cobuilding.AllianceInput:
    return cobuilding.AllianceInput(
        name=data["name"], founded_on=data["founded_on"], members=list(data["members"]),
        outside=data["outside"], charter=data["charter"],
    )  # fmt: skip


@login_required
def alliance_new(request):
    org = chosen_org(request)
    if not may_lead_alliance(request.user, org):
        raise PermissionDenied(_("没有发起党建联盟的权限"))
    form = AllianceForm(request.POST or None, members=member_choices(org))
    created = []

    def run(data):
        created.append(cobuilding.create_alliance(org, _input(data), by=request.user))

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已成立党建联盟。"))
        return redirect("service:alliance", pk=created[0].pk)
    context = {
        "org": org,
        "form": form,
        "heading": _("成立党建联盟"),
        "back": f"{reverse('service:alliances')}?org={org.code}",
    }
    return private(render(request, "service/cobuilding_form.html", context))


@login_required
def alliance_edit(request, pk: int):
    alliance = _managed(request, pk)
    initial = {
        "name": alliance.name, "founded_on": alliance.founded_on, "charter": alliance.charter,
        "members": [m.organization_id for m in alliance.members.all() if m.organization_id],
        "outside": AllianceForm.outside_text(alliance),
    }  # fmt: skip
    form = AllianceForm(
        request.POST or None, initial=initial, members=member_choices(alliance.lead)
    )

    def run(data):
        cobuilding.edit_alliance(alliance, _input(data), by=request.user)

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已保存。"))
        return redirect("service:alliance", pk=alliance.pk)
    context = {
        "org": alliance.lead,
        "form": form,
        "heading": _("修改党建联盟"),
        "back": reverse("service:alliance", args=[alliance.pk]),
    }
    return private(render(request, "service/cobuilding_form.html", context))


@login_required
@require_POST
def alliance_end(request, pk: int):
    alliance = _managed(request, pk)
    form = EndForm(request.POST)

    def run(data):
        cobuilding.end_alliance(alliance, data["ended_on"], data["reason"], by=request.user)

    if try_service(form, run):
        messages.success(request, _("党建联盟已解散。"))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("service:alliance", pk=alliance.pk)


@login_required
def alliance(request, pk: int):
    found = _visible(request, pk)
    context = link_context(
        request, found, found.activities.all(), may_manage_alliance(request.user, found)
    )
    context["members"] = list(found.members.all())
    return private(render(request, "service/alliance.html", context))


@login_required
def alliance_activity(request, pk: int):
    found = _managed(request, pk)
    page = record_linked_activity(
        request, found.lead, {"alliance": found},
        {"heading": _("登记联盟联合活动"), "link_title": found.name,
         "back": reverse("service:alliance", args=[found.pk])},
    )  # fmt: skip
    return page or redirect("service:alliance", pk=found.pk)
