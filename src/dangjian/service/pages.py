"""What the service pages share: the page size, the people and branches a form offers,
and running a service for a form."""

from django.db.models import Case, Value, When

from dangjian.core.pages import try_service as run_for_form
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person

from .services import ServiceError

PAGE_SIZE = 30


def try_service(form, run) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error."""
    return run_for_form(form, run, ServiceError)


def hospital_people(request, org: Organization):
    """The people of the organisation's hospital the user may see (volunteers come from
    any branch of the hospital), the organisation's own first."""
    own = Case(When(organization__path__startswith=org.path, then=Value(0)), default=Value(1))
    return (
        Person.objects.visible_to(request.user)
        .filter(organization__path__startswith=org.hospital_path)
        .select_related("organization")
        .order_by(own, "organization__path", "name")
    )


def branches_under(org: Organization):
    return Organization.objects.filter(
        path__startswith=org.path, kind__in=(OrgKind.BRANCH, OrgKind.GROUP),
        dissolved_on__isnull=True,
    ).order_by("path")  # fmt: skip
