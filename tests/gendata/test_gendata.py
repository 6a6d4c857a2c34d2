"""`dangjian gen-data`: the city's shape, determinism per seed, refusal of a second run,
and data the app's own reads accept (SPEC.md §4)."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from dangjian.dashboard.stats import compute_stats
from dangjian.decisions.models import MajorMatter
from dangjian.dues.models import DuesBill
from dangjian.gendata.services import generate
from dangjian.meetings.models import Attendance, Meeting
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person
from dangjian.tasks.models import WorkTask

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 30)


class Rollback(Exception):
    pass


def _signature() -> dict:
    return {
        "orgs": list(Organization.objects.order_by("path").values_list("code", "name", "path")),
        "people": list(
            Person.objects.order_by("pk").values_list(
                "name", "birth_date", "id_digest", "organization__code", "is_department_head"
            )
        ),
        "meetings": Meeting.objects.count(),
        "attendance": list(Attendance.objects.order_by("pk").values_list("state", flat=True)),
        "bills": DuesBill.objects.filter(paid_by__isnull=True).count(),
        "tasks": list(WorkTask.objects.order_by("pk").values_list("title", "due_on", "state")),
        "matters": list(MajorMatter.objects.order_by("pk").values_list("title", "status")),
    }


def _generated(seed: int) -> dict:
    """Generate, read the result, and roll it all back."""
    result = {}
    try:
        with transaction.atomic():
            generate(2, years=2, seed=seed, today=DAY)
            result.update(_signature())
            raise Rollback
    except Rollback:
        pass
    assert not Organization.objects.filter(code="GEN").exists()
    return result


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    first, again, other = _generated(7), _generated(7), _generated(8)
    assert first == again
    assert first["people"] != other["people"]


def test_shape_scales_with_the_hospitals():
    counts = generate(3, years=2, seed=1, today=DAY)
    assert [
        o.code for o in Organization.objects.get_children(Organization.objects.get(code="GEN"))
    ] == [
        "GEN-H001",
        "GEN-H002",
        "GEN-H003",
    ]
    branches = Organization.objects.filter(kind=OrgKind.BRANCH).count()
    assert 60 <= branches <= 85  # 2,066 × 3 / 87 ≈ 71
    stats = compute_stats(Organization.objects.get(code="GEN"), date_to=DAY)
    assert 760 <= stats["members"]["total"] <= 920  # 24,411 × 3 / 87 ≈ 842
    assert stats["organizations"]["branches"] == branches
    assert 0.5 < stats["branches"]["dual_leader_ratio"] < 1
    assert 0.7 < stats["meetings"]["compliance_ratio"] < 1
    assert stats["dues"]["collected"] > 0 and 0.7 < stats["dues"]["on_time_rate"] < 1
    assert stats["tasks"]["total"] > 0 and stats["decisions"]["total"] > 0
    assert counts["dues.DuesBill"] > 10 * stats["members"]["total"]
    # The tree is consistent for treebeard: numchild and depth match the paths.
    for org in Organization.objects.all():
        assert (
            org.numchild
            == Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        ), org.code
        assert org.depth == len(org.path) // Organization.steplen
    person = Person.objects.order_by("pk").first()
    assert len(person.id_number) == 18 and person.phone.startswith("19")


def test_check_runs_on_the_generated_city():
    generate(1, years=1, seed=3, today=DAY)
    out = io.StringIO()
    call_command("check", "--org", "GEN-H001", "--json", stdout=out)
    assert out.getvalue().startswith("[")


def test_a_second_run_is_refused_and_changes_nothing():
    call_command("gen-data", "--hospitals", "1", "--years", "1", stdout=io.StringIO())
    people = Person.objects.count()
    with pytest.raises(CommandError, match="GEN"):
        call_command("gen-data", "--hospitals", "1", "--years", "1", stdout=io.StringIO())
    assert Person.objects.count() == people
    with pytest.raises(CommandError):
        call_command("gen-data", "--hospitals", "0", stdout=io.StringIO())


def test_a_province_is_allowed_and_beyond_the_limit_is_refused():
    """Issue 15: a province of 1,000 hospitals; the limit is named in the message."""
    from dangjian.gendata.services import MAX_HOSPITALS

    assert MAX_HOSPITALS >= 1000
    with pytest.raises(CommandError, match=str(MAX_HOSPITALS)):
        call_command("gen-data", "--hospitals", str(MAX_HOSPITALS + 1), stdout=io.StringIO())
    assert not Person.objects.exists()


def _schema() -> set:
    """Every constraint and index of every table, as introspection reports them."""
    from django.db import connection

    with connection.cursor() as cursor:
        introspection = connection.introspection
        return {
            (table, name, tuple(c["columns"]), c["unique"], c["index"], c["foreign_key"])
            for table in introspection.table_names(cursor)
            for name, c in introspection.get_constraints(cursor, table).items()
        }


def test_every_key_index_and_trigger_is_in_place_after_a_generation():
    """On PostgreSQL the writer drops the foreign keys and secondary indexes of the tables
    it loads and disables their version triggers; all come back, and every unit has a new
    version."""
    before = _schema()
    assert any(c[5] for c in before) and any(c[4] and not c[3] for c in before)
    generate(2, years=1, seed=3, today=DAY)
    assert _schema() == before
    city = Organization.objects.get(code="GEN")
    hospitals = Organization.objects.filter(depth=2).order_by("path")
    versions = _versions(city.path)
    assert set(versions) == {city.path, *(h.path for h in hospitals)}
    Meeting.objects.filter(organization__path__startswith=hospitals[1].path).first().delete()
    after = _versions(city.path)  # the triggers are on again: one hospital's version moves
    assert {u for u in after if after[u] != versions[u]} == {hospitals[1].path}


def _versions(path: str) -> dict:
    """The version rows under `path`, read directly (core.datacache reads none inside the
    test's transaction)."""
    from django.db import connection

    from dangjian.core.datacache import VERSION_TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit, n FROM {VERSION_TABLE} WHERE unit LIKE %s", [path + "%"])
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_a_row_pointing_nowhere_fails_the_generation_and_leaves_nothing(monkeypatch):
    """The keys checked once at the end still refuse a dangling reference: the whole
    generation rolls back."""
    from django.db import IntegrityError

    from dangjian.gendata.ledger import LedgerBuilder
    from dangjian.tasks.models import TaskProgress

    build = LedgerBuilder.build

    def build_with_a_dangling_row(self):
        build(self)
        self.progress.add(10**9, DAY, "无此任务", 0)

    monkeypatch.setattr(LedgerBuilder, "build", build_with_a_dangling_row)
    schema = _schema()
    with pytest.raises(IntegrityError):
        generate(1, years=1, seed=3, today=DAY)
    assert not Organization.objects.exists() and not TaskProgress.objects.exists()
    assert _schema() == schema


@pytest.mark.django_db(transaction=True)
def test_a_generation_leaves_postgresql_vacuumed():
    """After the commit the loaded tables are vacuumed (so autovacuum does not work
    through them while they are first read); SQLite has nothing to do."""
    from django.db import connection

    generate(1, years=1, seed=3, today=DAY)
    assert Organization.objects.filter(code="GEN").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NULL "
                "AND relname IN ('dues_duesbill', 'meetings_attendance', 'people_person')"
            )
            assert cursor.fetchall() == []
