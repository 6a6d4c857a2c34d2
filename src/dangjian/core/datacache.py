"""Figures over a subtree (the dashboard's and `GET /stats`'s aggregates), cached until
the data under them changes.

The database keeps a version per *unit* — a hospital's subtree, or an organisation above
the hospitals — in `dangjian_unit_version` (migration orgs 0004_unit_versions): triggers
bump the units of every row inserted, updated or deleted in the tables these figures
read, whichever code path writes (services, bulk imports, `gen-data`, raw SQL). A cached
value is keyed by the versions of the units it covers, so a write in one hospital makes
that hospital's figures a miss and leaves every other hospital's valid. A city's figure
is the sum of its units' parts (`cached_parts`, used by orgs.figures): after a write it
recomputes one hospital's part, not the city.

Nothing is cached inside a transaction (`atomic`): a version read there may be one that
is rolled back and later reused for other data. Requests and commands run outside one.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, connection, connections, router
from django.utils import translation

VERSION_TABLE = "dangjian_unit_version"
# A unit is named by the first two steps of an organisation's path (orgs.models:
# Organization.hospital_path; tests/dashboard/test_figure_parts.py holds them equal).
UNIT_CHARS = 8
TIMEOUT = 3600  # seconds; the versions, not the timeout, are what keep values right
# Longer than the slowest recompute (seconds, measured in bench/); a crashed worker's lock
# lapses after it.
LOCK_TIMEOUT = 60

Versions = dict[str, int]


def unit_of(path: str) -> str:
    return path[:UNIT_CHARS]


def bump_every_unit() -> None:
    """A new version for every unit there is, new units included: what the triggers do,
    for a bulk load that ran with them disabled (gendata.writer)."""
    start = (
        "floor(random() * 281474976710656)::bigint"
        if connection.vendor == "postgresql"
        else "abs(random()) % 281474976710656"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {VERSION_TABLE} (unit, n) SELECT u, {start} FROM (SELECT DISTINCT "
            f"substr(path, 1, {UNIT_CHARS}) AS u FROM orgs_organization) s WHERE true "
            f"ON CONFLICT (unit) DO UPDATE SET n = {VERSION_TABLE}.n + 1"
        )


def _read_versions(path: str, select: str) -> list | None:
    """`SELECT {select}` over the version rows of the units under `path` (the path's own
    unit, for a path inside a hospital), from the database the figures are read from (a
    replica for lag-tolerant pages, core.dbrouter), so versions and figures always belong
    to the same data. None inside a transaction (a version read there may be rolled back
    and reused) or when the rows cannot be read."""
    if connection.in_atomic_block:
        return None
    if len(path) >= UNIT_CHARS:
        where, param = "unit = %s", unit_of(path)
    else:  # paths are digits and capitals (treebeard's alphabet): no LIKE wildcards
        where, param = "unit LIKE %s", path + "%"
    reads = connections[router.db_for_read(None)]
    try:
        with reads.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM {VERSION_TABLE} WHERE {where}", [param])
            return cursor.fetchall()
    except DatabaseError:
        return None


def unit_versions(path: str) -> Versions | None:
    """The version of each unit a figure over the subtree at `path` depends on. One
    query; None when they cannot be trusted or read."""
    rows = _read_versions(path, "unit, n")
    return None if rows is None else dict(rows)


def subtree_version(path: str) -> str | None:
    """One value that changes whenever any unit under `path` is bumped: the number of
    its units and the sum of their versions (versions only grow and unit rows are never
    deleted, so the sum grows with every write under the path). One row, however many
    hospitals: a warm province figure does not read a thousand versions."""
    rows = _read_versions(path, "count(*), sum(n)")
    return None if rows is None else ":".join(map(str, rows[0]))


def figure_key(name: str, args: tuple) -> str:
    """The cache keys of one figure start with this (then its versions, its last value or
    its recompute lock)."""
    raw = repr((args, translation.get_language()))
    return f"fig:{name}:{connection.alias}:" + hashlib.sha1(raw.encode()).hexdigest()


def cached_value(name: str, args: tuple, compute, path: str):
    """`compute()`, cached per language, `args` (paths, dates, codes: values whose repr
    identifies them) and the version of the subtree at `path` (`subtree_version`).
    `compute` may read only the tables the version triggers watch.

    Single flight: after a write, one reader recomputes a figure (it holds a short lock
    in the cache) while the others get its last value, instead of every worker
    recomputing the same figure at once (issue 15: writes arrived faster than a recompute
    ended). With no last value, or once the lock is free, a reader computes as before."""
    version = subtree_version(path)
    if version is None:
        return compute()
    figure = figure_key(name, args)
    key = f"{figure}:{version}"
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{figure}:computing"
    holding = cache.add(lock, 1, LOCK_TIMEOUT)
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


def cached_parts(
    name: str, args: tuple, versions: Versions, compute: Callable[[list[str]], dict]
) -> dict:
    """{unit: part} for every unit of `versions`: each part is cached under its own unit's
    version, and `compute(units)` is called once for the missing ones (it returns their
    parts; a unit it leaves out has an empty part, `{}`). One cache read for all."""
    figure = figure_key(name, args)
    keys = {unit: f"{figure}:{unit}:{n}" for unit, n in versions.items()}
    found = cache.get_many(list(keys.values()))
    parts = {unit: found[key] for unit, key in keys.items() if key in found}
    missing = sorted(unit for unit in keys if unit not in parts)
    if missing:
        computed = compute(missing)
        fresh = {unit: computed.get(unit, {}) for unit in missing}
        cache.set_many({keys[unit]: part for unit, part in fresh.items()}, TIMEOUT)
        parts.update(fresh)
    return parts
