"""A city's figures are the sum of its hospitals' cached parts (orgs.figures, issue 15).

The property: after any sequence of writes in random hospitals — through the ORM, bulk
updates or raw SQL, moving people and branches between hospitals — every figure the
dashboard and the stats API show, for the city and for each hospital, equals the same
figure computed from scratch (inside a transaction, where nothing is cached); and a write
in one hospital leaves the other hospitals' versions, hence their cached parts, alone.
The rollup of bills and payments per organisation and month, kept by triggers, equals the bills
themselves after the same writes. Runs on SQLite and PostgreSQL (`make test` runs the suite on both)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.datacache import UNIT_CHARS, unit_versions
from dangjian.dashboard.queries import branches_by_category, comparison, unit_comparison
from dangjian.dashboard.stats import compute_stats
from dangjian.decisions.models import (
    ExpertConsultation,
    MajorMatter,
    MatterStatus,
    OpinionSolicitation,
)
from dangjian.development.models import DevelopmentStep
from dangjian.development.steps import StepCode
from dangjian.dues.models import DuesBill, DuesMonthTotal, DuesPayment
from dangjian.gendata.services import generate
from dangjian.meetings.models import Meeting, MeetingKind, MeetingStatus
from dangjian.meetings.queries import meeting_report
from dangjian.orgs.models import Department, DepartmentCategory, Organization, OrgKind
from dangjian.orgs.services import create_organization
from dangjian.people.models import Membership, Person, StatusPeriod
from dangjian.service.models import Problem, ServiceActivity
from dangjian.tasks.models import WorkTask
from tests.factories import add_org

pytestmark = pytest.mark.django_db(transaction=True)
HOSPITALS = 3


def test_a_unit_is_the_hospital_path_of_its_organisations(db):
    assert UNIT_CHARS == 2 * Organization.steplen
    city = add_org(None, "C", OrgKind.GUIDANCE_COMMITTEE)
    hospital = add_org(city, "H", OrgKind.COMMITTEE)
    branch = add_org(hospital, "B", OrgKind.BRANCH)
    assert branch.hospital_path == hospital.path == branch.path[:UNIT_CHARS]
    assert city.hospital_path == city.path[:UNIT_CHARS]


@pytest.fixture
def city():
    cache.clear()
    generate(HOSPITALS, years=1, seed=5)
    yield Organization.objects.get(code="GEN")
    cache.clear()


def _shown(org: Organization, start: dt.date, day: dt.date) -> dict:
    """Everything the dashboard and the stats API show for `org`."""
    report = meeting_report(org.path, start, day)
    stats = compute_stats(org, start, day, meetings=report)
    children = [
        (c.code, c.member_count, c.branch_count, c.linked_count, c.dual_count, c.compliance_ratio)
        for c in comparison(org, start, day, report)
    ]
    shown = {
        "stats": stats,
        "children": children,
        "categories": branches_by_category(org.path, day),
    }
    if len(org.path) < UNIT_CHARS:  # a page of the children, as the dashboard reads it
        some = list(Organization.objects.get_children(org).order_by("path"))[1:]
        page = [
            (
                c.code,
                c.member_count,
                c.branch_count,
                c.linked_count,
                c.dual_count,
                c.compliance_ratio,
            )
            for c in unit_comparison(org, start, day, some)
        ]
        assert page == children[1:]
    return shown


def _from_scratch(org, start, day) -> dict:
    with transaction.atomic():  # nothing is read from or written to the cache in here
        assert unit_versions(org.path) is None
        return _shown(org, start, day)


def _pick(data, rows: list):
    """One of `rows`. Drawn as a number, not with sampled_from: the rows change as the
    writes accumulate, and hypothesis wants the same draws for the same choices."""
    return rows[data.draw(st.integers(0, 10**6)) % len(rows)]


def _hospital(data) -> Organization:
    return _pick(data, list(Organization.objects.filter(depth=2).order_by("path")))


def _branch(data, hospital) -> Organization:
    branches = Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=hospital.path)
    return _pick(data, list(branches.order_by("path")))


def _person(data, hospital) -> Person:
    people = Person.objects.filter(organization__path__startswith=hospital.path).order_by("pk")
    return _pick(data, list(people[:40]))


def _pay(data, hospital, today):
    """A member pays their oldest unpaid bill (on time or not)."""
    bill = (
        DuesBill.objects.filter(person__organization__path__startswith=hospital.path)
        .filter(paid_by__isnull=True, amount__gt=0)
        .order_by("month", "pk")
        .first()
    )
    if bill is None:
        return
    payment = DuesPayment.objects.create(
        person=bill.person, organization=bill.organization, paid_on=today, total=bill.amount,
        method="cash",
    )  # fmt: skip
    on_time = data.draw(st.booleans())
    DuesBill.objects.filter(pk=bill.pk).update(paid_by=payment, paid_on_time=on_time)


def _file_meeting(data, hospital, today):
    kind = data.draw(st.sampled_from([MeetingKind.PARTY_LECTURE, MeetingKind.GROUP_MEETING]))
    held = today - dt.timedelta(days=data.draw(st.integers(0, 200)))
    Meeting.objects.create(
        organization=_branch(data, hospital), kind=kind, topic="学习", planned_on=held,
        held_on=held, status=MeetingStatus.FILED,
    )  # fmt: skip


def _delete_meeting(data, hospital, today):
    meeting = Meeting.objects.filter(organization__path__startswith=hospital.path).first()
    if meeting is not None:
        meeting.delete()


def _transfer(data, hospital, today):
    """A member moves to a branch of another (or the same) hospital: bulk updates."""
    person = _person(data, hospital)
    target = _branch(data, _hospital(data))
    Membership.objects.filter(person=person, ended_on__isnull=True).update(organization=target)
    Person.objects.filter(pk=person.pk).update(organization=target)


def _leave(data, hospital, today):
    """A member's status ends yesterday (raw SQL: no ORM, no signal)."""
    period = (
        StatusPeriod.objects.filter(
            person__organization__path__startswith=hospital.path, ended_on__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if period is not None:
        table = StatusPeriod._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET ended_on = %s WHERE id = %s",
                [today - dt.timedelta(days=1), period.pk],
            )


def _new_branch(data, hospital, today):
    n = Organization.objects.count()
    create_organization(
        hospital, code=f"NEW-{n}", name=f"新支部{n}", kind=OrgKind.BRANCH,
        founded_on=today - dt.timedelta(days=30),
    )  # fmt: skip


def _move_branch(data, hospital, today):
    """A branch moves to another hospital (treebeard rewrites its subtree's paths)."""
    branch = _branch(data, hospital)
    target = _hospital(data)
    if not branch.path.startswith(target.path):
        Organization.objects.move(branch, target, "sorted-child")


def _recategorise(data, hospital, today):
    category = data.draw(st.sampled_from(DepartmentCategory.values))
    department = Department.objects.filter(hospital=hospital).order_by("pk").first()
    if department is not None:
        Department.objects.filter(pk=department.pk).update(category=category)


def _apply(data, hospital, today):
    person = _person(data, hospital)
    DevelopmentStep.objects.create(
        person=person, organization=person.organization, code=StepCode.APPLICATION, done_on=today,
        effective_on=today - dt.timedelta(days=data.draw(st.integers(0, 100))),
    )  # fmt: skip


def _change_amount(data, hospital, today):
    bill = DuesBill.objects.filter(organization__path__startswith=hospital.path).first()
    DuesBill.objects.filter(pk=bill.pk).update(amount=bill.amount + Decimal("1.00"))


def _delete_bills(data, hospital, today):
    """A bulk delete of a branch's bills of one month."""
    bill = DuesBill.objects.filter(organization__path__startswith=hospital.path).first()
    DuesBill.objects.filter(organization=bill.organization, month=bill.month).delete()


def _rebill(data, hospital, today):
    """Bills corrected to another branch and, for some, another month (bulk update)."""
    bills = DuesBill.objects.filter(organization__path__startswith=hospital.path)
    ids = list(bills.order_by("pk").values_list("pk", flat=True)[:5])
    target = _branch(data, _hospital(data))
    DuesBill.objects.filter(pk__in=ids).update(organization=target)
    if data.draw(st.booleans()):
        january = dt.date(today.year, 1, 1)
        free = bills.exclude(person__dues_bills__month=january).order_by("pk").first()
        if free is not None:
            DuesBill.objects.filter(pk=free.pk).update(month=january)


def _days_ago(data, today) -> dt.date:
    return today - dt.timedelta(days=data.draw(st.integers(0, 200)))


def _close_task(data, hospital, today):
    task = WorkTask.objects.filter(responsible_org__path__startswith=hospital.path).first()
    WorkTask.objects.filter(pk=task.pk).update(closed_on=_days_ago(data, today), state="closed")


def _reassign_task(data, hospital, today):
    """A task's responsible organisation becomes a branch of another (or the same) hospital."""
    task = WorkTask.objects.filter(responsible_org__path__startswith=hospital.path).first()
    WorkTask.objects.filter(pk=task.pk).update(responsible_org=_branch(data, _hospital(data)))


def _decide_matter(data, hospital, today):
    matter = MajorMatter.objects.filter(organization__path__startswith=hospital.path).first()
    status = data.draw(st.sampled_from(MatterStatus.values))
    MajorMatter.objects.filter(pk=matter.pk).update(
        status=status, decided_on=_days_ago(data, today)
    )


def _consult(data, hospital, today):
    """An expert consultation held, or a round of opinions received (raw SQL deletes one)."""
    matter = MajorMatter.objects.filter(organization__path__startswith=hospital.path).last()
    if data.draw(st.booleans()):
        ExpertConsultation.objects.create(
            matter=matter, held_on=_days_ago(data, today), panel="专家组", experts=5
        )
    else:
        OpinionSolicitation.objects.create(
            matter=matter, solicited_on=_days_ago(data, today), audience="职工", opinions=7
        )
    with connection.cursor() as cursor:
        table = ExpertConsultation._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE id = (SELECT min(id) FROM {table})")


def _serve(data, hospital, today):
    """A service activity held (or one moved to another organisation by raw SQL), and a
    problem found, then resolved or moved."""
    ServiceActivity.objects.create(
        organization=_branch(data, hospital), kind="clinic", title="义诊",
        held_on=_days_ago(data, today), people_served=data.draw(st.integers(0, 300)),
    )  # fmt: skip
    found = _days_ago(data, today)
    problem = Problem.objects.create(
        organization=_branch(data, hospital), title="候诊时间长", source="patient",
        found_on=found, deadline=found + dt.timedelta(days=data.draw(st.integers(0, 20))),
    )  # fmt: skip
    if data.draw(st.booleans()):
        resolved = min(today, found + dt.timedelta(days=data.draw(st.integers(0, 40))))
        Problem.objects.filter(pk=problem.pk).update(resolved_on=resolved, resolution="已改进")
    else:
        with connection.cursor() as cursor:
            table = ServiceActivity._meta.db_table
            cursor.execute(
                f"UPDATE {table} SET organization_id = %s WHERE id = (SELECT min(id) FROM {table})",
                [_branch(data, _hospital(data)).pk],
            )


WRITES = [
    _pay, _file_meeting, _delete_meeting, _transfer, _leave, _new_branch, _move_branch,
    _recategorise, _apply, _change_amount, _delete_bills, _rebill, _close_task,
    _reassign_task, _decide_matter, _consult, _serve,
]  # fmt: skip
# Writes whose rows belong to the hospital drawn only (no move to another hospital).
LOCAL_WRITES = [
    _pay, _file_meeting, _delete_meeting, _leave, _new_branch, _apply, _change_amount,
    _close_task, _decide_matter,
]  # fmt: skip


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_merged_figures_equal_a_computation_from_scratch_after_random_writes(city, data):
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    hospitals = list(Organization.objects.filter(depth=2).order_by("path"))
    for org in [city, *hospitals]:
        _shown(org, start, today)  # the parts are cached now
    for _ in range(data.draw(st.integers(1, 3))):
        write = data.draw(st.sampled_from(WRITES))
        write(data, _hospital(data), today)
    for org in [city, *Organization.objects.filter(depth=2).order_by("path")]:
        assert _shown(org, start, today) == _from_scratch(org, start, today), org.code
    assert _rollup() == _bills_by_month()


def _rollup() -> dict:
    rows = DuesMonthTotal.objects.values_list(
        "organization_id", "month", "due", "on_time", "collected"
    )
    return {
        "bills": {(o, m): (due, on_time) for o, m, due, on_time, _ in rows if due or on_time},
        "collected": {(o, m): collected for o, m, _, _, collected in rows if collected},
    }


def _bills_by_month() -> dict:
    """The rollup computed from the bills and payments themselves."""
    rows = (
        DuesBill.objects.filter(amount__gt=0)
        .values_list("organization_id", "month")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(paid_on_time=True)))
    )
    bills = {(org, month): (due, on_time) for org, month, due, on_time in rows}
    collected = {}
    payments = DuesPayment.objects.values_list("organization_id", "paid_on", "total")
    for org, paid_on, total in payments:
        key = (org, paid_on.replace(day=1))
        collected[key] = collected.get(key, 0) + total
    return {"bills": bills, "collected": collected}


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_write_in_one_hospital_leaves_the_others_versions(city, data):
    hospital = _hospital(data)
    before = unit_versions(city.path)
    data.draw(st.sampled_from(LOCAL_WRITES))(data, hospital, timezone.localdate())
    after = unit_versions(city.path)
    changed = {unit for unit in after if after[unit] != before.get(unit)}
    assert changed <= {hospital.path}


