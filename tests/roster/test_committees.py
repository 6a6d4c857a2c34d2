"""The roster's optional 委员 sheet (issue 16): every committee at once — a hospital's
党委班子 drawn from its branches, a general branch's, a branch's 支委 — checked cell by
cell like the other sheets, idempotent, and written back by the export."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import CommitteeSeat, Organization
from dangjian.roster.format import COMMITTEE_HEADERS, PERSON_HEADERS
from dangjian.roster.services import export_roster, import_roster

from .builder import (
    person_id,
    person_name,
    person_row,
    read_sheets,
    seat_row,
    small_hospital,
    write_roster,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def people() -> list[dict]:
    """Full members across the hospital, one probationary, one in the hospital's office."""
    return [
        person_row(1, "H1-B1", 党内职务="书记"),
        person_row(2, "H1-B1"),
        person_row(3, "H1-B2"),
        person_row(4, "H1-B2", "预备党员"),
        person_row(5, "H1-G1", 党内职务="书记"),
        person_row(6, "H1-B1-1"),
        person_row(7, "H1-T1"),
        person_row(8, "H1", 党内职务="书记", 行政职务="党委书记"),
    ]


def committee() -> list[dict]:
    """Seed 000's 班子 shape (书记 1, 副书记 2, 委员 2) and a general branch's 书记."""
    return [
        seat_row("H1", 8, "书记"),
        seat_row("H1", 2, "副书记"),
        seat_row("H1", 3, "副书记"),
        seat_row("H1", 5, "委员"),
        seat_row("H1", 6, "委员", "2024-01-15"),
        seat_row("H1-G1", 5, "书记"),
    ]


def roster(tmp_path, seats=None, persons=None, orgs=None, name="r.xlsx"):
    return write_roster(
        tmp_path / name,
        small_hospital() if orgs is None else orgs,
        people() if persons is None else persons,
        seats=seats,
    )


def open_seats(code: str) -> list[tuple]:
    return sorted(
        CommitteeSeat.objects.filter(organization__code=code, ended_on__isnull=True).values_list(
            "person__name", "post", "started_on"
        )
    )


def nothing_written():
    return not Organization.objects.exists() and not CommitteeSeat.objects.exists()


# -- a good sheet ---------------------------------------------------------------------------
def test_the_sheet_seats_a_hospital_committee_drawn_from_its_branches(tmp_path):
    report = import_roster(roster(tmp_path, committee()))
    assert report.ok, report.errors
    assert report.committee_rows == 6 and report.seats_opened == 7  # and B1's 书记 (人员)
    assert report.summary().endswith("；委员 任职 7、离任 0")
    june = dt.date(2023, 6, 1)
    assert open_seats("H1") == sorted(
        [
            (person_name(8), "secretary", june),
            (person_name(2), "deputy_secretary", june),
            (person_name(3), "deputy_secretary", june),
            (person_name(5), "member", june),
            (person_name(6), "member", dt.date(2024, 1, 15)),
        ]
    )
    assert open_seats("H1-G1") == [(person_name(5), "secretary", june)]
    # The 人员 sheet's 党内职务 still gives a branch its secretary (from the term's start).
    assert open_seats("H1-B1") == [(person_name(1), "secretary", dt.date(2024, 2, 29))]
    assert AuditEntry.objects.get(action="roster.import").summary["seats_opened"] == 7


def test_a_reimport_of_the_same_workbook_changes_nothing(tmp_path):
    path = roster(tmp_path, committee())
    import_roster(path)
    before = sorted(CommitteeSeat.objects.values_list("pk", "post", "started_on", "ended_on"))
    report = import_roster(path)
    assert report.ok, report.errors
    assert (report.seats_opened, report.seats_ended, report.seats_redated) == (0, 0, 0)
    assert (report.people_updated, report.people_unchanged) == (0, 8)
    assert sorted(CommitteeSeat.objects.values_list("pk", "post", "started_on", "ended_on")) == (
        before
    )


