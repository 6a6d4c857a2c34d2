"""The dashboard's and the stats API's figures are cached per data version
(core.datacache): served from the cache between writes, and never stale after one,
whichever table the write touches. Outside a test transaction, as in production."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.core.datacache import unit_versions
from dangjian.dues.models import DuesPayment
from dangjian.gendata.services import generate
from dangjian.meetings.models import Meeting, MeetingKind, MeetingStatus
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.services import create_organization
from dangjian.people.models import Person
from tests.factories import api_auth, make_user

pytestmark = pytest.mark.django_db(transaction=True)
CITY = "0001"  # the generated city's path


@pytest.fixture
def city():
    cache.clear()
    generate(1, years=1, seed=11)
    user = make_user("cache-guidance", Role.GUIDANCE, Organization.objects.get(code="GEN"))
    client = Client()
    yield client, api_auth(client, user)
    cache.clear()


def _stats(client, auth) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/stats?org=GEN", **auth)
    assert response.status_code == 200
    return response.json(), len(ctx.captured_queries)


def test_a_second_read_is_served_from_the_cache(city):
    client, auth = city
    first, cold = _stats(client, auth)
    again, warm = _stats(client, auth)
    assert again == first
    assert warm < cold


def test_a_filed_meeting_and_a_payment_show_at_once(city):
    client, auth = city
    before, _ = _stats(client, auth)
    _stats(client, auth)  # cached now
    branch = Organization.objects.filter(kind=OrgKind.BRANCH, code__startswith="GEN-H001").first()
    today = timezone.localdate()
    Meeting.objects.create(
        organization=branch, kind=MeetingKind.PARTY_LECTURE, topic="党课", planned_on=today,
        held_on=today, status=MeetingStatus.FILED,
    )  # fmt: skip
    meetings, _ = _stats(client, auth)
    held = "held_" + MeetingKind.PARTY_LECTURE
    assert meetings["meetings"][held] == before["meetings"][held] + 1

    person = Person.objects.filter(organization=branch).first()
    DuesPayment.objects.create(
        person=person, organization=branch, paid_on=today, total=Decimal("12.50"), method="cash"
    )
    paid, _ = _stats(client, auth)
    collected = Decimal(str(paid["dues"]["collected"])) - Decimal(str(before["dues"]["collected"]))
    assert collected == Decimal("12.50")
    assert paid["meetings"][held] == meetings["meetings"][held]


def test_a_rolled_back_write_leaves_the_figures_and_nothing_is_cached_inside_one(city):
    client, auth = city
    before, _ = _stats(client, auth)
    city = Organization.objects.get(code="GEN").path
    version = unit_versions(city)
    branch = Organization.objects.filter(kind=OrgKind.BRANCH).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        Organization.objects.filter(pk=branch.pk).update(name="改名的支部")
        assert unit_versions(city) is None  # inside a transaction the cache is bypassed
        raise RuntimeError
    assert unit_versions(city) == version
    assert _stats(client, auth)[0] == before


def test_the_dashboard_page_shows_a_new_branch_at_once(city):
    """The hospital comparison and the cards are cached too, and follow a new branch."""
    client, _ = city
    client.force_login(User.objects.get(username="cache-guidance"))

    def branches() -> tuple[int, str]:
        context = client.get("/dashboard/?org=GEN").context
        card = next(c for c in context["cards"] if c["key"] == "organizations.branches")
        return context["children"][0].branch_count, card["value"]

    first = branches()
    assert branches() == first  # served from the cache
    hospital = Organization.objects.get(code="GEN-H001")
    create_organization(
        hospital, code="GEN-H001-NEW", name="新建党支部", kind=OrgKind.BRANCH,
        founded_on=timezone.localdate() - dt.timedelta(days=1),
    )  # fmt: skip
    count, card = branches()
    assert count == first[0] + 1
    assert card != first[1]


def test_one_reader_recomputes_after_a_write_while_the_others_get_the_last_value(city):
    """Single flight (issue 15): while a figure is being recomputed after a write, other
    readers get its last value; once the recompute is stored, everyone gets the new one."""
    from dangjian.core import datacache

    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value

        return run

    assert (
        datacache.cached_value("probe", ("GEN",), path=CITY, compute=compute("before")) == "before"
    )
    Person.objects.update(phone="")  # any write to the watched tables: a new version
    # Another worker holds the recompute: this reader gets the last value, computing nothing.
    figure = datacache.figure_key("probe", ("GEN",))
    cache.add(f"{figure}:computing", 1, 60)
    assert (
        datacache.cached_value("probe", ("GEN",), path=CITY, compute=compute("after")) == "before"
    )
    assert calls == ["before"]
    # The recompute ends (its lock goes): the next reader computes and stores the new value.
    cache.delete(f"{figure}:computing")
    assert datacache.cached_value("probe", ("GEN",), path=CITY, compute=compute("after")) == "after"
    assert datacache.cached_value("probe", ("GEN",), path=CITY, compute=compute("again")) == "after"
    assert calls == ["before", "after"]


def test_with_no_last_value_a_reader_computes_even_while_another_does(city):
    from dangjian.core import datacache

    figure = datacache.figure_key("fresh", ("GEN",))
    cache.add(f"{figure}:computing", 1, 60)
    assert datacache.cached_value("fresh", ("GEN",), lambda: "computed", CITY) == "computed"
    assert cache.get(f"{figure}:computing") is not None  # another's lock is left alone
