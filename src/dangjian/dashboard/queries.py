"""Aggregate reads for the dashboard and the organisation pages.

Per-organisation figures are computed in the database by grouping rows on a prefix of the
organisation's materialised path: one scan of the subtree gives every child's total.
(A correlated subquery per organisation row looked simpler but rescans the whole subtree
for each row: 0.9 s for one hospital's 24 branches on SQLite.) They build on the
definitions in `orgs.queries` and `people.queries`, so "member" and "dual-leader branch"
mean the same here as in `compute_stats`.
"""

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from dangjian.core.datacache import UNIT_CHARS, cached_value
from dangjian.meetings.queries import meeting_figures
from dangjian.orgs.figures import SubtreeFigure, ratio, unit_expr
from dangjian.orgs.models import DepartmentCategory, Organization, OrgKind
from dangjian.orgs.queries import alive_on, branch_figures, branches_on, dual_leader_on
from dangjian.people.queries import attach_member_counts, member_figures


def attach_branch_figures(parent: Organization, nodes: list[Organization], day: dt.date):
    """Set branch_count, linked_count, dual_count and dual_ratio on the parent's children,
    over the branches of each child's subtree on `day`. One grouped query."""
    width = len(parent.path) + parent.steplen
    rows = (
        branches_on(parent.path, day)
        .annotate(is_dual=dual_leader_on(day), prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(
            branches=Count("pk"),
            linked=Count("pk", filter=Q(department__isnull=False)),
            dual=Count("pk", filter=Q(is_dual=True)),
        )
        .order_by()
    )
    figures = {row["prefix"]: row for row in rows}
    for node in nodes:
        row = figures.get(node.path, {})
        node.branch_count = row.get("branches", 0)
        node.linked_count = row.get("linked", 0)
        node.dual_count = row.get("dual", 0)
        # Same definition as branches.dual_leader_ratio: over branches linked to a department.
        node.dual_ratio = node.dual_count / node.linked_count if node.linked_count else None
    return nodes


def child_comparison(org: Organization, day: dt.date) -> list[Organization]:
    """The organisation's children with members and the dual-leader figures of each.
    Three queries whatever the number of children: the children, members, branches."""
    children = list(Organization.objects.get_children(org).order_by("path"))
    attach_member_counts(children, day, within=[org.path])
    return attach_branch_figures(org, children, day)


def attach_compliance(children: list[Organization], rows) -> None:
    """Each child's organisational-life compliance (periods met / required over its
    branches and kinds), from meetings.queries.compliance rows of the parent's subtree.
    Siblings' paths have one length, so each row is added to its child in one pass."""
    if not children:
        return
    width = len(children[0].path)
    totals: dict[str, list[int]] = {}
    for r in rows:
        total = totals.setdefault(r.organization.path[:width], [0, 0])
        total[0] += r.required
        total[1] += r.met
    for child in children:
        required, met = totals.get(child.path, (0, 0))
        child.compliance_ratio = met / required if required else None


def comparison(org: Organization, start: dt.date, day: dt.date, report) -> list[Organization]:
    """child_comparison with each child's compliance from `report` (the meeting report of
    the organisation's subtree for [start, day]). Above the hospitals the children are
    units, and their figures are the parts the city's figures are summed from
    (orgs.figures); below, the comparison is cached under the hospital's version."""
    if len(org.path) < UNIT_CHARS:  # a thousand hospitals' rows: cached as a whole too
        return cached_value(
            "unit-children",
            (org.path, start, day),
            lambda: unit_comparison(org, start, day),
            org.path,
        )

    def compute():
        children = child_comparison(org, day)
        attach_compliance(children, report.rows)
        return children

    return cached_value("children", (org.path, start, day), compute, org.path)


def unit_comparison(
    org: Organization, start: dt.date, day: dt.date, children: list | None = None
) -> list[Organization]:
    """The children of an organisation above the hospitals (all of them, or those given:
    a page of them), each with its members, its dual-leader figures and its compliance,
    from the cached parts of the families."""
    if children is None:
        children, only = list(Organization.objects.get_children(org).order_by("path")), None
    else:
        only = [child.path for child in children]
    members = member_figures.unit_parts(org.path, day, only=only)
    branches = branch_figures.unit_parts(org.path, day, only=only)
    meetings = meeting_figures.unit_parts(org.path, start, day, only=only)
    for child in children:
        branch = branches.get(child.path, {})
        child.member_count = members.get(child.path, {}).get("total", 0)
        child.branch_count = branch.get("branches", 0)
        child.linked_count = branch.get("linked", 0)
        child.dual_count = branch.get("dual", 0)
        child.dual_ratio = ratio(child.dual_count, child.linked_count)
        meeting = meetings.get(child.path, {})
        child.compliance_ratio = ratio(meeting.get("met", 0), meeting.get("required", 0))
    return children


def category_parts(orgs, day: dt.date) -> dict:
    """Per unit: branches alive on `day` by the category of their department ("" for
    none). One query."""
    rows = (
        orgs.filter(alive_on(day), kind=OrgKind.BRANCH)
        .values("department__category", unit=unit_expr())
        .annotate(n=Count("pk"))
        .order_by()
    )
    parts: dict = {}
    for row in rows:
        parts.setdefault(row["unit"], {})[row["department__category"] or ""] = row["n"]
    return parts


def finish_categories(counts: dict) -> list[dict]:
    labels = dict(DepartmentCategory.choices)
    result = []
    for category in sorted(counts):
        if not counts[category]:
            continue
        name = str(labels.get(category, _("未分类"))) if category else _("未关联科室")
        result.append({"name": name, "value": counts[category]})
    return result


# Branches alive on a day in a subtree, by the category of their department:
# branches_by_category(path, day).
branches_by_category = SubtreeFigure("categories", category_parts, finish_categories)