def test_the_sheet_is_the_one_source_for_the_organisations_it_names(tmp_path):
    """A seat of a named organisation left out of the sheet ends on the import date; a
    changed post ends one seat and opens another; a changed date corrects the seat; the
    organisations the sheet does not name keep their committee."""
    import_roster(roster(tmp_path, committee()))
    seats = committee()
    del seats[4]  # person 6 leaves the 党委
    seats[1]["党内职务"] = "纪检委员"  # person 2: 副书记 → 纪检委员
    seats[3]["任职日期"] = "2023-07-01"  # person 5's 委员 seat: a corrected date
    seats = [s for s in seats if s["组织编码"] == "H1"]  # H1-G1 left out: kept as it is
    report = import_roster(roster(tmp_path, seats, name="edited.xlsx"))
    assert report.ok, report.errors
    assert (report.seats_opened, report.seats_ended, report.seats_redated) == (1, 2, 1)
    assert report.people_updated == 3  # persons 2, 5 and 6
    assert open_seats("H1") == sorted(
        [
            (person_name(8), "secretary", dt.date(2023, 6, 1)),
            (person_name(2), "discipline", dt.date(2023, 6, 1)),
            (person_name(3), "deputy_secretary", dt.date(2023, 6, 1)),
            (person_name(5), "member", dt.date(2023, 7, 1)),
        ]
    )
    ended = CommitteeSeat.objects.filter(organization__code="H1", ended_on=TODAY())
    assert sorted(ended.values_list("person__name", "post")) == [
        (person_name(2), "deputy_secretary"),
        (person_name(6), "member"),
    ]
    assert open_seats("H1-G1") == [(person_name(5), "secretary", dt.date(2023, 6, 1))]
    assert open_seats("H1-B1") == [(person_name(1), "secretary", dt.date(2024, 2, 29))]


@pytest.mark.parametrize("seats", [None, []], ids=["no sheet", "header only"])
def test_an_absent_or_empty_sheet_leaves_every_committee_alone(tmp_path, seats):
    import_roster(roster(tmp_path, committee()))
    before = sorted(CommitteeSeat.objects.values_list("pk", "post", "started_on", "ended_on"))
    report = import_roster(roster(tmp_path, seats, name="again.xlsx"))
    assert report.ok and (report.seats_opened, report.seats_ended) == (0, 0)
    assert report.people_unchanged == 8
    assert sorted(CommitteeSeat.objects.values_list("pk", "post", "started_on", "ended_on")) == (
        before
    )


def test_a_committee_alone_for_people_already_registered(tmp_path):
    """Only the 委员 sheet filled: the people are found by their ID numbers in the
    database, where they stand after the import."""
    import_roster(roster(tmp_path))
    seats = [seat_row("H1", 8, "书记", 姓名=""), seat_row("H1", 7, "组织委员")]
    report = import_roster(write_roster(tmp_path / "c.xlsx", [], [], seats=seats))
    assert report.ok, report.errors
    assert report.summary() == (  # person 8 is the 书记 already, by the 人员 sheet
        "导入完成：党组织 新增 0、更新 0；人员 新增 0、更新 0、未变 0；委员 任职 1、离任 0"
    )
    assert sorted(post for _, post, _ in open_seats("H1")) == ["organization", "secretary"]
    # A new 书记 by the same sheet replaces the one it no longer lists.
    seats = [seat_row("H1", 3, "书记", "2025-01-01")]
    report = import_roster(write_roster(tmp_path / "d.xlsx", [], [], seats=seats))
    assert (report.seats_opened, report.seats_ended) == (1, 2)
    assert open_seats("H1") == [(person_name(3), "secretary", dt.date(2025, 1, 1))]


def test_a_seat_held_by_someone_who_moves_within_the_subtree_stays(tmp_path):
    import_roster(roster(tmp_path, committee()))
    moved = people()
    moved[1]["所在组织编码"] = "H1-B2"  # person 2, 副书记 of the 党委, changes branch
    report = import_roster(roster(tmp_path, persons=moved, name="moved.xlsx"))
    assert report.ok and (report.seats_opened, report.seats_ended) == (0, 0)
    assert (person_name(2), "deputy_secretary", dt.date(2023, 6, 1)) in open_seats("H1")


def test_the_people_sheet_may_name_a_plain_committee_member(tmp_path):
    """委员 (a member without a portfolio) is a 党内职务 label of the 人员 sheet too."""
    persons = people()
    persons[1]["党内职务"] = "委员"
    assert import_roster(roster(tmp_path, persons=persons)).ok
    assert (person_name(2), "member", dt.date(2024, 2, 29)) in open_seats("H1-B1")


def test_dry_run_counts_the_seats_and_writes_nothing(tmp_path):
    report = import_roster(roster(tmp_path, committee()), dry_run=True)
    assert report.ok and report.seats_opened == 7
    assert report.summary().startswith("试导入（未写入）") and nothing_written()


# -- bad cells: one line each, nothing written ----------------------------------------------
def _seat(i, **cells):
    def edit(persons, seats):
        seats[i].update(cells)

    return edit


