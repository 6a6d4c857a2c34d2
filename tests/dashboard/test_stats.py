import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.dashboard.stats import compute_stats
from dangjian.orgs.models import CommitteePost, Department, DepartmentCategory, OrgKind
from dangjian.people.models import Employment, Status, StatusPeriod
from dangjian.people.services import move_person
from tests.factories import add_org, add_seat, make_member

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 6, 30)


def _branch(hospital, code, category=None, **extra):
    dept = None
    if category:
        dept = Department.objects.create(hospital=hospital, name=f"{code}科", category=category)
    return add_org(hospital, code, OrgKind.BRANCH, department=dept, **extra)


def _dual_leader(branch, **person):
    secretary = make_member(branch, department=branch.department, is_department_head=True, **person)
    add_seat(branch, secretary, CommitteePost.SECRETARY)
    return secretary


@pytest.fixture
def hospital(db):
    return add_org(None, "H", OrgKind.COMMITTEE, "示例医院党委")


def test_member_figures_count_status_and_employment(hospital):
    branch = _branch(hospital, "B1")
    make_member(branch)
    make_member(branch, employment=Employment.RETIRED)
    make_member(branch, status=Status.PROBATIONARY)
    make_member(branch, status=Status.ACTIVIST)  # not a member yet
    figures = compute_stats(hospital, date_to=DAY)["members"]
    assert figures == {"total": 3, "full": 2, "probationary": 1, "in_service": 2, "retired": 1}


def test_members_are_counted_as_of_the_date(hospital):
    branch = _branch(hospital, "B1")
    person = make_member(branch, status=Status.PROBATIONARY, since=dt.date(2023, 3, 1))
    StatusPeriod.objects.filter(person=person).update(ended_on=dt.date(2024, 3, 1))
    StatusPeriod.objects.create(person=person, status=Status.FULL, started_on=dt.date(2024, 3, 1))
    make_member(branch, since=dt.date(2025, 1, 1))  # joined after the date
    assert compute_stats(hospital, date_to=dt.date(2024, 2, 29))["members"]["probationary"] == 1
    after = compute_stats(hospital, date_to=dt.date(2024, 3, 1))["members"]
    assert after["probationary"] == 0 and after["full"] == 1 and after["total"] == 1


def test_a_moved_member_counts_in_the_new_branch_only_from_the_move(hospital):
    b1, b2 = _branch(hospital, "B1"), _branch(hospital, "B2")
    person = make_member(b1)
    move_person(person, b2, dt.date(2024, 5, 1))
    assert compute_stats(b1, date_to=dt.date(2024, 4, 30))["members"]["total"] == 1
    assert compute_stats(b2, date_to=dt.date(2024, 4, 30))["members"]["total"] == 0
    assert compute_stats(b1, date_to=dt.date(2024, 5, 1))["members"]["total"] == 0
    assert compute_stats(b2, date_to=dt.date(2024, 5, 1))["members"]["total"] == 1
    assert compute_stats(hospital, date_to=DAY)["members"]["total"] == 1  # counted once


def test_branch_and_dual_leader_figures(hospital):
    clinical = _branch(hospital, "C1", DepartmentCategory.CLINICAL)
    _dual_leader(clinical)
    tech = _branch(hospital, "T1", DepartmentCategory.MEDICAL_TECHNICAL)
    not_head = make_member(tech, department=tech.department, is_department_head=False)
    add_seat(tech, not_head, CommitteePost.SECRETARY)
    admin = _branch(hospital, "A1", DepartmentCategory.ADMINISTRATIVE)
    _dual_leader(admin)
    _branch(hospital, "X1", is_temporary=True)  # no department: outside the ratio
    figures = compute_stats(hospital, date_to=DAY)
    assert figures["organizations"] == {"branches": 4, "temporary_branches": 1}
    assert figures["branches"] == {
        "clinical": 2,
        "dual_leader": 2,
        "dual_leader_ratio": pytest.approx(2 / 3),
        "clinical_dual_leader_ratio": 0.5,
    }


def test_secretary_of_another_department_is_not_a_dual_leader(hospital):
    c1 = _branch(hospital, "C1", DepartmentCategory.CLINICAL)
    c2 = _branch(hospital, "C2", DepartmentCategory.CLINICAL)
    head_of_c2 = make_member(c1, department=c2.department, is_department_head=True)
    add_seat(c1, head_of_c2, CommitteePost.SECRETARY)
    assert compute_stats(hospital, date_to=DAY)["branches"]["dual_leader"] == 0


def test_a_deputy_secretary_or_an_ended_seat_does_not_count(hospital):
    c1 = _branch(hospital, "C1", DepartmentCategory.CLINICAL)
    deputy = make_member(c1, department=c1.department, is_department_head=True)
    add_seat(c1, deputy, CommitteePost.DEPUTY_SECRETARY)
    c2 = _branch(hospital, "C2", DepartmentCategory.CLINICAL)
    former = _dual_leader(c2)
    former.seats.update(ended_on=dt.date(2024, 1, 1))
    assert compute_stats(hospital, date_to=DAY)["branches"]["dual_leader"] == 0
    assert compute_stats(hospital, date_to=dt.date(2023, 12, 31))["branches"]["dual_leader"] == 1


def test_dissolved_and_future_branches_are_not_counted(hospital):
    _branch(hospital, "OLD", dissolved_on=dt.date(2024, 1, 1))
    _branch(hospital, "NEW", founded_on=dt.date(2025, 1, 1))
    assert compute_stats(hospital, date_to=DAY)["organizations"]["branches"] == 0
    assert compute_stats(hospital, date_to=dt.date(2023, 12, 31))["organizations"]["branches"] == 1


def test_ratios_over_nothing_are_null(hospital):
    figures = compute_stats(hospital, date_to=DAY)["branches"]
    assert figures["dual_leader_ratio"] is None and figures["clinical_dual_leader_ratio"] is None


def test_stats_take_one_query_per_figure_family(hospital, django_assert_num_queries):
    for i in range(3):
        branch = _branch(hospital, f"C{i}", DepartmentCategory.CLINICAL)
        _dual_leader(branch)
        make_member(branch)
    # members; organisations and branches; development; meetings (organisations, meetings
    # held); dues (the monthly rollup: on time and collected in whole months; arrears);
    # tasks; decisions (decided, consultations, opinions); service (activities, problems)
    with django_assert_num_queries(13):
        compute_stats(hospital, date_to=DAY)
    # A period ending inside a month: its days' payments are read from the payments.
    with django_assert_num_queries(14):
        compute_stats(hospital, date_to=DAY - dt.timedelta(days=10))


def test_stats_command_json_matches_compute_stats(hospital, capsys):
    branch = _branch(hospital, "C1", DepartmentCategory.CLINICAL)
    _dual_leader(branch)
    call_command("stats", "--org", "H", "--to", "2024-06-30", "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(compute_stats(hospital, date_to=DAY)))
    assert printed["members"]["total"] == 1 and printed["branches"]["dual_leader_ratio"] == 1.0


def test_stats_command_text_is_chinese(hospital, capsys):
    call_command("stats", "--org", "H")
    out = capsys.readouterr().out
    assert "党员总数：0" in out and "“双带头人”比例：—" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "NOPE"], "组织编码不存在"),
        (["--org", "H", "--to", "2024-13-01"], "日期格式"),
        (["--org", "H", "--from", "2024-06-01", "--to", "2024-05-01"], "开始日期不能晚于结束日期"),
    ],
)
def test_stats_command_refuses_bad_input(hospital, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("stats", *args)
