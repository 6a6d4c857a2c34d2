"""The read side for organisations: branches as of a date and the dual-leader figures."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from .figures import SubtreeFigure, by_unit, ratio, unit_expr
from .models import CLINICAL_CATEGORIES, CommitteePost, CommitteeSeat, Organization, OrgKind


def alive_on(day: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}founded_on__isnull": True}) | Q(**{f"{prefix}founded_on__lte": day})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def dual_leader_on(day: dt.date, org_ref: str = "pk") -> Exists:
    """双带头人: the branch secretary on `day` heads the department linked to the branch.

    Derived from seats and people, never typed in (SPEC.md §4)."""
    return Exists(
        CommitteeSeat.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day),
            organization=OuterRef(org_ref),
            post=CommitteePost.SECRETARY,
            started_on__lte=day,
            person__department_id=OuterRef("department_id"),
            person__is_department_head=True,
        )
    )


def subtree_ids(path: str):
    """Primary keys of the organisations in the subtree at `path`, as a subquery.

    Filtering a large table by `organization__in=subtree_ids(path)` instead of joining
    it to the organisations with `organization__path__startswith`: SQLite cannot use an
    index for the path's LIKE, so the join scans the large table whole (170 ms for one
    branch's dues bills over 1.4 million), while the id list lets it use the table's
    organisation index (1 ms). PostgreSQL plans both alike."""
    return Organization.objects.filter(path__startswith=path).values("pk")


def branches_on(path: str, day: dt.date):
    return Organization.objects.filter(alive_on(day), kind=OrgKind.BRANCH, path__startswith=path)


def branch_parts(orgs, day: dt.date) -> dict:
    """Per unit: the branches alive on `day` among `orgs`, temporary, linked to a
    department, clinical, and with a dual leader. One query."""
    clinical = Q(department__category__in=CLINICAL_CATEGORIES)
    rows = (
        orgs.filter(alive_on(day), kind=OrgKind.BRANCH)
        .annotate(is_dual=dual_leader_on(day), unit=unit_expr())
        .values("unit")
        .annotate(
            branches=Count("pk"),
            temporary=Count("pk", filter=Q(is_temporary=True)),
            linked=Count("pk", filter=Q(department__isnull=False)),
            clinical=Count("pk", filter=clinical),
            dual=Count("pk", filter=Q(is_dual=True)),
            clinical_dual=Count("pk", filter=clinical & Q(is_dual=True)),
        )
        .order_by()
    )
    return by_unit(rows, BRANCH_COUNTS)


BRANCH_COUNTS = ("branches", "temporary", "linked", "clinical", "dual", "clinical_dual")


def finish_branches(counts: dict) -> dict:
    n = {key: counts.get(key, 0) for key in BRANCH_COUNTS}
    return {
        "organizations": {
            "branches": n["branches"],
            "temporary_branches": n["temporary"],
        },
        "branches": {
            "clinical": n["clinical"],
            "dual_leader": n["dual"],
            # Over the branches linked to a department (SPEC.md §4).
            "dual_leader_ratio": ratio(n["dual"], n["linked"]),
            "clinical_dual_leader_ratio": ratio(n["clinical_dual"], n["clinical"]),
        },
    }


# organizations.* and branches.* for a subtree as of a day: branch_figures(path, day).
branch_figures = SubtreeFigure("branches", branch_parts, finish_branches)


def hospitals() -> list[Organization]:
    """The hospital Party committees: the topmost committees of the tree (under a guidance
    committee or at the root), each reminded once with its whole subtree."""
    found: list[Organization] = []
    for org in Organization.objects.filter(kind=OrgKind.COMMITTEE).order_by("path"):
        # In path order a nested committee comes right after the one that contains it.
        if not (found and org.path.startswith(found[-1].path)):
            found.append(org)
    return found


def hospital_names(org: Organization) -> dict[str, str] | None:
    """Above the hospitals (a guidance committee's subtree): {hospital path: name} of the
    hospitals in it, in one query, so that a city-level export names each row's hospital
    (`hospital_of`). None at or below a hospital, where every row is one hospital's."""
    if org.kind != OrgKind.GUIDANCE_COMMITTEE:
        return None
    hospitals = Organization.objects.filter(path__startswith=org.path, depth=2)
    return dict(hospitals.values_list("path", "name"))


def hospital_of(names: dict[str, str], path: str) -> str:
    """The name of the hospital an organisation (by its path) is in; "" above them."""
    return names.get(path[: 2 * Organization.steplen], "")


def with_dual_leader(qs, day: dt.date):
    """Annotate organisations with `is_dual` (meaningful for branches only)."""
    return qs.annotate(is_dual=dual_leader_on(day))


def visible_ancestors(user, org: Organization) -> list[Organization]:
    """The organisation's ancestors the user may open, root first (for breadcrumbs)."""
    paths = [org.path[:n] for n in range(org.steplen, len(org.path), org.steplen)]
    if not paths:
        return []
    return list(
        Organization.objects.visible_to(user)
        .filter(path__in=paths)
        .order_by("path")
        .only("code", "name", "path", "depth")
    )