def _add_seat(row):
    return lambda persons, seats: seats.append(row)


def _person(n, **cells):
    def edit(persons, seats):
        persons[n - 1].update(cells)

    return edit


def _both(*edits):
    def edit(persons, seats):
        for one in edits:
            one(persons, seats)

    return edit


FUTURE = "2099-01-01"
BAD_CELLS = [
    (_seat(0, 组织编码="NOPE"), "委员 第2行 组织编码：组织 NOPE 不存在（工作簿和系统中均没有）"),
    (_seat(0, 组织编码=""), "委员 第2行 组织编码：不能为空"),
    (_seat(0, 身份证号=person_id(8)[:17] + "0"), "委员 第2行 身份证号：身份证号校验位不正确"),
    (_seat(0, 身份证号=""), "委员 第2行 身份证号：不能为空"),
    (
        _add_seat(seat_row("H1", 99, "委员", 姓名="")),
        "委员 第8行 身份证号：该身份证号不是组织 H1 或其下级组织的人员",
    ),
    (
        _add_seat(seat_row("H1-G1", 3, "委员")),  # H1-B2's member on H1-G1's committee
        "委员 第8行 身份证号：该身份证号不是组织 H1-G1 或其下级组织的人员",
    ),
    (
        _seat(3, 身份证号=person_id(4), 姓名=person_name(4)),
        f"委员 第5行 身份证号：{person_name(4)} 的政治面貌为预备党员，须为正式党员才能任职",
    ),
    (
        _seat(0, 姓名="张三"),
        f"委员 第2行 姓名：与身份证号不符（该身份证号登记的姓名为 {person_name(8)}）",
    ),
    (
        _seat(0, 党内职务="主任"),
        "委员 第2行 党内职务：“主任”不是可选值（可选：书记、副书记、组织委员",
    ),
    (_seat(0, 党内职务=""), "委员 第2行 党内职务：不能为空"),
    (_seat(0, 党内职务="党小组长"), "委员 第2行 党内职务：党小组长不是委员职务"),
    (_seat(0, 任职日期=FUTURE), "委员 第2行 任职日期：不能晚于今天"),
    (_seat(0, 任职日期="06/01/2023"), "委员 第2行 任职日期：无法识别的日期：06/01/2023"),
    (_seat(0, 任职日期="2023.06"), "委员 第2行 任职日期：须写到日：2023.06"),
    (_seat(1, 党内职务="书记"), "委员 第3行 党内职务：与第2行重复：一个组织只有一名书记"),
    (
        _add_seat(seat_row("H1", 2, "纪检委员")),
        "委员 第8行 身份证号：与第3行重复：同一人在同一组织只任一个职务",
    ),
    # Where the 委员 sheet names an organisation, a filled 党内职务 must agree with it.
    (
        _add_seat(seat_row("H1-B1", 1, "组织委员")),
        "人员 第2行 党内职务：为“书记”，与“委员”表第8行（组织委员）不一致",
    ),
    (
        _both(_add_seat(seat_row("H1-B1", 2, "组织委员")), _person(2, 党内职务="")),
        "人员 第2行 党内职务：为“书记”，但“委员”表列出了组织 H1-B1 的委员而没有此人",
    ),
    (
        _person(5, 党内职务="组织委员"),
        "人员 第6行 党内职务：为“组织委员”，与“委员”表第7行（书记）不一致",
    ),
    (
        _person(8, 党内职务="纪检委员"),
        "人员 第9行 党内职务：为“纪检委员”，与“委员”表第2行（书记）不一致",
    ),
    (
        _both(
            lambda persons, seats: persons.__setitem__(6, person_row(7, "H1-T1", "群众")),
            _add_seat(seat_row("H1", 7, "委员")),
        ),
        f"委员 第8行 身份证号：{person_name(7)} 的政治面貌为群众，须为正式党员才能任职",
    ),
    # Two secretaries in the 人员 sheet.
    (_person(2, 党内职务="书记"), "人员 第3行 党内职务：与第2行重复：一个组织只有一名书记"),
]


@pytest.mark.parametrize("edit,expected", BAD_CELLS, ids=[e for _, e in BAD_CELLS])
def test_each_bad_cell_gives_one_line_and_nothing_is_written(tmp_path, edit, expected):
    persons, seats = people(), committee()
    edit(persons, seats)
    report = import_roster(roster(tmp_path, seats, persons))
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(expected), report.errors
    assert nothing_written()


