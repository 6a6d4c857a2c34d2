"""A list that pages over ids: counting and slicing run on an id queryset, and only a
slice's rows are built (by one call for the whole slice), so a page of a long list costs
the same few queries however many rows there are. Django's and ninja's paginators both
accept it as a sequence."""

from collections.abc import Callable, Sequence


class IdPage(Sequence):
    def __init__(self, ids, build: Callable[[list], list]):
        """`ids`: an ordered queryset of primary keys; `build(pks)`: the rows of those
        keys, in the same order."""
        self.ids = ids
        self.build = build

    def __len__(self) -> int:
        return self.ids.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self.build(list(self.ids[index]))
