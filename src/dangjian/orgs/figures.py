"""A subtree's figures as the sum of its units' parts (issue 15).

A *unit* is a hospital's subtree, or an organisation above the hospitals
(`Organization.hospital_path`); the database keeps a data version per unit
(core.datacache). Each figure family computes additive *parts* — counts and sums, never
ratios — grouped by unit in one query, and a `finish` step turns a sum of parts into the
published figures (a ratio from summed numerators and denominators). So:

- a hospital's figures are its one part, cached under its unit's version;
- a city's are the sum of its units' parts, each cached under its own unit's version:
  after a write in one hospital only that hospital's part is computed again, in one
  small query, and a city seen for the first time costs one grouped query per family;
- a subtree inside a hospital (a branch) is computed directly, cached under its unit's
  version.

Where a row belongs is decided once: by `unit_expr` on the path of the organisation the
figure counts it under, which is the same attribution the version triggers use
(migration orgs 0004_unit_versions).
"""

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from dangjian.core.datacache import (  # noqa: F401 (unit_of: for the apps)
    UNIT_CHARS,
    cached_parts,
    cached_value,
    unit_of,
    unit_versions,
)

from .models import Organization

Part = dict  # {name: number}
# Up to this many missing units are computed by their own prefixes; more, by the subtree.
FEW_UNITS = 16


def unit_expr(path_field: str = "path") -> Substr:
    """The unit of a row, from the path of its organisation (`path_field`)."""
    return Substr(path_field, 1, UNIT_CHARS)


def subtree(path: str) -> QuerySet:
    return Organization.objects.filter(path__startswith=path)


def units_scope(path: str, units: list[str]) -> QuerySet:
    """The organisations of these units of the subtree at `path`."""
    if len(units) > FEW_UNITS:
        return subtree(path)
    query = Q()
    for unit in units:
        query |= Q(path__startswith=unit) if len(unit) == UNIT_CHARS else Q(path=unit)
    return Organization.objects.filter(query)


def ratio(part: int, whole: int) -> float | None:
    """A published ratio from summed numerator and denominator; None over nothing."""
    return part / whole if whole else None


def add(parts: Iterable[Part]) -> Part:
    total: Part = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total


def by_unit(rows, fields: Iterable[str]) -> dict[str, Part]:
    """{unit: {field: value}} from `.values("unit").annotate(...)` rows."""
    return {row["unit"]: {f: row[f] for f in fields} for row in rows}


class SubtreeFigure:
    """A figure family: `parts(orgs, *args)` returns {unit: part} for the rows of the
    organisations `orgs` (a queryset), in one query per kind of row; `finish(total)` turns
    a sum of parts into the published figures."""

    def __init__(self, name: str, parts: Callable[..., dict[str, Part]], finish: Callable):
        self.name, self.parts, self.finish = name, parts, finish

    def __call__(self, path: str, *args):
        if len(path) > UNIT_CHARS:  # inside one hospital: computed directly
            return cached_value(
                self.name,
                (path, args),
                lambda: self.finish(add(self.parts(subtree(path), *args).values())),
                path,
            )
        return cached_value(
            self.name,
            (path, args),
            lambda: self.finish(add(self.unit_parts(path, *args).values())),
            path,
        )

    def unit_parts(self, path: str, *args, only: Iterable[str] | None = None) -> dict[str, Part]:
        """{unit: part} of every unit of the subtree at `path` (a hospital or above), or of
        the units `only` among them, each cached under its own unit's version; inside a
        transaction computed, not cached."""
        versions = unit_versions(path)
        if only is not None:
            wanted = set(only)
            if versions is None:
                return self.parts(units_scope(path, sorted(wanted)), *args)
            versions = {unit: n for unit, n in versions.items() if unit in wanted}
        if versions is None:
            return self.parts(subtree(path), *args)
        return cached_parts(
            self.name, args, versions, lambda missing: self.parts(units_scope(path, missing), *args)
        )
