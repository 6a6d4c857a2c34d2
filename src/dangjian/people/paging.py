"""Member lists paged by key ("seek"), not by OFFSET, and counted once per data version.

A page is the rows after (or before) a row of the list, in the list's order: the
database starts from that row's sort values instead of sorting and skipping every
earlier row, so page 900 costs what page 1 costs. A cursor names the row by its primary
key only (no name or other personal data in a link, a log or a browser's history); the
row's sort values are read back within the reader's own list, so a cursor of a row the
reader cannot see, or that has left the list, is refused. The list's total is cached
per data version (core.datacache), keyed by the list's SQL (scope and filters
included), so turning pages does not recount the city.

django-cursor-pagination was considered: it puts the row's values in the cursor and
compares every value as text (wrong for booleans on SQLite).
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, OrderBy, Q

from dangjian.core.datacache import cached_parts, cached_value, unit_versions
from dangjian.orgs.figures import unit_expr, units_scope

NOTHING = Q(pk__in=[])
LAST = "last"  # the cursor of the list's last page
FORWARD, BACKWARD = "n", "p"


class BadCursor(ValueError):
    """A cursor that this list did not make (edited, truncated or from another list)."""


class CursorOfAnotherOrder(BadCursor):
    """A cursor of the same list in another order: the page's column headers keep the
    query string, cursor included, when they change the order."""


@dataclass(frozen=True)
class Key:
    """One column of a list's order. Nulls come last in the list's order (as the member
    list has always put people without a department or a Party status)."""

    lookup: str
    descending: bool = False
    nullable: bool = False

    def order(self, backward: bool) -> OrderBy:
        column = F(self.lookup)
        if not self.nullable:  # plain, so that an index in the list's order can serve it
            return column.asc() if self.descending == backward else column.desc()
        if self.descending == backward:
            return column.asc(nulls_first=True) if backward else column.asc(nulls_last=True)
        return column.desc(nulls_first=True) if backward else column.desc(nulls_last=True)

    def beyond(self, value, backward: bool) -> Q:
        """Rows whose value lies strictly beyond `value` in the reading direction."""
        if value is None:  # nulls are last: nothing after them, every value before them
            return Q(**{f"{self.lookup}__isnull": False}) if backward else NOTHING
        smaller = self.descending != backward
        beyond = Q(**{f"{self.lookup}__{'lt' if smaller else 'gt'}": value})
        if self.nullable and not backward:
            beyond |= Q(**{f"{self.lookup}__isnull": True})
        return beyond

    def equal(self, value) -> Q:
        if value is None:
            return Q(**{f"{self.lookup}__isnull": True})
        return Q(**{self.lookup: value})


@dataclass(frozen=True)
class Keyset:
    """A list's total order: its columns, the last one unique (the primary key)."""

    keys: tuple[Key, ...]

    def ordering(self, backward: bool = False) -> list[OrderBy]:
        return [key.order(backward) for key in self.keys]

    def beyond(self, values: list, backward: bool = False) -> Q:
        """Rows after `values` in the list's order (before them when `backward`): for
        keys (a, b, c), a beyond, or a equal and b beyond, or a and b equal and c beyond."""
        condition, equal = NOTHING, Q()
        for key, value in zip(self.keys, values, strict=True):
            condition |= equal & key.beyond(value, backward)
            equal &= key.equal(value)
        return condition


def encode(direction: str, sort: str, pk: int) -> str:
    raw = json.dumps([direction, sort, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_after(row, sort: str = "") -> str:
    """The cursor of the page that follows `row` (a model instance) in the list."""
    return encode(FORWARD, sort, row.pk)


def decode(cursor: str, sort: str) -> tuple[bool, int]:
    """(backward, primary key) of a cursor for the list sorted by `sort`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, made_for, pk = json.loads(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc
    if isinstance(made_for, str) and made_for != sort:
        raise CursorOfAnotherOrder(cursor)
    if direction not in (FORWARD, BACKWARD) or type(pk) is not int or not 0 < pk < 2**63:
        raise BadCursor(cursor)
    return direction == BACKWARD, pk


# The member list's order: by organisation (the tree's path), then name.
BY_ORGANIZATION = Keyset((Key("organization__path"), Key("name"), Key("pk")))


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def seek(queryset, keyset: Keyset, sort: str, cursor: str | None, size: int) -> Page:
    """The page of `size` rows that `cursor` names (the first page without one, the last
    with LAST), in the keyset's order. Narrow, then wide: the cursor's row's sort values
    (one row, by primary key), the page's keys from the filtered list, then its rows with
    their joins. Raises BadCursor."""
    backward, values = False, None
    lookups = [key.lookup for key in keyset.keys]
    if cursor == LAST:
        backward = True
    elif cursor:
        backward, pk = decode(cursor, sort)
        values = queryset.filter(pk=pk).values_list(*lookups).first()
        if values is None:  # not in this reader's list (any more)
            raise BadCursor(cursor)
    ordered = queryset.order_by(*keyset.ordering(backward))
    if values is not None:
        ordered = ordered.filter(keyset.beyond(list(values), backward))
    found = list(ordered.values_list(*lookups)[: size + 1])
    more = len(found) > size
    found = found[:size]
    if backward:
        found.reverse()
    rows = _load(queryset, [row[-1] for row in found])
    has_next = more if not backward else values is not None
    has_previous = more if backward else values is not None
    return Page(
        rows=rows,
        next_cursor=encode(FORWARD, sort, found[-1][-1]) if has_next and found else None,
        previous_cursor=encode(BACKWARD, sort, found[0][-1]) if has_previous and found else None,
    )


def _load(queryset, ids: list) -> list:
    if not ids:
        return []
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def cached_count(queryset) -> int:
    """The list's length: the sum of its people per hospital (by their organisation),
    each hospital's count cached under its own data version, as the city's figures are
    (orgs.figures). After a write in one hospital only that hospital's people are counted
    again, not a city's or a province's. The key is the list's SQL and parameters, which
    hold the reader's scope and filters: two readers share counts only when they would
    count the same rows."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that matches no one (`.none()`, an unknown code)
        return 0
    key = (sql, params)

    def per_unit(orgs) -> dict:
        rows = (
            queryset.model.objects.filter(
                pk__in=queryset.order_by().values("pk"), organization__in=orgs.values("pk")
            )
            .values(unit=unit_expr("organization__path"))
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["unit"]: {"n": row["n"]} for row in rows}

    def total() -> int:
        versions = unit_versions("")
        if versions is None:
            return queryset.count()
        parts = cached_parts(
            "people.list_count", key, versions, lambda missing: per_unit(units_scope("", missing))
        )
        return sum(part.get("n", 0) for part in parts.values())

    # The list may span any part of the tree: keyed by every hospital's version.
    return cached_value("people.list_count", key, total, path="")
