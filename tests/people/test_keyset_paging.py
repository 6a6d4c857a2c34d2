"""The member list paged by key (people.paging): pages cover the list exactly once, in
its order, forwards and backwards, for every sort the table offers; scope and filters
hold on every page; a cursor the list did not make falls back to the first page."""

import base64
import json

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.people.models import Membership, Person, Status
from dangjian.people.paging import LAST, BadCursor, encode, seek
from dangjian.people.queries import current_status
from dangjian.people.tables import SORTABLE, sort_order
from tests.factories import DepartmentFactory, PersonFactory, make_member

SORTS = ["", *SORTABLE, *(f"-{column}" for column in SORTABLE)]
STATUSES = [None, Status.FULL, Status.PROBATIONARY, Status.ACTIVIST]
PERSON = st.tuples(
    st.sampled_from(["甲", "乙", "丙"]),  # names repeat: the primary key breaks the ties
    st.sampled_from([None, 0, 1]),  # department (None: none)
    st.sampled_from(STATUSES),  # None: 群众
    st.booleans(),  # department head
    st.booleans(),  # first branch or second
)


class Rollback(Exception):
    pass


def _add(world, departments, name, department, status, head, first_branch):
    org = world.ha_b1 if first_branch else world.ha_b2
    dept = None if department is None else departments[department]
    if status is None:
        person = PersonFactory(organization=org, name=name, department=dept)
        person.is_department_head = head
        person.save(update_fields=["is_department_head"])
        Membership.objects.create(person=person, organization=org, started_on="2010-07-01")
        return person
    return make_member(org, status, name=name, department=dept, is_department_head=head)


def _listed():
    return Person.objects.annotate(current_status=current_status()).select_related("organization")


def _walk(queryset, keyset, sort, size, start, step) -> list[int]:
    """Primary keys of every page from `start`, following `step` ("next"/"previous")."""
    seen, cursor = [], start
    for _ in range(queryset.count() + 2):
        page = seek(queryset, keyset, sort, cursor, size)
        rows = [row.pk for row in page.rows]
        seen = seen + rows if step == "next" else rows + seen
        cursor = page.next_cursor if step == "next" else page.previous_cursor
        if cursor is None:
            return seen
    raise AssertionError("the pages never ended")


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(PERSON, max_size=12), size=st.integers(min_value=1, max_value=5))
def test_pages_cover_the_list_once_in_order_both_ways(world, people, size):
    try:
        with transaction.atomic():
            departments = [DepartmentFactory(hospital=world.ha) for _ in range(2)]
            for person in people:
                _add(world, departments, *person)
            make_member(world.hb_b1, name="甲")  # another hospital's: never on the list
            queryset = _listed().filter(organization__path__startswith=world.ha.path)
            for sort in SORTS:
                shown, keyset = sort_order(sort)
                ordered = queryset.order_by(*keyset.ordering())
                expected = list(ordered.values_list("pk", flat=True))
                assert len(expected) == len(people)
                assert _walk(queryset, keyset, shown, size, None, "next") == expected, sort
                assert _walk(queryset, keyset, shown, size, LAST, "previous") == expected, sort
            raise Rollback
    except Rollback:
        pass


def test_people_without_a_department_or_a_status_come_last_both_ways(world):
    departments = [DepartmentFactory(hospital=world.ha, name=n) for n in ("A科", "B科")]
    none = _add(world, departments, "甲", None, None, False, True)
    a = _add(world, departments, "乙", 0, Status.FULL, False, True)
    b = _add(world, departments, "丙", 1, Status.PROBATIONARY, False, True)
    for sort, order in [
        ("department", [a, b, none]),
        ("-department", [b, a, none]),
        ("current_status", [a, b, none]),  # "full" < "probationary"
        ("-current_status", [b, a, none]),
    ]:
        shown, keyset = sort_order(sort)
        pks = _walk(_listed(), keyset, shown, 1, None, "next")
        assert pks == [p.pk for p in order], sort


def test_a_cursor_this_reader_did_not_get_is_refused(world):
    mine = make_member(world.ha_b1, name="甲")
    theirs = make_member(world.hb_b1, name="乙")
    listed = _listed().filter(organization__path__startswith=world.ha.path)
    _, keyset = sort_order("")
    assert [row.pk for row in seek(listed, keyset, "", encode("n", "", mine.pk), 5).rows] == []
    for cursor in [
        "not-a-cursor",
        "%%%",
        encode("x", "", mine.pk),  # no such direction
        encode("n", "name", mine.pk),  # made for another order
        encode("n", "", "1"),  # a primary key that is no number
        encode("n", "", True),
        encode("n", "", 10**30),  # beyond any key the database can hold
        encode("n", "", theirs.pk),  # another hospital's person: not in this list
        encode("n", "", mine.pk + theirs.pk + 1000),  # nobody
    ]:
        with pytest.raises(BadCursor):
            seek(listed, keyset, "", cursor, 5)