def test_a_warm_city_after_a_write_recomputes_only_that_hospitals_part(city):
    """One small query per figure family for the written hospital, not the city's."""
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    _shown(city, start, today)
    hospital = Organization.objects.get(code="GEN-H002")
    Meeting.objects.create(
        organization=Organization.objects.filter(
            kind=OrgKind.BRANCH, path__startswith=hospital.path
        ).first(),
        kind=MeetingKind.PARTY_LECTURE, topic="党课", planned_on=today, held_on=today,
        status=MeetingStatus.FILED,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        shown = _shown(city, start, today)
    assert shown == _from_scratch(city, start, today)
    other = Organization.objects.get(code="GEN-H001").path
    computed = [q["sql"] for q in ctx.captured_queries if "dangjian_unit_version" not in q["sql"]]
    assert computed, "the written hospital's parts are computed again"
    assert all(other not in sql for sql in computed)
    assert any(hospital.path in sql for sql in computed)


def test_every_table_the_figures_read_has_its_version_triggers(db):
    """A migration that rebuilds a table (SQLite does for many column changes) drops its
    triggers; this names any table left without them."""
    from importlib import import_module

    units = import_module("dangjian.orgs.migrations.0004_unit_versions")
    later = import_module("dangjian.orgs.migrations.0005_task_decision_versions")
    service = import_module("dangjian.service.migrations.0002_unit_versions")
    tables = [*units.SOURCES, later.TASKS, later.MATTERS, *later.BY_MATTER, *service.TABLES]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'uv%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
    missing = [
        f"uv_{table}_{op}"
        for table in tables
        for op in ("insert", "update", "delete")
        if f"uv_{table}_{op}" not in present
    ]
    assert missing == []
