"""Splitting long id lists for `IN (…)` queries and bulk writes."""

CHUNK = 500  # well under SQLite's bound-parameter limit


def chunked(items, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
