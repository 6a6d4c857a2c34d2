"""The inherited suite every page gets (as NetBox's view test cases): it renders for a
user of hospital A, it does not exist for a user of hospital B, and its query count does
not grow with the rows it shows.

Subclass `ScopedPageTest` as `TestSomething` and define:
- `url(world)`: the page of hospital A's data;
- `grow(world, n)`: add n more rows that the page shows;
- optionally `viewer_role`, `viewer_hospital`, `expected_text`, and for pages that every
  user may open (lists, trees) `outsider_status = 200` with `private_text(world)`, a text
  that must not appear for hospital B's user.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.accounts.models import Role


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response


class ScopedPageTest:
    viewer_role = Role.OFFICE
    viewer_hospital = "A"
    outsider_status = 404
    expected_text: tuple[str, ...] = ()

    def url(self, world) -> str:
        raise NotImplementedError

    def grow(self, world, n: int) -> None:
        raise NotImplementedError

    def private_text(self, world) -> str:
        raise NotImplementedError

    def viewer(self, world):
        return world.user(self.viewer_role, self.viewer_hospital)

    def test_renders_for_own_hospital(self, client, world):
        self.grow(world, 1)
        client.force_login(self.viewer(world))
        response = client.get(self.url(world))
        assert response.status_code == 200
        if response.streaming:  # a download: nothing to read as a page
            b"".join(response.streaming_content)
            return
        page = response.content.decode()
        for text in self.expected_text:
            assert text in page, text

    def test_other_hospital_cannot_see_it(self, client, world):
        self.grow(world, 1)
        url = self.url(world)
        client.force_login(world.user(self.viewer_role, "B"))
        response = client.get(url)
        assert response.status_code == self.outsider_status
        if self.outsider_status == 200:
            assert self.private_text(world) not in response.content.decode()

    def test_query_count_does_not_grow_with_rows(self, client, world):
        self.grow(world, 2)
        client.force_login(self.viewer(world))
        url = self.url(world)
        client.get(url)  # warm caches (content types, the audit chain head, the session)
        before, _ = count_queries(client, url)
        self.grow(world, 5)
        after, response = count_queries(client, url)
        assert after == before, f"{before} queries with few rows, {after} with more"
