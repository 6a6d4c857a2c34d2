"""The API's page numbers: ninja's, with a last page the database can reach."""

from ninja import Field
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000  # 5 million rows at 50 a page: beyond any hospital city's lists


class Pages(PageNumberPagination):
    """A page beyond MAX_PAGE answers 422 in Chinese instead of an OFFSET that overflows
    the database's integer (a 500 on SQLite: schemathesis, issue 14)."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
