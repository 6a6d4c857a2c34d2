"""党建品牌 pages: the brands of an organisation's subtree (the guidance committee sees
its hospitals'), a brand with its evidence, creating and editing one, linking and
unlinking records of its subtree, and the logo's download.

Reads start from `Brand.objects.visible_to(user)` (404 outside the scope); changes need
the organisation's write scope (403 inside the scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.pages import audited_download, private, try_service
from dangjian.orgs.pages import chosen_org

from . import queries, services
from .forms import BrandForm, EvidenceForm
from .models import Brand, BrandLogo, Evidence, EvidenceKind
from .permissions import may_keep

PAGE_SIZE = 30


def describe(record) -> str:
    """One line naming a record in the evidence lists."""
    when = getattr(record, "held_on", None) or getattr(record, "signed_on", None)
    when = when or getattr(record, "awarded_on", None)
    title = getattr(record, "topic", None) or getattr(record, "title", "")
    return f"{when or ''} {title}（{record.organization.name}）".strip()


def _visible(request, pk: int) -> Brand:
    rows = Brand.objects.visible_to(request.user).select_related("organization", "logo")
    return get_object_or_404(rows, pk=pk)


def _kept(request, pk: int) -> Brand:
    brand = _visible(request, pk)
    if not may_keep(request.user, brand.organization):
        raise PermissionDenied(_("只有本组织可以修改党建品牌"))
    return brand


@login_required
def brand_list(request):
    org = chosen_org(request)
    rows = queries.brands_in(request.user, org)
    context = {
        "org": org,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_keep": may_keep(request.user, org) and org.kind in services.BRAND_KINDS,
        "extra_query": f"org={org.code}",
    }
    return private(render(request, "brands/list.html", context))


def _input(data) -> services.BrandInput:
    return services.BrandInput(**data)


@login_required
def brand_new(request):
    org = chosen_org(request)
    if not may_keep(request.user, org):
        raise PermissionDenied(_("没有创建党建品牌的权限"))
    form = BrandForm(
        request.POST or None, request.FILES or None,
        initial={"founded_year": timezone.localdate().year},
    )  # fmt: skip
    created = []

    def run(data):
        created.append(services.create_brand(org, _input(data), by=request.user))

    if request.method == "POST" and try_service(form, run, services.BrandError):
        messages.success(request, _("已创建党建品牌。"))
        return redirect("brands:detail", pk=created[0].pk)
    context = {"org": org, "form": form, "heading": _("创建党建品牌")}
    return private(render(request, "brands/form.html", context))


@login_required
def brand_edit(request, pk: int):
    brand = _kept(request, pk)
    initial = {
        n: getattr(brand, n) for n in ("name", "idea", "measures", "results", "founded_year")
    }
    form = BrandForm(request.POST or None, request.FILES or None, initial=initial)

    def run(data):
        services.edit_brand(brand, _input(data), by=request.user)

    if request.method == "POST" and try_service(form, run, services.BrandError):
        messages.success(request, _("已保存。"))
        return redirect("brands:detail", pk=brand.pk)
    context = {
        "org": brand.organization,
        "form": form,
        "heading": _("修改党建品牌"),
        "brand": brand,
    }
    return private(render(request, "brands/form.html", context))


def _evidence_forms(brand: Brand, data=None, only: str = "") -> list[EvidenceForm]:
    rows = queries.candidates(brand)
    return [
        EvidenceForm(data if kind == only else None, kind=kind, rows=rows[kind], describe=describe)
        for kind in EvidenceKind.values
    ]


@login_required
def brand_detail(request, pk: int):
    brand = _visible(request, pk)
    can_keep = may_keep(request.user, brand.organization)
    kind = request.POST.get("kind", "")
    forms = _evidence_forms(brand, request.POST, kind) if can_keep else []
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("只有本组织可以修改党建品牌"))
        form = next((f for f in forms if f.kind == kind), None)
        if form is None:
            messages.error(request, _("佐证类别无效"))
        elif try_service(
            form,
            lambda d: services.add_evidence(brand, kind, d["record"], d["note"], by=request.user),
            services.BrandError,
        ):
            messages.success(request, _("已关联佐证。"))
            return redirect("brands:detail", pk=brand.pk)
    labels = dict(EvidenceKind.choices)
    context = {
        "brand": brand,
        "org": brand.organization,
        "evidence": queries.evidence_of(brand),
        "forms": [(labels[f.kind], f) for f in forms],
        "can_keep": can_keep,
    }
    return private(render(request, "brands/detail.html", context))


@login_required
@require_POST
def evidence_remove(request, pk: int):
    visible = Brand.objects.visible_to(request.user).values("pk")
    evidence = get_object_or_404(
        Evidence.objects.select_related("brand__organization").filter(brand__in=visible), pk=pk
    )
    if not may_keep(request.user, evidence.brand.organization):
        raise PermissionDenied(_("只有本组织可以修改党建品牌"))
    brand = evidence.brand
    services.remove_evidence(evidence, by=request.user)
    messages.success(request, _("已移除该佐证（记录本身保留）。"))
    return redirect("brands:detail", pk=brand.pk)


@login_required
def logo(request, pk: int):
    visible = Brand.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        BrandLogo.objects.select_related("brand__organization").filter(brand__in=visible), pk=pk
    )
    return audited_download(
        request, item, action="brands.logo_download", obj=item.brand,
        org_path=item.brand.organization.path, summary={"logo": item.pk},
    )  # fmt: skip
