"""Figures over a subtree (the dashboard's and `GET /stats`'s aggregates), cached until
the data under them changes.

The database keeps one counter, `dangjian_data_version` (migration
orgs 0003_data_version): triggers bump it on every insert, update, delete or truncate
of the tables these figures read — whichever code path writes (services, bulk imports,
`gen-data`, raw SQL). A cached value is keyed by that counter, so a change anywhere
makes every cached figure a miss on the next read. Only while another reader is
recomputing a figure after a write is its last value served (single flight, below).

Nothing is cached inside a transaction (`atomic`): a version read there may be one that
is rolled back and later reused for other data. Requests and commands run outside one.
"""

import functools
import hashlib

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import translation

VERSION_TABLE = "dangjian_data_version"
TIMEOUT = 3600  # seconds; the version, not the timeout, is what keeps values right
# Longer than the slowest recompute (seconds, measured in bench/); a crashed worker's lock
# lapses after it.
LOCK_TIMEOUT = 60

# The tables the cached figures read; the migration puts a trigger on each.
WATCHED_TABLES = (
    "orgs_organization",
    "orgs_department",
    "orgs_committeeseat",
    "people_person",
    "people_statusperiod",
    "people_membership",
    "development_developmentstep",
    "meetings_meeting",
    "dues_duesbill",
    "dues_duespayment",
)


def data_version() -> int | None:
    """The counter, or None when it cannot be trusted (inside a transaction) or read."""
    if connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n FROM {VERSION_TABLE} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else None


def figure_key(name: str, args: tuple) -> str:
    """The cache keys of one figure start with this (then its version, its last value or
    its recompute lock)."""
    raw = repr((args, translation.get_language()))
    return f"fig:{name}:{connection.alias}:" + hashlib.sha1(raw.encode()).hexdigest()


def cached_value(name: str, args: tuple, compute):
    """`compute()`, cached per data version, language and `args` (paths, dates, codes:
    values whose repr identifies them). `compute` may read only WATCHED_TABLES.

    Single flight: after a write, one reader recomputes a figure (it holds a short lock
    in the cache) while the others get its last value, instead of every worker
    recomputing the same city at once (issue 15: writes arrived faster than a recompute
    ended). With no last value, or once the lock is free, a reader computes as before."""
    version = data_version()
    if version is None:
        return compute()
    figure = figure_key(name, args)
    key = f"{figure}:{version}"
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{figure}:computing"
    holding = cache.add(lock, version, LOCK_TIMEOUT)
    if not holding:
        last = cache.get(f"{figure}:last")
        if last is not None:
            return last
    try:
        value = compute()
        cache.set_many({key: value, f"{figure}:last": value}, TIMEOUT)
    finally:
        if holding:
            cache.delete(lock)
    return value


def cached_figures(name: str):
    """Decorate a function of such arguments: its result is cached per data version."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = (args, sorted(kwargs.items()))
            return cached_value(name, key, lambda: func(*args, **kwargs))

        return wrapper

    return decorate
