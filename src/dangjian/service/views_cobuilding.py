"""Co-building agreements (结对共建): the list of an organisation's subtree (its own
agreements and those where it is the partner), recording, editing and ending one, its
page with its activities and figures, and recording an activity under it.

Reads start from `Partnership.objects.visible_to(user)` (both sides see an agreement;
anyone else gets 404); changes need our side's write scope (403 inside the scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import private
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.pages import chosen_org

from . import cobuilding, queries, services
from .forms import ActivityForm
from .forms_cobuilding import EndForm, PartnershipForm
from .models import Alliance, Partnership
from .pages import PAGE_SIZE, branches_under, hospital_people, try_service
from .permissions import may_manage_partnership, may_record

STATES = (("current", _("履行中")), ("ended", _("已终止")), ("all", _("全部")))


def partner_choices(org: Organization):
    """Who `org` may pick as a partner in the system: the standing organisations of its
    own hospital, and the other hospitals' committees of the same city (a hospital's name
    is no secret; their branches and people stay out of sight)."""
    city = org.path[: Organization.steplen]
    own = Q(path__startswith=org.hospital_path, kind__in=cobuilding.OWN_KINDS)
    hospitals = Q(path__startswith=city, kind=OrgKind.COMMITTEE)
    return (
        Organization.objects.filter(own | hospitals, dissolved_on__isnull=True)
        .exclude(pk=org.pk)
        .order_by("path")
    )


def _visible(request, pk: int) -> Partnership:
    rows = Partnership.objects.visible_to(request.user).select_related(
        "organization", "partner_org"
    )
    return get_object_or_404(rows, pk=pk)


def _managed(request, pk: int) -> Partnership:
    item = _visible(request, pk)
    if not may_manage_partnership(request.user, item):
        raise PermissionDenied(_("只有本方党组织可以修改共建协议"))
    return item


@login_required
def partnerships(request):
    org = chosen_org(request)
    state = request.GET.get("state", "current")
    state = state if state in dict(STATES) else "current"
    rows = Partnership.objects.visible_to(request.user).filter(
        Q(organization__path__startswith=org.path) | Q(partner_org__path__startswith=org.path)
    )
    if state == "current":
        rows = rows.filter(ended_on__isnull=True)
    elif state == "ended":
        rows = rows.filter(ended_on__isnull=False)
    rows = queries.with_activity_counts(rows.select_related("organization", "partner_org"))
    context = {
        "org": org,
        "page": Paginator(rows.order_by("-signed_on", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "state": state,
        "states": STATES,
        "can_record": may_record(request.user, org) and org.kind in cobuilding.OWN_KINDS,
        "extra_query": f"org={org.code}&state={state}",
    }
    return private(render(request, "service/partnerships.html", context))


def _input(data) -> cobuilding.PartnershipInput:
    return cobuilding.PartnershipInput(**data)


@login_required
def partnership_new(request):
    org = chosen_org(request)
    if not may_record(request.user, org):
        raise PermissionDenied(_("没有登记共建协议的权限"))
    form = PartnershipForm(request.POST or None, partners=partner_choices(org))
    created = []

    def run(data):
        created.append(cobuilding.create_partnership(org, _input(data), by=request.user))

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已登记共建协议。"))
        return redirect("service:partnership", pk=created[0].pk)
    context = {
        "org": org,
        "form": form,
        "heading": _("登记共建协议"),
        "back": f"{reverse('service:partnerships')}?org={org.code}",
    }
    return private(render(request, "service/cobuilding_form.html", context))


@login_required
def partnership_edit(request, pk: int):
    item = _managed(request, pk)
    initial = {
        name: getattr(item, name)
        for name in ("title", "partner_kind", "partner_name", "signed_on", "ends_on",
                     "content", "contact")
    }  # fmt: skip
    initial["partner_org"] = item.partner_org_id
    form = PartnershipForm(
        request.POST or None, initial=initial, partners=partner_choices(item.organization)
    )

    def run(data):
        cobuilding.edit_partnership(item, _input(data), by=request.user)

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已保存。"))
        return redirect("service:partnership", pk=item.pk)
    context = {
        "org": item.organization,
        "form": form,
        "heading": _("修改共建协议"),
        "back": reverse("service:partnership", args=[item.pk]),
    }
    return private(render(request, "service/cobuilding_form.html", context))


@login_required
@require_POST
def partnership_end(request, pk: int):
    item = _managed(request, pk)
    form = EndForm(request.POST)
    if try_service(
        form,
        lambda d: cobuilding.end_partnership(item, d["ended_on"], d["reason"], by=request.user),
    ):
        messages.success(request, _("共建协议已终止。"))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("service:partnership", pk=item.pk)


def link_context(request, item, activities, can_manage: bool) -> dict:
    """What an agreement's and an alliance's pages share: the activities (linked where
    the user may open them) and their figures."""
    scope = scope_for(request.user)
    rows = list(activities.select_related("organization").order_by("-held_on", "-pk")[:200])
    for row in rows:
        row.openable = scope.can_read_org(row.organization)
    return {
        "item": item,
        "activities": rows,
        "figures": queries.link_figures(activities),
        "can_manage": can_manage,
        "end_form": EndForm(dissolve=isinstance(item, Alliance)),
    }


@login_required
def partnership(request, pk: int):
    item = _visible(request, pk)
    can_manage = may_manage_partnership(request.user, item)
    context = link_context(request, item, item.activities.all(), can_manage)
    return private(render(request, "service/partnership.html", context))


def record_linked_activity(request, org: Organization, link: dict, template_context: dict):
    """The activity form of an agreement or an alliance: counted for `org`, the lead."""
    partners = branches_under(Organization.objects.get(path=org.hospital_path)).exclude(pk=org.pk)
    form = ActivityForm(
        request.POST or None, request.FILES or None,
        people=hospital_people(request, org), partners=partners,
    )  # fmt: skip
    created = []

    def run(data):
        data["volunteers"] = list(data["volunteers"])
        data["partners"] = list(data["partners"])
        created.append(
            services.record_activity(org, services.ActivityInput(**data, **link), by=request.user)
        )

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已登记活动，计入志愿服务统计。"))
        return None
    return private(
        render(request, "service/linked_activity.html", {"org": org, "form": form,
                                                          **template_context})
    )  # fmt: skip


@login_required
def partnership_activity(request, pk: int):
    item = _managed(request, pk)
    page = record_linked_activity(
        request, item.organization, {"partnership": item},
        {"heading": _("登记共建活动"), "link_title": item.title,
         "back": reverse("service:partnership", args=[item.pk])},
    )  # fmt: skip
    return page or redirect("service:partnership", pk=item.pk)
