"""Reads of brands shared by the pages, the organisation's card and the API: the scoped
list of a subtree, a brand's evidence, and the records of the brand's subtree that may
be linked to it. Each a fixed number of queries."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr

from dangjian.honors.models import Honor
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.orgs.models import Organization
from dangjian.service.models import Partnership, ServiceActivity

from .models import Brand, Evidence, EvidenceKind

CANDIDATES = 200  # the latest records of each kind offered for linking


def brands_in(user, org) -> QuerySet:
    """The brands of `org`'s subtree the user may see, with their evidence counted and
    their hospital's name (the guidance committee's list spans hospitals)."""
    hospital_path = Substr(OuterRef("organization__path"), 1, 2 * Organization.steplen)
    hospital = Organization.objects.filter(path=hospital_path).values("name")[:1]
    return (
        Brand.objects.visible_to(user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization", "logo")
        .annotate(evidence_count=Count("evidence"), hospital_name=Subquery(hospital))
        .order_by("organization__path", "name")
    )


def of_org(org) -> QuerySet:
    """The organisation's own brands (its card on the organisation's page)."""
    return Brand.objects.filter(organization=org).order_by("name")


def subtree_records(kind: str, path: str) -> QuerySet:
    """The records of one kind in the subtree at `path` that may show a brand: held
    meetings, service activities, co-building agreements (ours), standing honours."""
    within = {"organization__path__startswith": path}
    if kind == EvidenceKind.MEETING:
        return Meeting.objects.filter(
            status__in=(MeetingStatus.HELD, MeetingStatus.FILED), **within
        ).order_by("-held_on", "-pk")
    if kind == EvidenceKind.ACTIVITY:
        return ServiceActivity.objects.filter(**within).order_by("-held_on", "-pk")
    if kind == EvidenceKind.PARTNERSHIP:
        return Partnership.objects.filter(**within).order_by("-signed_on", "-pk")
    if kind == EvidenceKind.HONOR:
        return Honor.objects.filter(revoked_on__isnull=True, **within).order_by(
            "-awarded_on", "-pk"
        )
    return Meeting.objects.none()


def candidates(brand: Brand) -> dict[str, list]:
    """Per kind, the latest records of the brand's subtree not linked yet (one query a
    kind)."""
    linked = Evidence.objects.filter(brand=brand)
    out = {}
    for kind in EvidenceKind.values:
        taken = linked.filter(kind=kind).values(kind)
        rows = subtree_records(kind, brand.organization.path).exclude(pk__in=taken)
        out[kind] = list(rows.select_related("organization")[:CANDIDATES])
    return out


def evidence_of(brand: Brand) -> list[Evidence]:
    """The brand's evidence with its records (one query)."""
    return list(
        brand.evidence.select_related(
            "meeting__organization", "activity__organization", "partnership__organization",
            "partnership__partner_org", "honor__organization", "honor__person",
        ).order_by("kind", "-pk")
    )  # fmt: skip
