"""The secretary and hospital sets and the branch set's new families: what each reads of
the records, and one query per family whatever the number of branches or hospitals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.assessment.levels import hospital_scores, secretary_scores
from dangjian.assessment.rules import parse_period
from dangjian.assessment.scores import branch_scores
from dangjian.honors.models import Honor
from dangjian.meetings.models import Study
from dangjian.orgs.models import CommitteePost, OrgKind
from dangjian.people.models import Person
from tests.assessment.scenario import known_gaps
from tests.factories import add_org, add_seat, make_member

pytestmark = pytest.mark.django_db
Q1, YEAR = parse_period("2024-Q1"), parse_period("2024")


def by_key(entry):
    return {i.key: i for i in entry.indicators}


def test_attendance_and_honours_read_the_records(world):
    known_gaps(world)
    Honor.objects.create(organization=world.ha_b1, category="other", title="院级先进支部",
                         level="hospital", awarded_on=dt.date(2024, 3, 1), awarded_by="院党委")  # fmt: skip
    scored = {s.organization: s for s in branch_scores(world.ha, Q1)}
    good, poor = scored[world.ha_b2], scored[world.ha_b1]
    assert by_key(good)["attendance"].value == 1.0  # everyone present at the assembly and days
    assert by_key(poor)["attendance"].value is None  # no meeting held: nothing to judge
    assert poor.bonus == 1.0 and poor.honours == ["院级先进支部（医院级）"]
    assert by_key(poor)["tasks"].records == ["完成支部品牌创建方案（2024-03-15 到期）"]
    assert by_key(poor)["tasks"].link.endswith(f"?org={world.ha_b1.code}")


def test_the_years_points_are_the_mean_against_the_best_branch(world):
    known_gaps(world)
    for person in Person.objects.filter(organization=world.ha_b2):
        Study.objects.create(person=person, kind="self_study", title="自学",
                             studied_on=dt.date(2024, 5, 1), hours=Decimal("10"))  # fmt: skip
    scored = {s.organization: s for s in branch_scores(world.ha, YEAR)}
    assert by_key(scored[world.ha_b2])["points"].value == 1.0
    assert by_key(scored[world.ha_b1])["points"].value == 0.0
    # The city compares no points: each hospital has its own scheme.
    city = {s.organization: s for s in branch_scores(world.guidance, YEAR)}
    assert by_key(city[world.ha_b2])["points"].value is None


def test_secretaries_are_scored_on_their_branch_and_own_study(world):
    known_gaps(world)
    (entry,) = secretary_scores(world.ha, Q1)  # HA-B1 has no secretary
    branch = next(s for s in branch_scores(world.ha, Q1) if s.organization == world.ha_b2)
    assert entry.organization == world.ha_b2
    assert by_key(entry)["branch"].value == branch.score / 100
    assert by_key(entry)["review"].value is None  # a quarter has no 述职评议
    assert by_key(entry)["study"].value == 0.0
    assert entry.score == round(100 * 50 / 60 * (branch.score / 100), 1)  # (50·b + 10·0) ÷ 60


def test_hospitals_add_up_their_branches(world):
    known_gaps(world)
    scored = {s.organization: s for s in hospital_scores(world.guidance, Q1)}
    assert set(scored) == {world.ha, world.hb}
    ha = by_key(scored[world.ha])
    assert "5 次" in ha["meetings"].detail and ha["tasks"].value == 0.5
    assert ha["service"].value == 0.5 and "2 个支部中 1 个开展了志愿服务" in ha["service"].detail
    assert scored[world.ha].rank == 1


def grow(world, n, start):
    for i in range(start, start + n):
        branch = add_org(world.ha, f"HA-X{i}", OrgKind.BRANCH, f"甲院第{i}党支部")
        person = make_member(branch)
        add_seat(branch, person, CommitteePost.SECRETARY, started_on=dt.date(2020, 1, 1))
        Study.objects.create(person=person, kind="self_study", title="自学",
                             studied_on=dt.date(2024, 2, 1), hours=Decimal("2"))  # fmt: skip
        world.ha.refresh_from_db()


def hospital(world, n):
    from tests.factories import hospital_tree

    for i in range(n):
        hospital_tree(f"HC{i}-{world.guidance.numchild}", guidance=world.guidance)
        world.guidance.refresh_from_db()


@pytest.mark.parametrize(
    ("name", "run"),
    [
        ("branch", lambda w: branch_scores(w.ha, YEAR)),
        ("secretary", lambda w: secretary_scores(w.ha, YEAR)),
        ("hospital", lambda w: hospital_scores(w.guidance, YEAR)),
    ],
)
def test_query_count_does_not_grow(world, name, run):
    known_gaps(world)
    grow(world, 1, 0)
    hospital(world, 1)
    run(world)
    with CaptureQueriesContext(connection) as few:
        run(world)
    grow(world, 4, 1)
    hospital(world, 2)
    world.guidance.refresh_from_db()
    with CaptureQueriesContext(connection) as more:
        assert run(world)
    assert len(more.captured_queries) == len(few.captured_queries), name


def test_a_hospitals_own_honour_counts_for_it(world):
    known_gaps(world)
    Honor.objects.create(organization=world.ha, category="model_hospital", title="示范医院",
                         level="province", awarded_on=dt.date(2024, 2, 1), awarded_by="省卫健委")  # fmt: skip
    scored = {s.organization: s for s in hospital_scores(world.guidance, Q1)}
    assert scored[world.ha].bonus == 3.0 and scored[world.ha].honours == ["示范医院（省级）"]
    assert scored[world.hb].bonus == 0.0


def test_a_branch_scores_the_same_from_its_hospital_and_from_itself(world):
    known_gaps(world)
    for person in Person.objects.filter(organization=world.ha_b2):
        Study.objects.create(person=person, kind="self_study", title="自学",
                             studied_on=dt.date(2024, 5, 1), hours=Decimal("10"))  # fmt: skip
    add_seat(world.ha_b1, Person.objects.filter(organization=world.ha_b1).first(),
             CommitteePost.SECRETARY, started_on=dt.date(2020, 1, 1))  # fmt: skip
    for run in (branch_scores, secretary_scores):
        whole = {s.organization: s for s in run(world.ha, YEAR)}
        (alone,) = run(world.ha_b1, YEAR)
        mine = whole[world.ha_b1]
        assert by_key(alone)["points"].value == by_key(mine)["points"].value == 0.0, run
        assert alone.score == mine.score, run


def test_a_hospitals_awards_to_itself_raise_no_city_score(world):
    known_gaps(world)
    Honor.objects.create(organization=world.ha_b1, category="other", title="院级先进支部",
                         level="hospital", awarded_on=dt.date(2024, 3, 1), awarded_by="院党委")  # fmt: skip
    scored = {s.organization: s for s in hospital_scores(world.guidance, Q1)}
    assert scored[world.ha].bonus == 0.0 and scored[world.ha].honours == []


def test_only_members_study_hours_count(world):
    known_gaps(world)
    before = next(s for s in branch_scores(world.ha, Q1) if s.organization == world.ha_b2)
    outsider = Person.objects.create(organization=world.ha_b2, name="群众甲")
    Study.objects.create(person=outsider, kind="self_study", title="自学",
                         studied_on=dt.date(2024, 2, 1), hours=Decimal("50"))  # fmt: skip
    after = next(s for s in branch_scores(world.ha, Q1) if s.organization == world.ha_b2)
    assert by_key(after)["study"].value == by_key(before)["study"].value
