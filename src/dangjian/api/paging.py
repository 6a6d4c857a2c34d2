"""The API's page numbers: ninja's, with a last page the database can reach; and for the
member list, a cursor alongside them."""

from django.utils.translation import gettext as _
from ninja import Field
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination

from dangjian.people.paging import BadCursor, Keyset, cached_count, cursor_after, seek

MAX_PAGE = 100_000  # 5 million rows at 50 a page: beyond any hospital city's lists
MAX_CURSOR = 2_000  # characters: a cursor carries a path, a name and an id


class Pages(PageNumberPagination):
    """A page beyond MAX_PAGE answers 422 in Chinese instead of an OFFSET that overflows
    the database's integer (a 500 on SQLite: schemathesis, issue 14)."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)


class CursorPages(Pages):
    """Page numbers as before (`{"items", "count"}`, SPEC.md §4), and a cursor alongside:
    every page answers `next`, the cursor of the page after it (null on the last), and
    `?cursor=` reads that page by key (people.paging) instead of counting past every
    earlier row, whatever `page` says. `count` is cached per data version.

    `keyset` is the order the endpoint returns its queryset in."""

    class CursorInput(Pages.Input):
        cursor: str | None = Field(None, max_length=MAX_CURSOR)

    class CursorOutput(PageNumberPagination.Output):
        next: str | None = None

    Input, Output = CursorInput, CursorOutput  # names of their own in the OpenAPI document

    def __init__(self, keyset: Keyset, **kwargs):
        self.keyset = keyset
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: CursorInput, request, **params):
        size = self._get_page_size(pagination.page_size)
        if pagination.cursor:
            try:
                page = seek(queryset, self.keyset, "", pagination.cursor, size)
            except BadCursor:
                # A 422 of the API's own shape (api.errors), in Chinese.
                reason = _("翻页游标无效，请从第一页（不带 cursor）重新读取")
                error = {
                    "loc": ("query", "cursor"),
                    "type": "value_error",
                    "ctx": {"error": reason},
                }
                raise ValidationError([error]) from None
            items, next_cursor = page.rows, page.next_cursor
        else:
            offset = (pagination.page - 1) * size
            rows = list(queryset[offset : offset + size + 1])
            items = rows[:size]
            more = len(rows) > size and items
            next_cursor = cursor_after(items[-1]) if more else None
        return {self.items_attribute: items, "count": cached_count(queryset), "next": next_cursor}
