"""The pages `make bench` measures keep the same query count whatever the size of the
city (issue 7): generated with 1 hospital and with 3, each page's count is equal. And the
cached figures (core.datacache) are refreshed by any write to the data under them."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.datacache import unit_versions
from dangjian.gendata.services import generate
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person, StatusPeriod
from dangjian.people.queries import member_figures
from tests.factories import api_auth, make_user


class Rollback(Exception):
    pass


def _counts(hospitals: int) -> dict[str, int]:
    """Query count of each measured page over a generated city, rolled back after."""
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            generate(hospitals, years=1, seed=5)
            city = Organization.objects.get(code="GEN")
            hospital = Organization.objects.get(code="GEN-H001")
            branch = (
                Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=hospital.path)
                .order_by("path")
                .last()
            )
            person = Person.objects.filter(organization=branch).order_by("pk").first()
            users = {
                "guidance": make_user("q-guidance", Role.GUIDANCE, city),
                "office": make_user("q-office", Role.OFFICE, hospital),
                "secretary": make_user("q-secretary", Role.SECRETARY, branch),
            }
            token = api_auth(Client(), users["guidance"])
            full = Person.objects.filter(
                statuses__ended_on__isnull=True, statuses__status="full"
            ).count()
            last = -(-full // 25)
            assert last > 1
            pages = [
                ("dashboard city", "guidance", "get", "/dashboard/?org=GEN"),
                ("dashboard hospital", "office", "get", f"/dashboard/?org={hospital.code}"),
                ("dashboard branch", "secretary", "get", f"/dashboard/?org={branch.code}"),
                ("members first", "guidance", "get", "/people/?status=full"),
                ("members last", "guidance", "get", "/people/?status=full&cursor=last"),
                ("member", "office", "get", f"/people/{person.pk}/"),
                ("stats", "token", "get", "/api/v1/stats?org=GEN"),
                ("export", "office", "post", f"/roster/export/{hospital.code}/"),
            ]
            for label, who, method, url in pages:
                client = Client()
                auth = token if who == "token" else {}
                if not auth:
                    client.force_login(users[who])
                args = ({"reason": "核对"},) if method == "post" else ()
                getattr(client, method)(url, *args, **auth)  # warm
                with CaptureQueriesContext(connection) as ctx:
                    response = getattr(client, method)(url, *args, **auth)
                    if response.streaming:
                        b"".join(response.streaming_content)
                assert response.status_code == 200, (url, response.status_code)
                counts[label] = len(ctx.captured_queries)
            raise Rollback
    except Rollback:
        pass
    return counts


@pytest.mark.django_db
def test_measured_pages_keep_their_query_count_as_the_city_grows():
    small, large = _counts(1), _counts(3)
    assert small == large
    assert len(small) == 8


@pytest.mark.django_db(transaction=True)
def test_cached_figures_follow_every_write():
    """Outside a transaction the figures are cached per data version; a write through
    the ORM, a bulk update or raw SQL bumps the version and the next read recomputes."""
    cache.clear()
    generate(1, years=1, seed=9)
    hospital = Organization.objects.get(code="GEN-H001")
    day = timezone.localdate()
    before = member_figures(hospital.path, day)
    version = unit_versions(hospital.path)[hospital.path]
    with CaptureQueriesContext(connection) as ctx:
        assert member_figures(hospital.path, day) == before
    assert len(ctx.captured_queries) == 1  # the version only: a cache hit

    # A bulk update (no signals): one full member leaves the Party today.
    period = StatusPeriod.objects.filter(
        ended_on__isnull=True, status="full", person__organization__path__startswith=hospital.path
    ).first()
    StatusPeriod.objects.filter(pk=period.pk).update(ended_on=day - dt.timedelta(days=1))
    assert unit_versions(hospital.path)[hospital.path] > version
    after = member_figures(hospital.path, day)
    assert after["total"] == before["total"] - 1 and after["full"] == before["full"] - 1

    # Raw SQL too.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_statusperiod SET ended_on = NULL WHERE id = %s", [period.pk])
    assert member_figures(hospital.path, day) == before
    cache.clear()
