from ninja import Query
from ninja.errors import HttpError

from dangjian.dashboard.stats import PeriodError, compute_stats

from .orgs import visible_org
from .routing import ApiRouter
from .schemas import Day

router = ApiRouter(tags=["stats"])


@router.get("/stats")
def stats(
    request,
    org: str,
    date_from: Day | None = Query(None, alias="from"),
    date_to: Day | None = Query(None, alias="to"),
):
    """The same object as `dangjian stats --org CODE --json`. Query parameters `from`/`to`."""
    organization = visible_org(request, org)
    try:
        return compute_stats(organization, date_from, date_to)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