def test_a_cursor_carries_no_personal_data(world):
    """Links end up in proxies' logs and browsers' histories: a row's id, no name."""
    for i in range(3):
        make_member(world.ha_b1, name=f"张{i}")
    _, keyset = sort_order("")
    page = seek(_listed(), keyset, "", None, 1)
    raw = base64.urlsafe_b64decode(page.next_cursor + "==").decode()
    assert json.loads(raw) == ["n", "", page.rows[0].pk]


# The page: links, filters, scope, messages.


def _page(client, query=""):
    response = client.get(reverse("people:list") + query)
    assert response.status_code == 200
    return response


def _rows(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_the_page_links_walk_the_list_and_keep_filters_and_sort(client, world):
    names = [f"成员{i:02d}" for i in range(60)]
    for name in names:
        make_member(world.ha_b1, name=name)
    make_member(world.ha_b1, Status.ACTIVIST, name="积极分子")  # filtered out
    client.force_login(world.user("office"))
    response = _page(client, "?status=full&sort=-name")
    assert response.context["first_url"] is None and response.context["previous_url"] is None
    assert "共 60 人" in response.content.decode()
    seen = _rows(response)
    while response.context["next_url"]:
        assert "status=full" in response.context["next_url"]
        assert "sort=-name" in response.context["next_url"]
        response = _page(client, response.context["next_url"])
        assert response.context["first_url"] is not None
        seen += _rows(response)
    assert seen == sorted(names, reverse=True)
    assert len(_rows(response)) == 10  # 25 + 25 + 10

    back = _rows(_page(client, response.context["previous_url"]))
    assert back == sorted(names, reverse=True)[25:50]
    last = _page(client, "?status=full&sort=-name&cursor=last")
    assert _rows(last) == sorted(names, reverse=True)[35:]  # the last 25
    assert last.context["next_url"] is None and last.context["last_url"] is None


def test_another_hospitals_office_following_a_cursor_sees_only_its_own(client, world):
    for i in range(30):
        make_member(world.ha_b1, name=f"甲院{i:02d}")
    for i in range(3):
        make_member(world.hb_b1, name=f"乙院{i:02d}")
    client.force_login(world.user("office", "A"))
    next_url = _page(client).context["next_url"]
    assert next_url

    client.force_login(world.user("office", "B"))
    response = _page(client, next_url)  # a row B cannot see: B's first page, and why
    assert _rows(response) == [f"乙院{i:02d}" for i in range(3)]
    assert "翻页链接无效或已过期，已显示第一页。" in response.content.decode()
    assert not any(name.startswith("甲院") for name in _rows(_page(client, "?cursor=last")))
    assert _rows(_page(client, "?org=HA")) == []  # another hospital's code: no one


@pytest.mark.parametrize("cursor", ["garbage", encode("n", "", "x"), encode("n", "", 10**9)])
def test_a_bad_cursor_shows_the_first_page_with_a_message(client, world, cursor):
    for i in range(30):
        make_member(world.ha_b1, name=f"成员{i:02d}")
    client.force_login(world.user("office"))
    first = _rows(_page(client))
    response = _page(client, f"?cursor={cursor}")
    assert _rows(response) == first
    assert "翻页链接无效或已过期，已显示第一页。" in response.content.decode()


def test_changing_the_order_on_a_later_page_starts_at_its_first_page(client, world):
    """The column headers keep the query string, the cursor of the old order included."""
    for i in range(30):
        make_member(world.ha_b1, name=f"成员{i:02d}")
    client.force_login(world.user("office"))
    cursor = _page(client).context["next_url"].split("cursor=")[1]
    response = _page(client, f"?sort=-name&cursor={cursor}")
    assert _rows(response) == sorted((f"成员{i:02d}" for i in range(30)), reverse=True)[:25]
    assert "翻页链接无效" not in response.content.decode()


def test_a_good_cursor_shows_no_message(client, world):
    for i in range(30):
        make_member(world.ha_b1, name=f"成员{i:02d}")
    client.force_login(world.user("office"))
    response = _page(client, _page(client).context["next_url"])
    assert len(_rows(response)) == 5
    assert "翻页链接无效" not in response.content.decode()
