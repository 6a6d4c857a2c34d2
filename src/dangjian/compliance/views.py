"""The compliance page: each branch's organisational life against the rules for a year,
and the findings of `dangjian check` for the chosen subtree."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import private, year_param
from dangjian.meetings.queries import UNIT_LABELS, compliance, frequencies
from dangjian.meetings.rules import MeetingKind
from dangjian.orgs.pages import chosen_org

from .findings import collect


def checked_until(year: int, today: dt.date) -> dt.date | None:
    """The last day whose periods can be judged: yesterday in the current year (a period
    ending today is still running), the year's end for past years, None for the future."""
    if year > today.year:
        return None
    return dt.date(year, 12, 31) if year < today.year else today - dt.timedelta(days=1)


@login_required
def compliance_page(request):
    org = chosen_org(request)
    scope = scope_for(request.user)
    if not scope.can_read_people(org):
        # Findings name members (six months absent, overdue steps): not for members.
        raise PermissionDenied(_("没有查看合规情况的权限"))
    today = timezone.localdate()
    year = year_param(request, today.year)
    end = checked_until(year, today)
    rows = compliance(org.path, dt.date(year, 1, 1), end) if end and end.year == year else []
    freq = frequencies()
    branches: dict = {}
    for row in rows:
        entry = branches.setdefault(row.organization.pk, {"org": row.organization, "kinds": []})
        entry["kinds"].append(
            {
                "label": MeetingKind(row.kind).label,
                "unit": UNIT_LABELS[freq[row.kind].unit],
                "required": row.required,
                "met": row.met,
                "missed": [p.label for p in row.missed],
            }
        )
    context = {
        "org": org,
        "year": year,
        "end": end,
        "branches": list(branches.values()),
        # The findings themselves (with `ref`): a reminder's link points at its row.
        "findings": collect(org, today),
        "required": sum(r.required for r in rows),
        "met": sum(r.met for r in rows),
    }
    return private(render(request, "compliance/compliance.html", context))
