"""党员示范岗 / 党员责任区 / 党员突击队: the posts of a subtree with their members, setting
one up, and the record of what it did."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.core.pages import private
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org

from . import services
from .forms import PostForm, PostRecordForm
from .models import PartyPost
from .pages import hospital_people, try_service
from .permissions import may_record


@login_required
def posts(request):
    org = chosen_org(request)
    can_record = may_record(request.user, org)
    form = None
    if can_record:
        orgs = Organization.objects.filter(
            path__startswith=org.path, dissolved_on__isnull=True
        ).order_by("path")
        form = PostForm(request.POST or None, people=hospital_people(request, org), orgs=orgs)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("没有设立党员示范岗的权限"))

        def run(data):
            services.create_post(
                data["organization"], data["kind"], data["name"], list(data["members"]),
                data["established_on"], data["description"], by=request.user,
            )  # fmt: skip

        if try_service(form, run):
            messages.success(request, _("已设立。"))
            return redirect(f"{reverse('service:posts')}?org={org.code}")
    rows = (
        PartyPost.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization")
        .prefetch_related("members")
        .order_by("organization__path", "kind", "name")
    )
    context = {"org": org, "posts": rows, "form": form}
    return private(render(request, "service/posts.html", context))


@login_required
def post(request, pk: int):
    found = get_object_or_404(
        PartyPost.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    can_record = may_record(request.user, found.organization)
    form = PostRecordForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("没有登记事迹的权限"))
        if try_service(
            form, lambda d: services.add_post_record(found, d["on"], d["text"], by=request.user)
        ):
            messages.success(request, _("已登记事迹。"))
            return redirect("service:post", pk=found.pk)
    context = {
        "item": found,
        "members": found.members.select_related("organization").order_by("name"),
        "records": found.records.all(),
        "form": form if can_record else None,
    }
    return private(render(request, "service/post.html", context))
