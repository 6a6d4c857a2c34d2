"""Volunteer service pages: the activities of an organisation's subtree with the year's
figures against the hospital's target, recording an activity (volunteers, joint
branches, photos), one activity, its photos.

Everything starts from `visible_to(user)`: another hospital's records answer 404;
recording needs write scope on the organisation (403)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.pages import audited_download, private, year_param
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org

from . import queries, services
from .forms import ActivityForm, PhotosForm
from .models import ActivityPhoto, ServiceActivity
from .pages import PAGE_SIZE, branches_under, hospital_people, try_service
from .permissions import may_record


def year_figures(org: Organization, year: int) -> dict:
    """The year's service figures of the subtree, and the hospital's targets (shown
    against the figures of the hospital as a whole only)."""
    figures = queries.service_figures(org.path, dt.date(year, 1, 1), dt.date(year, 12, 31))
    hospital = Organization.objects.filter(path=org.hospital_path).first() or org
    return {**figures, **queries.target_progress(hospital, year, figures)}


@login_required
def activities(request):
    org = chosen_org(request)
    year = year_param(request, timezone.localdate().year)
    rows = (
        ServiceActivity.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path, held_on__year=year)
        .select_related("organization")
        .order_by("-held_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "year": year,
        "page": page,
        "figures": year_figures(org, year),
        "show_targets": org.path == org.hospital_path,
        "can_record": may_record(request.user, org),
        "extra_query": f"org={org.code}&year={year}",
    }
    return private(render(request, "service/activities.html", context))


@login_required
def activity_new(request):
    org = chosen_org(request)
    if not may_record(request.user, org):
        raise PermissionDenied(_("没有登记志愿服务的权限"))
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
            services.record_activity(org, services.ActivityInput(**data), by=request.user)
        )

    if request.method == "POST" and try_service(form, run):
        messages.success(request, _("已登记志愿服务活动。"))
        return redirect("service:activity", pk=created[0].pk)
    return private(render(request, "service/activity_new.html", {"org": org, "form": form}))


@login_required
def activity(request, pk: int):
    found = get_object_or_404(
        ServiceActivity.objects.visible_to(request.user).select_related(
            "organization", "partnership", "alliance"
        ),
        pk=pk,
    )
    can_record = may_record(request.user, found.organization)
    form = PhotosForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("没有修改本活动的权限"))
        if try_service(form, lambda d: services.add_photos(found, d["photos"], by=request.user)):
            messages.success(request, _("已上传照片。"))
            return redirect("service:activity", pk=found.pk)
    context = {
        "item": found,
        "volunteers": found.volunteers.select_related("person", "person__organization").order_by(
            "person__organization__path", "person__name"
        ),
        "partners": found.partners.order_by("path"),
        "photos": list(found.photos.all()),
        "form": form,
        "can_record": can_record,
    }
    return private(render(request, "service/activity.html", context))


@login_required
def photo(request, pk: int):
    visible = ServiceActivity.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        ActivityPhoto.objects.select_related("activity__organization").filter(activity__in=visible),
        pk=pk,
    )
    return audited_download(
        request, item, action="service.photo_download", obj=item.activity,
        org_path=item.activity.organization.path, summary={"photo": item.pk},
    )  # fmt: skip
