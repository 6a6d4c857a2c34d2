"""Compliance findings for `dangjian check`, the compliance page and the nightly
reminders (SPEC.md §4).

`findings(org, today)` returns the contract's dicts; `collect` returns `Finding`s that
also carry `ref`, what makes a finding the same one from night to night (the reminder
job sends each once). A fixed number of queries, whatever the number of branches. Each
module of this package holds the findings of one area.
"""

import datetime as dt

from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.queries import alive_on

from .base import Finding
from .ledgers import (
    development_findings,
    development_history_findings,
    dues_findings,
    task_findings,
)
from .meetings import (
    absence_findings,
    meeting_findings,
    secretary_lecture_findings,
    theme_day_findings,
)
from .organisation import (
    form_findings,
    leadership_findings,
    reelection_findings,
    size_findings,
)

__all__ = ["Finding", "collect", "findings"]


def findings(org: Organization, today: dt.date) -> list[dict]:
    return [f.as_dict() for f in collect(org, today)]


def collect(org: Organization, today: dt.date) -> list[Finding]:
    branches = list(
        Organization.objects.filter(alive_on(today), kind=OrgKind.BRANCH, path__startswith=org.path)
    )
    found = [
        *size_findings(org, branches, today),
        *form_findings(org, today),
        *leadership_findings(org, today),
        *reelection_findings(org, today),
        *meeting_findings(org, today),
        *absence_findings(org, today),
        *secretary_lecture_findings(org, today),
        *theme_day_findings(org, today),
        *development_findings(org, today),
        *development_history_findings(org, today),
        *dues_findings(org, today),
        *task_findings(org, today),
    ]
    return sorted(found, key=lambda f: (f.path, f.kind, f.ref))