def test_an_explicit_none_contradicts_a_listed_seat_but_an_empty_cell_does_not(tmp_path):
    persons, seats = people(), committee()
    persons[4]["党内职务"] = "无"  # person 5, listed as H1-G1's 书记
    report = import_roster(roster(tmp_path, seats, persons))
    assert report.errors == ["人员 第6行 党内职务：为“无”，与“委员”表第7行（书记）不一致"]
    persons[4]["党内职务"] = ""
    assert import_roster(roster(tmp_path, seats, persons, name="ok.xlsx")).ok


def test_a_person_row_in_error_gives_no_second_line_on_the_committee_sheet(tmp_path):
    persons = people()
    persons[7]["手机号"] = "1"  # person 8, the 党委书记
    report = import_roster(roster(tmp_path, committee(), persons))
    assert [line.split("：")[0] for line in report.errors] == ["人员 第9行 手机号"]


def test_a_registered_member_who_has_left_cannot_take_a_seat(tmp_path):
    from dangjian.people.models import Person, Status, StatusPeriod

    import_roster(roster(tmp_path))
    who = Person.objects.get(name=person_name(7))
    StatusPeriod.objects.filter(person=who, ended_on__isnull=True).update(ended_on=TODAY())
    StatusPeriod.objects.create(person=who, status=Status.LEFT, started_on=TODAY())
    path = write_roster(tmp_path / "c.xlsx", [], [], seats=[seat_row("H1", 7, "委员")])
    assert import_roster(path).errors == [
        f"委员 第2行 身份证号：{person_name(7)} 的政治面貌为已出党，须为正式党员才能任职"
    ]


def test_a_missing_required_column_of_the_sheet(tmp_path):
    headers = [h for h in COMMITTEE_HEADERS if h != "党内职务"]
    path = write_roster(
        tmp_path / "h.xlsx", small_hospital(), people(), seats=committee(), seat_headers=headers
    )
    assert import_roster(path).errors == ["委员 第1行 党内职务：缺少必填列"]


def test_a_new_secretary_where_one_sits_already(tmp_path):
    """The 人员 sheet names a 书记 for an organisation whose stored 书记 it leaves in
    place: refused, as on the committee page."""
    import_roster(roster(tmp_path))
    report = import_roster(
        write_roster(tmp_path / "s.xlsx", [], [person_row(2, "H1-B1", 党内职务="书记")])
    )
    assert report.errors == [
        f"人员 第2行 党内职务：组织 H1-B1 已有书记 {person_name(1)}，一个组织只有一名书记"
        "（请先登记其离任）"
    ]
    # Saying both at once is a hand-over.
    both = [person_row(1, "H1-B1", 党内职务="无"), person_row(2, "H1-B1", 党内职务="书记")]
    assert import_roster(write_roster(tmp_path / "t.xlsx", [], both)).ok
    assert open_seats("H1-B1") == [(person_name(2), "secretary", dt.date(2024, 2, 29))]


# -- scope ----------------------------------------------------------------------------------
def test_another_hospitals_organisations_and_people_read_as_unknown(two_hospitals, tmp_path):
    from tests.factories import make_member, make_user

    _, (ha, ha_b1, _), (hb, hb_b1, _) = two_hospitals
    office = make_user("office_a", "office", ha)
    ours, theirs = make_member(ha_b1), make_member(hb_b1)

    def errors(seats):
        path = write_roster(tmp_path / f"s{len(seats)}.xlsx", [], [], seats=seats)
        return import_roster(path, dry_run=True, user=office).errors

    def seat(code, who):
        return {"组织编码": code, "身份证号": who.id_number, "党内职务": "委员"}

    assert errors([seat("HB", ours)]) == ["委员 第2行 组织编码：组织 HB 不存在或不在您的导入范围内"]
    registered_elsewhere = errors([seat("HA", ours), seat("HA", theirs)])
    unknown = errors([seat("HA", ours), {**seat("HA", ours), "身份证号": person_id(77)}])
    assert (
        registered_elsewhere
        == unknown
        == [
            "委员 第3行 身份证号：该身份证号不是组织 HA 或其下级组织的人员（请核对身份证号；"
            "新人员请同时在“人员”表中登记）"
        ]
    )
    assert import_roster(
        write_roster(tmp_path / "ok.xlsx", [], [], seats=[seat("HA", ours)]), user=office
    ).ok
    assert CommitteeSeat.objects.get(organization=ha).person == ours


