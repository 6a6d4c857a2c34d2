"""The people that audit entries concern, by name, for the audit log's pages.

The people app answers (it registers its two look-ups at start-up, `people.apps`):
accounts sits below it and may not import it, in the way a signal lets a lower app hear
from a higher one. Both look-ups are scoped: a name is given only for a person the user
may read, so an audit administrator (who reads no personal records) sees numbers."""

from collections.abc import Callable, Iterable

MATCH_LIMIT = 200  # people a name search may match; a longer list asks for more letters

_names: Callable = lambda user, ids: {}  # noqa: E731 - until the people app registers
_matching: Callable = lambda user, text, limit: []  # noqa: E731


def register(*, names: Callable, matching: Callable) -> None:
    """`names(user, ids) -> {id: name}`; `matching(user, text, limit) -> [id]` (a name
    fragment, or a whole ID-card number found by its digest)."""
    global _names, _matching
    _names, _matching = names, matching


def names(user, ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    return _names(user, ids) if ids else {}


def matching(user, text: str) -> list[int]:
    return _matching(user, text, MATCH_LIMIT)
