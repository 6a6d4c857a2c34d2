"""The replica router (core.dbrouter): lag-tolerant pages read from the replica, every
other read, every write and every migration use the primary; settings install it only
when DATABASE_REPLICA_URL is set. The replica here is Django's test mirror of the
default database (settings: TESTING), so the tests run on SQLite and PostgreSQL alike."""

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connections, router, transaction
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role
from dangjian.core.dbrouter import REPLICA, ROUTER, LagTolerantReads
from dangjian.people.models import Person
from tests.factories import api_auth, make_member, make_user

ROUTED = override_settings(DATABASE_ROUTERS=[ROUTER])


@pytest.fixture(autouse=True)
def _close_the_replica():
    """The mirror's connection is closed after each test, so that the test databases can
    be dropped at the end of the run (PostgreSQL refuses while a session uses one)."""
    yield
    connections[REPLICA].close()


BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def _serve(view_name: str, method: str, view):
    """Run `view()` as the view of a request to `view_name`, through the middleware as
    Django would (process_view, then the view)."""
    request = RequestFactory().generic(method, "/")
    request.resolver_match = SimpleNamespace(view_name=view_name)

    def handler(request):
        middleware.process_view(request, view, (), {})
        return view()

    middleware = LagTolerantReads(handler)
    return middleware(request)


def _read():
    return router.db_for_read(Person)


@BOTH
@ROUTED
@pytest.mark.parametrize(
    ("view_name", "method", "expected"),
    [
        ("dashboard:home", "GET", REPLICA),
        ("api:stats", "GET", REPLICA),
        ("dashboard:home", "HEAD", REPLICA),
        ("dashboard:home", "POST", "default"),
        ("people:list", "GET", "default"),
        ("dues:my_dues", "GET", "default"),
    ],
)
def test_lag_tolerant_page_reads_go_to_the_replica_and_no_others(view_name, method, expected):
    assert _serve(view_name, method, _read) == expected


@BOTH
@ROUTED
def test_reads_inside_a_transaction_or_after_a_write_go_to_the_primary():
    def view():
        seen = [_read()]
        with transaction.atomic():
            seen.append(_read())
        seen.append(_read())
        assert router.db_for_write(Person) == "default"
        seen.append(_read())
        return seen

    assert _serve("dashboard:home", "GET", view) == [REPLICA, "default", REPLICA, "default"]


@BOTH
@ROUTED
def test_an_orm_write_in_the_request_sends_later_reads_to_the_primary(two_hospitals):
    _, (_, branch, _), _ = two_hospitals

    def view():
        before = _read()
        make_member(branch)
        return before, _read()

    assert _serve("dashboard:home", "GET", view) == (REPLICA, "default")


@BOTH
@ROUTED
def test_outside_a_request_everything_reads_the_primary():
    assert _read() == "default"  # commands, jobs, the shell
    assert _serve("dashboard:home", "GET", lambda: None) is None
    assert _read() == "default"  # the request's mark does not outlive it


@BOTH
@ROUTED
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_no_replica_configured_means_the_primary():
    databases = {"default": connections["default"].settings_dict}
    with override_settings(DATABASES=databases):
        assert _serve("dashboard:home", "GET", _read) == "default"


@ROUTED
def test_migrations_only_on_the_primary():
    assert router.allow_migrate("default", "people", model_name="person")
    assert not router.allow_migrate(REPLICA, "people", model_name="person")


@BOTH
@ROUTED
def test_a_lag_tolerant_page_runs_its_figures_on_the_replica(client, two_hospitals):
    guidance, (ha, branch, _), _ = two_hospitals
    for _ in range(3):
        make_member(branch)
    cache.clear()
    client.force_login(make_user("city", Role.GUIDANCE, guidance))
    token = api_auth(client, make_user("city-api", Role.GUIDANCE, guidance))
    for url, auth in [(f"/dashboard/?org={ha.code}", {}), (f"/api/v1/stats?org={ha.code}", token)]:
        cache.clear()
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as replica,
        ):
            response = client.get(url, **auth)
        assert response.status_code == 200, url
        on_replica = " ".join(q["sql"] for q in replica.captured_queries)
        on_primary = " ".join(q["sql"] for q in primary.captured_queries)
        assert "people_statusperiod" in on_replica, url  # the member figures
        assert "people_statusperiod" not in on_primary, url
        # The data versions the figures are cached under come from the same database.
        assert "dangjian_unit_version" in on_replica, url
        assert "dangjian_unit_version" not in on_primary, url


@BOTH
@ROUTED
def test_other_pages_never_touch_the_replica(client, two_hospitals):
    _, (ha, branch, _), _ = two_hospitals
    make_member(branch)
    client.force_login(make_user("office", Role.OFFICE, ha))
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/people/").status_code == 200
        assert client.get(f"/people/?org={ha.code}").status_code == 200
    assert replica.captured_queries == []


def _settings_under(env: dict) -> dict:
    """DATABASES, routers and sessions as production settings make them from `env`."""
    code = (
        "import json, dangjian.settings as s; print(json.dumps({"
        "'aliases': sorted(s.DATABASES), 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
        "'default': s.DATABASES['default'], 'session': getattr(s, 'SESSION_ENGINE', None)},"
        " default=str))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DANGJIAN_TESTING", "DATABASE_URL")}
    base |= {
        "SECRET_KEY": "x" * 50,
        "DANGJIAN_FIELD_KEY": "0" * 32,
        "DANGJIAN_AUDIT_KEY": "0" * 64,
        "DATABASE_URL": "postgres://dangjian@127.0.0.1:6432/dangjian",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_production_settings_install_the_router_only_with_a_replica():
    plain = _settings_under({})
    assert plain["aliases"] == ["default"] and plain["routers"] == []
    assert not plain["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    assert "prepare_threshold" not in plain["default"].get("OPTIONS", {})
    assert plain["session"] is None  # Django's default: the database

    scaled = _settings_under(
        {
            "DATABASE_REPLICA_URL": "postgres://dangjian@10.0.0.2:5432/dangjian",
            "DATABASE_POOLER": "pgbouncer",
            "REDIS_URL": "redis://10.0.0.3:6379/0",
        }
    )
    assert scaled["aliases"] == ["default", REPLICA]
    assert scaled["routers"] == [ROUTER]
    assert scaled["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert scaled["default"]["OPTIONS"]["prepare_threshold"] is None
    assert scaled["session"] == "django.contrib.sessions.backends.cache"
