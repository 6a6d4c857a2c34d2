"""What the care pages share: the organisation whose register is asked for, the people
who may be chosen, and the audited read of the register."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dangjian.core.pages import audit_read
from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import MEMBER_STATUSES, Person

from .models import CareCase
from .permissions import may_keep


def care_org(request) -> Organization:
    """`?org=` (or the user's topmost organisation) if the user keeps its register; 404
    otherwise, so that the register's existence is not shown to those who may not read
    it (members, guidance, another hospital)."""
    org = chosen_org(request)
    if not may_keep(request.user, org):
        raise Http404(_("没有可查看的党内关怀记录"))
    return org


def members_of(org: Organization):
    """Party members now in `org`'s subtree, for choosing whom an entry or visit is of."""
    return (
        Person.objects.filter(
            organization__path__startswith=org.path,
            statuses__ended_on__isnull=True,
            statuses__status__in=MEMBER_STATUSES,
        )
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )


def person_label(person: Person) -> str:
    return f"{person.name}（{person.organization.name}）"


def visible_case(request, pk: int) -> CareCase:
    return get_object_or_404(
        CareCase.objects.visible_to(request.user).select_related("person__organization"), pk=pk
    )


def audited(request, action: str, org: Organization, **summary) -> None:
    """A read of the register: personal data, one audit entry per request."""
    audit_read(request, action, org_path=org.path, summary={"org": org.code, **summary})