# -- export ---------------------------------------------------------------------------------
def test_the_export_writes_every_open_seat_and_round_trips(tmp_path):
    import_roster(roster(tmp_path, committee()))
    hospital = Organization.objects.get(code="H1")
    first = tmp_path / "first.xlsx"
    export_roster(hospital, first)
    sheets = read_sheets(first)
    rows = [dict(zip(COMMITTEE_HEADERS, r, strict=True)) for r in sheets["委员"][1:]]
    # Tree order, then 书记, 副书记, … within an organisation.
    assert [(r["组织编码"], r["党内职务"]) for r in rows] == [
        ("H1", "书记"),
        ("H1", "副书记"),
        ("H1", "副书记"),
        ("H1", "委员"),
        ("H1", "委员"),
        ("H1-G1", "书记"),
        ("H1-B1", "书记"),  # H1-B1 lies under H1-G1
    ]
    assert rows[0]["身份证号"] == person_id(8) and rows[0]["姓名"] == person_name(8)
    assert rows[0]["任职日期"] == dt.datetime(2023, 6, 1)
    secretary = next(r for r in sheets["人员"][1:] if r[3] == person_id(1))
    assert dict(zip(PERSON_HEADERS, secretary, strict=False))["党内职务"] == "书记"
    report = import_roster(first)
    assert report.ok, report.errors
    assert (report.seats_opened, report.seats_ended, report.seats_redated) == (0, 0, 0)
    assert report.people_unchanged == 8
    second = tmp_path / "second.xlsx"
    export_roster(hospital, second)
    assert read_sheets(first) == read_sheets(second)


def test_a_branch_export_holds_its_own_committee_only(tmp_path):
    import_roster(roster(tmp_path, committee()))
    path = tmp_path / "g1.xlsx"
    export_roster(Organization.objects.get(code="H1-G1"), path)
    assert [r[:4] for r in read_sheets(path)["委员"][1:]] == [
        ("H1-G1", person_id(5), person_name(5), "书记"),
        ("H1-B1", person_id(1), person_name(1), "书记"),
    ]


POSTS = ["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "委员"]
# Who may sit where in `small_hospital()` with `people()` (full members of the subtree).
ELIGIBLE = {
    "H1": [1, 2, 3, 5, 6, 7, 8],
    "H1-G1": [1, 2, 5, 6],
    "H1-B1": [1, 2, 6],
    "H1-B2": [3],
}


@st.composite
def committees(draw):
    """Any committees the rules allow: each organisation a set of its eligible people,
    each with a post, at most one 书记, a 任职日期 in the past."""
    seats = []
    for code, eligible in ELIGIBLE.items():
        chosen = draw(st.lists(st.sampled_from(eligible), unique=True, max_size=len(eligible)))
        secretary = draw(st.booleans())
        for i, n in enumerate(chosen):
            post = "书记" if secretary and i == 0 else draw(st.sampled_from(POSTS[1:]))
            day = draw(st.dates(dt.date(2015, 1, 1), dt.date(2024, 12, 31)))
            seats.append(seat_row(code, n, post, day.isoformat()))
    return seats


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=committees(), second=committees())
def test_export_then_import_round_trips_any_committees(tmp_path, first, second):
    """Import any committees, re-import any others over them, and the export of the
    result re-imports unchanged and exports identically."""
    persons = [{**p, "党内职务": ""} for p in people()]  # the 委员 sheet alone decides
    with transaction.atomic():
        for i, seats in enumerate((first, second)):
            report = import_roster(roster(tmp_path, seats, persons, name=f"in{i}.xlsx"))
            assert report.ok, report.errors
        listed = {(s["组织编码"], s["身份证号"], s["党内职务"]) for s in second}
        named = {s["组织编码"] for s in second}
        held = CommitteeSeat.objects.filter(ended_on__isnull=True, organization__code__in=named)
        assert {(s.organization.code, s.person.id_number, s.get_post_display()) for s in held} == (
            listed
        )
        hospital = Organization.objects.get(code="H1")
        export_roster(hospital, tmp_path / "out.xlsx")
        report = import_roster(tmp_path / "out.xlsx")
        assert report.ok, report.errors
        assert (report.seats_opened, report.seats_ended, report.seats_redated) == (0, 0, 0)
        assert report.people_unchanged == len(persons)
        export_roster(hospital, tmp_path / "again.xlsx")
        assert read_sheets(tmp_path / "out.xlsx") == read_sheets(tmp_path / "again.xlsx")
        transaction.set_rollback(True)
