"""Organisation pages: the tree browser and one organisation's page.

Both work on `Organization.objects.visible_to(user)`, so an organisation outside the
user's subtrees answers 404 as if it did not exist.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_tables2 import RequestConfig

from dangjian.accounts.scope import scope_for
from dangjian.people.queries import attach_member_counts, status_breakdown

from .elections import revocable_election
from .models import COMMITTEE_POSTS, CommitteePost, ElectionCandidate, Organization, OrgKind
from .queries import dual_leader_on, visible_ancestors, with_dual_leader
from .rules import CHILD_KINDS, reelection_state
from .services import NOT_DISSOLVED_HERE, joint_departments
from .tables import OrganizationTable


def _attach_children(nodes: list[Organization]) -> list[Organization]:
    """Nest a path-ordered list of organisations; returns the nodes without a parent in it."""
    by_path = {node.path: node for node in nodes}
    roots = []
    for node in nodes:
        node.children_list = []
        parent = by_path.get(node.path[: -Organization.steplen])
        if parent is None:
            roots.append(node)
        else:
            parent.children_list.append(node)
    return roots


@login_required
def tree(request):
    """The user's visible subtrees: each root with its children; deeper levels are fetched
    with htmx when opened, so the page stays small for a whole city."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    steplen = Organization.steplen
    shown = Q(pk__in=[])
    for path in scope.org_paths:
        shown |= Q(path__startswith=path, depth__lte=len(path) // steplen + 1)
    nodes = list(
        with_dual_leader(
            Organization.objects.visible_to(request.user)
            .filter(shown)
            .select_related("department"),
            today,
        ).order_by("path")
    )
    attach_member_counts(nodes, today)
    return render(request, "orgs/tree.html", {"roots": _attach_children(nodes), "today": today})


def _children(user, org: Organization, today: dt.date) -> list[Organization]:
    """The children with their member counts and dual-leader flag: two queries."""
    nodes = list(
        with_dual_leader(
            Organization.objects.get_children(org).visible_to(user).select_related("department"),
            today,
        ).order_by("path")
    )
    return attach_member_counts(nodes, today, within=[org.path])


@login_required
def children(request, code):
    """htmx fragment: the children of one organisation, as tree nodes."""
    visible = Organization.objects.visible_to(request.user)
    org = get_object_or_404(visible.only("path", "depth", "numchild"), code=code)
    today = timezone.localdate()
    nodes = _children(request.user, org, today)
    for node in nodes:
        node.children_list = []
    return render(request, "orgs/_tree_nodes.html", {"nodes": nodes, "today": today})


def _open_seats(org: Organization) -> list:
    order = {post.value: i for i, post in enumerate(COMMITTEE_POSTS)}
    seats = org.seats.filter(ended_on__isnull=True).select_related("person", "person__department")
    return sorted(seats, key=lambda seat: (order.get(seat.post, len(order)), seat.started_on))


PAST_ELECTIONS_SHOWN = 10


def _past_elections(org: Organization) -> list:
    """The latest elections with their candidates, elected first: two queries."""
    candidates = ElectionCandidate.objects.select_related("person").order_by(
        "-elected", "-votes_for", "pk"
    )
    return list(
        org.elections.select_related("term").prefetch_related(
            Prefetch("candidates", queryset=candidates)
        )[:PAST_ELECTIONS_SHOWN]
    )


def _history(org: Organization, today: dt.date) -> dict:
    """Former names, a joint branch's departments, where a restructuring took its people
    and where they came from, and which changes the office may make here."""
    is_open = org.dissolved_on is None
    standing_branch = org.kind == OrgKind.BRANCH and not org.is_temporary
    return {
        "former_names": list(org.former_names.all()),
        "joint": joint_departments(org) if org.kind == OrgKind.BRANCH else [],
        "successors": list(org.successions.select_related("successor")),
        "predecessors": list(org.predecessions.select_related("predecessor")),
        "end_due": bool(
            is_open and org.is_temporary and org.planned_end_on and org.planned_end_on <= today
        ),
        "actions": {
            "new_child": is_open and bool(CHILD_KINDS[org.kind]),
            "rename": is_open,
            "split": is_open and standing_branch,
            "merge": is_open and standing_branch,
            "joint": is_open and org.kind == OrgKind.BRANCH,
            "dissolve": is_open and org.kind not in NOT_DISSOLVED_HERE,
            "end_temporary": is_open and org.is_temporary,
        },
    }


@login_required
def detail(request, code):
    today = timezone.localdate()
    org = get_object_or_404(
        Organization.objects.visible_to(request.user)
        .select_related("department")
        .annotate(is_dual=dual_leader_on(today)),
        code=code,
    )
    scope = scope_for(request.user)
    seats = _open_seats(org)
    secretary = next((s for s in seats if s.post == CommitteePost.SECRETARY), None)
    term = org.terms.filter(started_on__lte=today).first()
    # Children are few (a hospital's branches, a city's hospitals): the table sorts the
    # list in memory, so the counts need not be annotations.
    table = OrganizationTable(_children(request.user, org, today))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "org": org,
        "ancestors": visible_ancestors(request.user, org),
        "seats": seats,
        "secretary": secretary,
        "term": term,
        "reelection": reelection_state(term.due_on, today) if term else None,
        "elections": _past_elections(org) if org.kind != OrgKind.GROUP else [],
        "revocable_election": revocable_election(org) if scope.keeps_registry(org) else None,
        "statuses": status_breakdown(org.path, today),
        "children_table": table,
        "can_list_people": any(org.path.startswith(p) for p in scope.people_paths),
        "keeps_registry": scope.keeps_registry(org),
        "today": today,
        **_history(org, today),
    }
    return render(request, "orgs/detail.html", context)
