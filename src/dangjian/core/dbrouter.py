"""Reads of pages that tolerate a little lag go to a streaming replica; everything else
to the primary (settings: DATABASE_REPLICA_URL, DANGJIAN_LAG_TOLERANT_VIEWS).

A page is lag-tolerant by its URL name (the dashboard, `GET /api/v1/stats`): read-only
statistics that a few seconds' delay does not make wrong. While such a request is
served, `ReplicaRouter` sends its ORM reads to the replica alias — never inside a
transaction, never once the request has written, and only when the replica had replayed
everything the primary had committed when the request began, so that a session or a
token issued, or revoked, just before the request is already known to the replica.
(core.datacache reads its data versions through this router too, so cached figures are
keyed by the versions of the database they were computed from.) Writes, migrations and every other page
use the primary. With no replica configured the router is not installed at all.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
ROUTER = "dangjian.core.dbrouter.ReplicaRouter"


@dataclass
class _Request:
    lag_tolerant: bool = False
    written: bool = False


_request: ContextVar[_Request | None] = ContextVar("dangjian_db_request", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and ROUTER in settings.DATABASE_ROUTERS


def replica_is_current() -> bool:
    """True when the replica has replayed the primary's WAL up to now (or is no standby
    at all: a test mirror, a promoted server). False when either cannot be asked."""
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[REPLICA]
    if primary.vendor != "postgresql" or replica.vendor != "postgresql":
        return True
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
        with replica.cursor() as cursor:
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                [position],
            )
            return bool(cursor.fetchone()[0])
    except DatabaseError:  # a replica that is down or restarting: the primary serves
        return False


class LagTolerantReads:
    """Middleware: marks the requests whose URL names are in DANGJIAN_LAG_TOLERANT_VIEWS
    (GET and HEAD only) for the router, for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(_Request())
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _request.get()
        match = request.resolver_match
        if (
            state is not None
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in settings.DANGJIAN_LAG_TOLERANT_VIEWS
            and replica_configured()
        ):
            state.lag_tolerant = replica_is_current()


class ReplicaRouter:
    """DATABASE_ROUTERS entry, installed when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        state = _request.get()
        if (
            state is not None
            and state.lag_tolerant
            and not state.written
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _request.get()
        if state is not None:
            state.written = True  # read what this request wrote: the primary from now on
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
