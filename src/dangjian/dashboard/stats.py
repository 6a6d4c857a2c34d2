"""The figures the seed articles quote, for any subtree and period: one definition used by
the dashboard, `dangjian stats` and `GET /api/v1/stats` (SPEC.md §4)."""

import datetime as dt

from django.utils import timezone

from dangjian.decisions.queries import decision_figures
from dangjian.development.queries import development_figures
from dangjian.dues.queries import dues_figures
from dangjian.meetings.queries import MeetingReport, meeting_report
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import branch_figures
from dangjian.people.queries import member_figures
from dangjian.service.queries import service_figures
from dangjian.tasks.queries import task_figures


class PeriodError(ValueError):
    pass


def resolve_period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Counts are as of `date_to` (default today); period counts run from `date_from`
    (default 1 January of `date_to`'s year) to `date_to`, both inclusive."""
    day = date_to or timezone.localdate()
    start = date_from or dt.date(day.year, 1, 1)
    if start > day:
        raise PeriodError("开始日期不能晚于结束日期")
    return start, day


def compute_stats(
    org: Organization,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    *,
    meetings: MeetingReport | None = None,
) -> dict:
    """`meetings`: a report the caller already has for the same subtree and period (the
    dashboard also compares children on it), so it is not computed twice."""
    start, day = resolve_period(date_from, date_to)
    stats = {"period": {"from": start.isoformat(), "to": day.isoformat()}, "org": org.code}
    stats["members"] = member_figures(org.path, day)
    stats.update(branch_figures(org.path, day))
    stats["development"] = development_figures(org.path, start, day)
    stats["meetings"] = (meetings or meeting_report(org.path, start, day)).figures
    stats["dues"] = dues_figures(org.path, start, day)
    stats["tasks"] = task_figures(org.path, start, day)
    stats["decisions"] = decision_figures(org.path, start, day)
    stats["service"] = service_figures(org.path, start, day)
    return stats
