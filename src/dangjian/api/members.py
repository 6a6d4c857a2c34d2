from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja.pagination import paginate

from dangjian.core.pages import audit_read
from dangjian.people.models import Person
from dangjian.people.paging import BY_ORGANIZATION
from dangjian.people.queries import PagedPersonQuerySet, current_status

from .orgs import read_subtree
from .paging import CursorPages
from .routing import ApiRouter
from .schemas import Id, MemberDetailOut, MemberOut

router = ApiRouter(tags=["members"])


def _people(request, people=None):
    return (
        (people if people is not None else Person.objects)
        .visible_to(request.user)
        .select_related("organization", "department")
        .annotate(current_status=current_status())
    )


@router.get("/members", response=list[MemberOut])
@paginate(CursorPages, keyset=BY_ORGANIZATION, page_size=50)
def list_members(
    request,
    org: str | None = None,
    status: str | None = None,
    employment: str | None = None,
    talent_category: str | None = None,
    q: str | None = None,
):
    """People in the caller's scope. `status=masses` selects people with no Party status.
    Pages by number (`page`) or, faster deep into a long list, by the `next` cursor that
    each page answers (`cursor`)."""
    # Numbered pages still skip rows: PagedPersonQuerySet skips them in a narrow query.
    qs = _people(request, PagedPersonQuerySet(Person))
    qs = read_subtree(request, qs, org, "api.members.list", status=status or "", q=q or "")
    if status == "masses":
        qs = qs.filter(current_status__isnull=True)
    elif status:
        qs = qs.filter(current_status=status)
    if employment:
        qs = qs.filter(employment=employment)
    if talent_category:
        qs = qs.filter(talent_category=talent_category)
    if q:
        qs = qs.filter(Q(name__contains=q))
    return qs.order_by(*BY_ORGANIZATION.ordering())


@router.get("/members/{member_id}", response=MemberDetailOut)
def get_member(request, member_id: Id):
    person = get_object_or_404(_people(request), pk=member_id)
    audit_read(request, "api.member.view", obj=person, org_path=person.organization.path)
    return person
