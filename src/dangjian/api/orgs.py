from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja.pagination import paginate

from dangjian.accounts.scope import reading_path
from dangjian.core.pages import audit_read
from dangjian.orgs.models import Organization

from .paging import Pages
from .routing import ApiRouter
from .schemas import OrganizationOut, OrgCode

router = ApiRouter(tags=["organizations"])


def visible_org(request, code: str) -> Organization:
    """The organisation with this code, or 404 if it does not exist for this user."""
    return get_object_or_404(Organization.objects.visible_to(request.user), code=code)


def read_subtree(request, queryset, code: str | None, action: str, **summary):
    """A list read of people's data: narrowed to the visible organisation `code` when
    given (404 otherwise), and audited once, under that subtree or else the widest one
    the user reads (so its auditors see the entry)."""
    org = visible_org(request, code) if code else None
    if org is not None:
        queryset = queryset.filter(organization__path__startswith=org.path)
    audit_read(
        request, action, org_path=org.path if org else reading_path(request.user),
        summary={"org": code or "", **summary},
    )  # fmt: skip
    return queryset


def _organizations(request):
    parent_code = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("code")[:1]
    return (
        Organization.objects.visible_to(request.user)
        .select_related("department")
        .annotate(parent_code=Subquery(parent_code))
    )


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Pages, page_size=50)
def list_organizations(request, org: str | None = None, kind: str | None = None):
    qs = _organizations(request)
    if org:
        qs = qs.filter(path__startswith=visible_org(request, org).path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


@router.get("/organizations/{code}", response=OrganizationOut)
def get_organization(request, code: OrgCode):
    org = _organizations(request).filter(code=code).first()
    if org is None:
        raise Http404
    return org
