"""Honours pages: the honours of an organisation's subtree with filters (level, year,
person or organisation, a name), recording one, and a certificate's download.

Reads start from `Honor.objects.visible_to(user)` and need the people of the chosen
organisation (404 otherwise: another hospital's user sees nothing); recording needs the
office's or the guidance committee's right (`permissions.may_record`, 404 too)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import audited_download, bounded_int, private, try_service
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import MEMBER_STATUSES, Person

from . import queries, services
from .forms import HonorForm
from .models import Honor, HonorCertificate, Level
from .permissions import may_read, may_record

PAGE_SIZE = 50
WHO = (("", _("全部")), ("person", _("个人荣誉")), ("org", _("集体荣誉")))


def _org(request, check) -> Organization:
    org = chosen_org(request)
    if not check(request.user, org):
        raise Http404(_("没有可查看的荣誉"))
    return org


@login_required
def honours(request):
    org = _org(request, may_read)
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    year = bounded_int(request.GET.get("year"), 0, 1949, 2100) or None
    who = request.GET.get("who", "")
    who = who if who in ("person", "org") else ""
    text = request.GET.get("q", "")[:50]
    rows = queries.honours_in(request.user, org, level=level, year=year, who=who, text=text)
    counted = queries.level_counts(rows)
    filters = f"level={level}&year={year or ''}&who={who}&q={text}"
    context = {
        "org": org,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": [(label, counted.get(code, 0)) for code, label in Level.choices],
        "levels": Level.choices,
        "level": level,
        "year": year,
        "who": who,
        "whos": WHO,
        "text": text,
        "can_record": may_record(request.user, org),
        "extra_query": f"org={org.code}&{filters}",
    }
    return private(render(request, "honors/honours.html", context))


def candidates(org: Organization):
    """The members and the standing organisations of `org`'s subtree, to choose from."""
    people = (
        Person.objects.filter(
            organization__path__startswith=org.path, statuses__ended_on__isnull=True,
            statuses__status__in=MEMBER_STATUSES,
        )
        .select_related("organization")
        .distinct()
        .order_by("organization__path", "name", "pk")
    )  # fmt: skip
    orgs = Organization.objects.filter(
        path__startswith=org.path, dissolved_on__isnull=True
    ).order_by("path")
    return people, orgs


@login_required
def record(request):
    org = _org(request, may_record)
    people, orgs = candidates(org)
    form = HonorForm(request.POST or None, request.FILES or None, people=people, orgs=orgs)

    def run(data):
        services.record_honor(services.HonorInput(**data), by=request.user)

    if request.method == "POST" and try_service(form, run, services.HonorError):
        messages.success(request, _("荣誉已登记。"))
        return redirect(f"{reverse('honors:list')}?org={org.code}")
    return private(render(request, "honors/record.html", {"org": org, "form": form}))


@login_required
@require_POST
def revoke(request, pk: int):
    honor = get_object_or_404(
        Honor.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    if not may_record(request.user, honor.organization):
        raise Http404(_("没有可撤销的荣誉"))
    try:
        services.revoke_honor(honor, request.POST.get("reason", ""), by=request.user)
    except services.HonorError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已撤销。"))
    return redirect(f"{reverse('honors:list')}?org={honor.organization.code}")


@login_required
def certificate(request, pk: int):
    visible = Honor.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        HonorCertificate.objects.select_related("honor__organization").filter(honor__in=visible),
        pk=pk,
    )
    return audited_download(
        request, item, action="honors.certificate_download", obj=item.honor,
        org_path=item.honor.organization.path, summary={"certificate": item.pk},
    )  # fmt: skip
