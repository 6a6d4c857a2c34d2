"""The demo data: roster workbooks in the SPEC.md §4 format, loaded through the importer,
reproducing the seed articles' figures (`dangjian.demo.figures.FIGURES`)."""

import datetime as dt
import importlib
import io
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from dangjian.demo.dates import add_years
from dangjian.demo.figures import FIGURES, HOSPITALS, SEEDS, demo_periods, normalize_seed
from dangjian.demo.loader import build_rosters
from dangjian.demo.names import SEED_NAMES
from dangjian.demo.workbook import (
    COMMITTEE_HEADERS,
    COMMITTEE_SHEET,
    ORG_HEADERS,
    ORG_SHEET,
    PERSON_HEADERS,
    PERSON_SHEET,
    TALENTS,
    build_workbook,
)
from dangjian.people.rules import FICTITIOUS_REGION, validate_id_number

# Copies of the articles in ../shared/seeds, kept with the code so CI can check quotes.
SEED_DIR = Path(__file__).resolve().parents[2] / "docs" / "seeds"
# The demo and the statistics use the local date of TIME_ZONE (Asia/Shanghai).
TODAY = timezone.localdate()
COMMITTEE_LABELS = {"书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员"}


@pytest.fixture(scope="module")
def rosters():
    return build_rosters(TODAY)


# ---- the workbooks, before any import ------------------------------------------------
def test_workbooks_have_the_spec_sheets_and_headers(rosters):
    for roster in rosters.values():
        wb = load_workbook(io.BytesIO(build_workbook(roster)), read_only=True)
        assert wb.sheetnames == [ORG_SHEET, PERSON_SHEET, COMMITTEE_SHEET]
        orgs = list(wb[ORG_SHEET].iter_rows(values_only=True))
        people = list(wb[PERSON_SHEET].iter_rows(values_only=True))
        seats = list(wb[COMMITTEE_SHEET].iter_rows(values_only=True))
        assert list(orgs[0]) == ORG_HEADERS
        assert list(people[0]) == PERSON_HEADERS
        assert list(seats[0]) == COMMITTEE_HEADERS
        assert len(orgs) - 1 == len(roster.orgs)
        assert len(people) - 1 == len(roster.people)
        assert len(seats) - 1 == len(roster.seats)


def test_rosters_are_deterministic(rosters):
    again = build_rosters(TODAY)
    for code, roster in rosters.items():
        assert [o.cells() for o in again[code].orgs] == [o.cells() for o in roster.orgs]
        assert [p.cells() for p in again[code].people] == [p.cells() for p in roster.people]
        assert [s.cells() for s in again[code].seats] == [s.cells() for s in roster.seats]


def test_parents_come_before_children(rosters):
    known = {"DEMO"}
    for roster in rosters.values():
        for org in roster.orgs:
            assert org.parent == "" or org.parent in known, org.code
            known.add(org.code)


def test_people_are_fictitious_and_unique(rosters):
    people = [p for r in rosters.values() for p in r.people]
    numbers = [p.id_number for p in people]
    assert len(set(numbers)) == len(numbers)
    assert len({p.name for p in people}) == len(people)
    for person in people:
        assert person.id_number.startswith(FICTITIOUS_REGION)
        assert validate_id_number(person.id_number) == person.id_number
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"
        assert person.name not in SEED_NAMES


def test_development_dates_follow_the_time_rules(rosters):
    """RULES.md §4: application at 18 or older; at least a year as an activist; probation
    of one year; statuses match the dates."""
    for person in (p for r in rosters.values() for p in r.people):
        chain = [
            person.applied_on,
            person.activist_on,
            person.candidate_on,
            person.admitted_on,
            person.full_on,
        ]
        present = [d for d in chain if d]
        assert present == sorted(present), person
        assert all(d <= TODAY for d in present), person
        if person.applied_on:
            assert person.applied_on >= add_years(person.birth_date, 18), person
        if person.candidate_on:
            assert person.candidate_on >= add_years(person.activist_on, 1), person
        if person.full_on:
            assert person.full_on == add_years(person.admitted_on, 1), person
        expected = {5: "正式党员", 4: "预备党员", 3: "发展对象", 2: "入党积极分子", 1: "入党申请人"}
        assert person.status == expected[len(present)], person


def test_branch_sizes_and_committees_follow_the_rules(rosters):
    """RULES.md §3: 3 or more full members, at most 50 members; 7 or more full members
    elect a committee of 3–5."""
    for roster in rosters.values():
        for branch in (o for o in roster.orgs if o.kind == "党支部"):
            people = roster.people_in(branch.code)
            full = [p for p in people if p.status == "正式党员"]
            posts = [
                p.post
                for p in roster.people_in(branch.code, subtree=False)
                if p.post in COMMITTEE_LABELS
            ]
            assert len(full) >= 3, branch.name
            assert sum(p.is_member for p in people) <= 50, branch.name
            assert posts.count("书记") == 1, branch.name
            if len(full) >= 7:
                assert 3 <= len(posts) <= 5, branch.name
            else:
                assert len(posts) <= 2, branch.name


def test_each_hospital_has_a_party_committee_drawn_from_its_branches(rosters):
    """A 党委班子 of 5–7 with one 书记, each a full member in service of one of the
    hospital's branches; seed 000's hospital as its article has it (书记 1, 副书记 2,
    委员 2); the secretary is not the president (RULES.md §5)."""
    from collections import Counter

    for code in HOSPITALS:
        roster = rosters[code]
        seats = roster.seats
        assert {s.org for s in seats} == {code}
        posts = Counter(s.post for s in seats)
        assert 5 <= len(seats) <= 7 and posts["书记"] == 1, code
        assert posts.keys() <= COMMITTEE_LABELS | {"委员"}, code
        holders = [s.person for s in seats]
        assert len({p.id_number for p in holders}) == len(holders), code
        branches = roster.subtree_codes(code) - {code}
        for person in holders:
            assert person in roster.people and person.org in branches, code
            assert person.status == "正式党员" and person.employment == "在职", code
            assert person.full_on <= seats[0].started_on, code
            assert person.birth_date <= add_years(TODAY, -40), code
        secretary = next(s.person for s in seats if s.post == "书记")
        assert secretary.admin_title == "党委书记"
        assert sum(p.admin_title == "院长" for p in holders) == 1
    assert Counter(s.post for s in rosters["DEMO-H01"].seats) == {"书记": 1, "副书记": 2, "委员": 2}
    assert len(rosters["DEMO-H04"].seats) == 7  # the 三重一大 register's committee


def test_figure_quotes_come_from_the_seeds():
    texts = {k: normalize_seed((SEED_DIR / name).read_text()) for k, name in SEEDS.items()}
    for figure in FIGURES:
        assert figure.org in HOSPITALS
        assert figure.quote in texts[figure.seed], figure


# ---- loaded through the importer -----------------------------------------------------
@dataclass
class Loaded:
    today: dt.date
    output: str
    seconds: float

    def period(self, name: str) -> tuple[dt.date, dt.date]:
        return demo_periods(self.today)[name]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`dangjian load-demo` once for the module, rolled back at the end of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            started = time.monotonic()
            call_command("load-demo", stdout=out)
            yield Loaded(TODAY, out.getvalue(), time.monotonic() - started)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _org(code):
    from dangjian.orgs.models import Organization

    return Organization.objects.get(code=code)


def _people(org):
    from dangjian.people.models import Person

    return Person.objects.filter(organization__path__startswith=org.path)


def _branches(org):
    from dangjian.orgs.models import Organization

    return Organization.objects.filter(path__startswith=org.path, kind="branch")


def _reached(org, status, period):
    from dangjian.people.models import StatusPeriod

    return StatusPeriod.objects.filter(
        person__organization__path__startswith=org.path,
        status=status,
        started_on__range=period,
    )


def _dual(branch) -> bool:
    from dangjian.orgs.models import CommitteeSeat

    return (
        CommitteeSeat.objects.filter(
            organization=branch,
            post="secretary",
            ended_on__isnull=True,
            person__department=branch.department,
            person__is_department_head=True,
        )
        .exclude(person__department__isnull=True)
        .exists()
    )


def _members_now(org):
    from dangjian.people.models import MEMBER_STATUSES

    return _people(org).filter(
        statuses__ended_on__isnull=True, statuses__status__in=MEMBER_STATUSES
    )


def db_value(figure, loaded: Loaded):
    """The figure counted straight from the tables (independently of dashboard.stats)."""
    from dangjian.orgs.models import CLINICAL_CATEGORIES, CommitteePost

    org = _org(figure.org)
    period = loaded.period(figure.period) if figure.period else None
    key = figure.key
    branches = _branches(org)
    clinical = branches.filter(department__category__in=CLINICAL_CATEGORIES)
    if key == "members.total":
        return _members_now(org).count()
    if key in ("members.in_service", "members.retired"):
        return _members_now(org).filter(employment=key.split(".")[1]).count()
    if key == "organizations.branches":
        return branches.count()
    if key == "organizations.temporary_branches":
        return branches.filter(is_temporary=True).count()
    if key == "branches.clinical":
        return clinical.count()
    if key == "branches.founded_in_period":
        return branches.filter(founded_on__range=period).count()
    if key == "branches.dual_leader":
        return sum(_dual(b) for b in branches)
    if key == "branches.dual_leader_ratio":
        linked = branches.filter(department__isnull=False)
        return sum(_dual(b) for b in linked) / linked.count()
    if key == "branches.clinical_dual_leader_ratio":
        return sum(_dual(b) for b in clinical) / clinical.count()
    stage = {"applied": "applicant", "activists": "activist", "candidates": "candidate"}
    if key.startswith("development.") and key.split(".")[1] in stage:
        return _reached(org, stage[key.split(".")[1]], period).count()
    if key == "development.candidates_department_heads":
        return _reached(org, "candidate", period).filter(person__is_department_head=True).count()
    admitted = _reached(org, "probationary", period) if period else None
    if key == "development.admitted":
        return admitted.count()
    if key == "development.admitted_talent_share":
        return admitted.filter(person__talent_category__in=_talent_values()).count() / (
            admitted.count()
        )
    if key == "development.admitted_clinical_share":
        clinical_branch = Q(person__organization__department__category__in=CLINICAL_CATEGORIES)
        clinical_person = Q(person__department__category__in=CLINICAL_CATEGORIES)
        assert admitted.filter(clinical_branch).count() == admitted.filter(clinical_person).count()
        return admitted.filter(clinical_branch).count() / admitted.count()
    if key in ("tasks.total", "tasks.areas"):
        from dangjian.tasks.models import TaskArea, WorkTask

        this_year = {"area__target_list__organization": org, "area__target_list__year": TODAY.year}
        if key == "tasks.areas":
            return TaskArea.objects.filter(
                target_list__organization=org, target_list__year=TODAY.year
            ).count()
        return WorkTask.objects.filter(**this_year).count()
    if key.startswith("decisions."):
        from django.db.models import Sum

        from dangjian.decisions.models import ExpertConsultation, MajorMatter, OpinionSolicitation

        if key == "decisions.total":
            decided = MajorMatter.objects.filter(organization=org, decided_on__range=period)
            return decided.filter(status__in=("approved", "rejected")).count()
        if key == "decisions.consultations":
            return ExpertConsultation.objects.filter(
                matter__organization=org, held_on__range=period
            ).count()
        return OpinionSolicitation.objects.filter(
            matter__organization=org, solicited_on__range=period
        ).aggregate(n=Sum("opinions"))["n"]
    if key == "people.talents":
        return _people(org).filter(talent_category__in=_talent_values()).count()
    if key == "branch":
        return figure.value if branches.filter(name=figure.value).exists() else None
    if key in ("branch.post", "branch.secretary_talent"):
        name, label = figure.value.split("/")
        branch = branches.get(name=name)
        if key == "branch.post":
            post = next(p for p in CommitteePost if p.label == label)
            found = branch.seats.filter(post=post, ended_on__isnull=True).exists()
        else:
            found = branch.seats.filter(
                post="secretary",
                ended_on__isnull=True,
                person__talent_category=_talent_values(label)[0],
            ).exists()
        return figure.value if found else None
    raise AssertionError(f"no database check for {key}")


def _talent_values(*labels):
    from dangjian.people.models import TalentCategory

    wanted = labels or TALENTS
    return [c.value for c in TalentCategory if c.label in wanted]


@pytest.mark.django_db
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.org}:{f.key}:{f.value}")
def test_seed_figure_from_the_database(demo, figure):
    assert db_value(figure, demo) == pytest.approx(figure.value)


STATS_KEYS = [
    f
    for f in FIGURES
    if "." in f.key
    and f.key.split(".")[0]
    in (
        "members",
        "organizations",
        "branches",
        "development",
        "tasks",
        "decisions",
    )
    and f.key not in ("branches.founded_in_period", "tasks.areas")
]


@pytest.mark.django_db
@pytest.mark.parametrize("figure", STATS_KEYS, ids=lambda f: f"{f.org}:{f.key}:{f.value}")
def test_seed_figure_through_compute_stats(demo, figure):
    from dangjian.dashboard.stats import compute_stats

    date_from, date_to = demo.period(figure.period) if figure.period else (None, None)
    stats = compute_stats(_org(figure.org), date_from, date_to)
    group, name = figure.key.split(".")
    assert stats[group][name] == pytest.approx(figure.value)


@pytest.mark.django_db
def test_the_tree_is_sound(demo):
    from dangjian.orgs.models import Organization

    root = _org("DEMO")
    expected = {1: "guidance_committee", 2: "committee", 3: "branch", 4: "group"}
    orgs = list(Organization.objects.filter(path__startswith=root.path))
    assert {o.code for o in orgs if o.depth == 2} == set(HOSPITALS)
    for org in orgs:
        assert org.kind == expected[org.depth], org.code
        if org.depth > 1:
            parent = Organization.objects.get_parent(org)
            assert org.code.startswith(parent.code), org.code
    groups = [o for o in orgs if o.kind == "group"]
    assert len(groups) == 7
    for branch in (o for o in orgs if o.kind == "branch"):
        if not branch.is_temporary:
            assert branch.department is not None, branch.code
            assert branch.department.hospital.code == branch.code[:8]


@pytest.mark.django_db
def test_every_id_number_has_the_fictitious_region(demo):
    from dangjian.people.models import Person

    numbers = [
        p.id_number for p in Person.objects.filter(organization__path__startswith=_org("DEMO").path)
    ]
    assert len(numbers) == sum(len(r.people) for r in build_rosters(demo.today).values())
    assert all(n.startswith(FICTITIOUS_REGION) for n in numbers)


@pytest.mark.django_db
def test_committees_and_terms_give_compliance_findings(demo):
    """Branches with 7 or more full members have 3–5 committee posts; four re-elections
    fall due within three months and one is overdue."""
    from dangjian.orgs.models import COMMITTEE_POSTS, CommitteeTerm

    root = _org("DEMO")
    for branch in _branches(root):
        full = (
            _people(branch).filter(statuses__ended_on__isnull=True, statuses__status="full").count()
        )
        posts = branch.seats.filter(ended_on__isnull=True, post__in=COMMITTEE_POSTS).count()
        assert (3 <= posts <= 5) if full >= 7 else (1 <= posts <= 2), branch.name
    latest = {}
    for term in CommitteeTerm.objects.filter(organization__path__startswith=root.path):
        if term.organization_id not in latest or term.started_on > latest[term.organization_id]:
            latest[term.organization_id] = term
    terms = [t for t in latest.values() if t.organization.kind == "branch"]
    soon = demo.today + dt.timedelta(days=92)
    assert sum(demo.today < t.ends_on <= soon for t in terms) == 4
    assert sum(t.ends_on <= demo.today for t in terms) == 1


@pytest.mark.django_db
def test_every_hospital_has_its_party_committee_with_a_term(demo):
    """Each demo hospital is a 党委 whose 班子 came in with its roster's 委员 sheet: one
    书记, full members of its branches, and a current CommitteeTerm."""
    from dangjian.orgs.models import COMMITTEE_POSTS, CommitteeTerm

    rosters = build_rosters(demo.today)
    for code in HOSPITALS:
        hospital = _org(code)
        assert hospital.kind == "committee"
        seats = hospital.seats.filter(ended_on__isnull=True, post__in=COMMITTEE_POSTS)
        assert seats.filter(post="secretary").count() == 1, code
        assert seats.count() == len(rosters[code].seats), code
        for seat in seats.select_related("person__organization"):
            person = seat.person
            assert person.organization.path.startswith(hospital.path), code
            assert person.organization.kind in ("branch", "group"), code
            assert person.statuses.get(ended_on__isnull=True).status == "full", code
        term = CommitteeTerm.objects.filter(organization=hospital).first()
        assert term is not None and term.started_on <= demo.today < term.ends_on, code


@pytest.mark.django_db
def test_the_register_hospital_plans_a_party_committee_meeting_from_its_committee(demo):
    """Planning a 党委会 in the 三重一大 hospital, in the app or in the demo's own register,
    expects the committee the roster seated."""
    from django.test import Client
    from django.urls import reverse

    from dangjian.accounts.models import User
    from dangjian.decisions import services
    from dangjian.decisions.models import DecisionMeeting
    from dangjian.decisions.rules import Body
    from dangjian.demo.register import REGISTER_HOSPITAL

    hospital = _org(REGISTER_HOSPITAL)
    committee = set(
        hospital.seats.filter(ended_on__isnull=True).values_list("person_id", flat=True)
    )
    assert len(committee) == 7
    meeting = services.plan_meeting(
        hospital, body=Body.PARTY_COMMITTEE, title="2099年第1次党委会", held_on=demo.today
    )
    assert set(meeting.attendance.values_list("person_id", flat=True)) == committee
    assert meeting.should_attend == 7
    # The register's meetings, the one waiting included, expected the same seven.
    for planned in DecisionMeeting.objects.filter(organization=hospital, body=Body.PARTY_COMMITTEE):
        assert set(planned.attendance.values_list("person_id", flat=True)) == committee
    # The planning page proposes them.
    client = Client()
    client.force_login(User.objects.get(username="demo_office_h04"))
    page = client.get(reverse("decisions:meeting_new"), {"org": REGISTER_HOSPITAL})
    assert page.status_code == 200
    assert {p.pk for p in page.context["committee"]} == committee


@pytest.mark.django_db
def test_demo_accounts_have_their_roles_and_scopes(demo):
    from dangjian.accounts.models import RoleGrant, User
    from dangjian.people.models import Person

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert not user.must_change_password
        grants = list(RoleGrant.objects.filter(user=user).values_list("role", "organization__code"))
        assert grants == [(account.role, account.org)]
    member = Person.objects.get(user__username="demo_member")
    branch = _org("DEMO-H01-B02")
    assert member.organization.path.startswith(branch.path)
    assert member.statuses.get(ended_on__isnull=True).status == "full"
    secretary = Person.objects.get(user__username="demo_secretary")
    assert secretary.seats.filter(organization=branch, post="secretary").exists()
    assert Person.objects.visible_to(User.objects.get(username="demo_member")).count() == 1
    office = User.objects.get(username="demo_office")
    assert Person.objects.visible_to(office).count() == _people(_org("DEMO-H01")).count()


@pytest.mark.django_db
def test_demo_dues_give_the_office_and_the_member_something_to_see(demo):
    """Bills for a year, most paid, a few members in arrears long enough for a reminder
    or for the branch assembly to decide, and the demo member owing last month."""
    from django.db.models import F, Sum

    from dangjian.core.dates import add_months
    from dangjian.dues.models import DuesBill, DuesPayment
    from dangjian.dues.queries import arrears, arrears_level, dues_figures
    from dangjian.people.models import Person

    h01 = _org("DEMO-H01")
    levels = {arrears_level(p.arrears_months) for p in arrears(h01.path, TODAY)}
    assert {"handle", "remind"} <= levels
    figures = dues_figures(h01.path, TODAY.replace(month=1, day=1), TODAY)
    assert figures["collected"] > 0 and 0.7 < (figures["on_time_rate"] or 0.75) < 1
    member = Person.objects.get(user__username="demo_member")
    last_month = add_months(TODAY.replace(day=1), -1)
    unpaid = set(DuesBill.objects.filter(person=member, paid_by__isnull=True).values_list(
        "month", flat=True))  # fmt: skip
    assert last_month in unpaid
    assert DuesBill.objects.filter(person=member, paid_by__isnull=False).exists()
    # Each payment settles whole bills: its total is what they asked.
    payments = DuesPayment.objects.annotate(asked=Sum("bills__amount"))
    assert payments.exists() and not payments.exclude(total=F("asked")).exists()
    assert not DuesPayment.objects.filter(paid_on__gt=TODAY).exists()


@pytest.mark.django_db
def test_load_demo_is_idempotent(demo):
    from dangjian.people.models import Person

    assert "已载入示例数据" in demo.output
    before = Person.objects.count()
    out = io.StringIO()
    call_command("load-demo", stdout=out)
    assert "未做任何改动" in out.getvalue()
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_a_refused_workbook_leaves_nothing_behind(demo, monkeypatch):
    from dangjian.accounts.models import User
    from dangjian.demo import loader
    from dangjian.orgs.models import Organization
    from dangjian.roster import services as roster

    calls = []

    def refuse_the_second(source, *, org=None, dry_run=False, user=None):
        calls.append(org)
        Organization.objects.add_root(
            {"code": f"PARTIAL{len(calls)}", "name": "部分导入", "kind": "committee"}
        )
        ok = len(calls) < 2
        return SimpleNamespace(ok=ok, errors=[] if ok else ["人员 第3行 身份证号：校验位不正确"])

    command = importlib.import_module("dangjian.demo.management.commands.load-demo")
    monkeypatch.setattr(command, "demo_loaded", lambda: False)
    monkeypatch.setattr(loader, "demo_loaded", lambda: False)
    monkeypatch.setattr(roster, "import_roster", refuse_the_second)
    users = User.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("load-demo")
    message = str(refused.value)
    assert "导入失败" in message and "身份证号" in message and "\n" not in message
    assert not Organization.objects.filter(code__startswith="PARTIAL").exists()
    assert User.objects.count() == users


class FakeRunner:
    """Stands in for the huey consumer the demo starts beside the server."""

    stopped = False

    def started(self, calls):
        calls.append(("job runner", ()))
        return self

    def terminate(self):
        self.stopped = True

    def wait(self, timeout=None):
        return 0


@pytest.mark.django_db
def test_demo_command_migrates_loads_prints_accounts_and_serves(demo, monkeypatch, settings):
    from dangjian.demo.management.commands import demo as demo_command

    settings.DEBUG = True
    calls = []
    real = demo_command.call_command

    def fake(name, *args, **kwargs):
        calls.append((name, args))
        if name == "load-demo":
            return real(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", fake)
    monkeypatch.setattr(demo_command, "port_free", lambda host, port: True)
    runner = FakeRunner()
    monkeypatch.setattr(demo_command, "start_job_runner", lambda: runner.started(calls))
    monkeypatch.delenv("PORT", raising=False)
    out = io.StringIO()
    call_command("demo", stdout=out)
    # The job runner starts before the server and stops with it.
    assert [c[0] for c in calls] == ["migrate", "load-demo", "job runner", "runserver"]
    assert runner.stopped
    assert calls[-1][1] == ("127.0.0.1:8000",)
    text = out.getvalue()
    assert "未做任何改动" in text
    assert all(a.username in text for a in DEMO_ACCOUNTS) and DEMO_PASSWORD in text
    assert text.index("demo_guidance") < text.index("http://127.0.0.1:8000")


@pytest.mark.django_db
def test_demo_command_refuses_without_debug_or_with_a_busy_port(demo, monkeypatch, settings):
    from dangjian.demo.management.commands import demo as demo_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo")
    settings.DEBUG = True
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setattr(demo_command, "port_free", lambda host, port: False)
    with pytest.raises(CommandError, match="端口 8000 已被占用"):
        call_command("demo")
    monkeypatch.setenv("PORT", "80a")
    with pytest.raises(CommandError, match="端口“80a”无效"):
        call_command("demo")


@pytest.mark.django_db
def test_demo_serves_on_the_port_the_environment_gives(monkeypatch, settings):
    from dangjian.demo.management.commands import demo as demo_command

    settings.DEBUG = True
    calls = []
    monkeypatch.setattr(demo_command, "call_command", lambda name, *a, **k: calls.append((name, a)))
    monkeypatch.setattr(demo_command, "start_job_runner", lambda: FakeRunner())
    monkeypatch.setattr(demo_command, "port_free", lambda host, port: port == 8123)
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert calls[-1] == ("runserver", ("127.0.0.1:8123",))
    assert "http://127.0.0.1:8123/" in out.getvalue() and "PORT" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_refuses_production_settings(settings):
    from dangjian.orgs.models import Organization

    before = Organization.objects.count()
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(CommandError, match="示例数据只能在调试模式下载入"):
        call_command("load-demo")
    assert Organization.objects.count() == before


def test_accounts_markdown_lists_every_account():
    from dangjian.demo.accounts import DEMO_ACCOUNTS_MARKDOWN

    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in DEMO_ACCOUNTS_MARKDOWN
    assert DEMO_PASSWORD in DEMO_ACCOUNTS_MARKDOWN and "仅用于本机演示" in DEMO_ACCOUNTS_MARKDOWN


def test_every_figure_is_checked(rosters):
    """Every figure has a database check (a typo in a key fails here, not silently)."""
    known = {
        "members.total",
        "members.in_service",
        "members.retired",
        "organizations.branches",
        "organizations.temporary_branches",
        "branches.clinical",
        "branches.founded_in_period",
        "branches.dual_leader",
        "branches.dual_leader_ratio",
        "branches.clinical_dual_leader_ratio",
        "development.applied",
        "development.activists",
        "development.candidates",
        "development.candidates_department_heads",
        "development.admitted",
        "development.admitted_talent_share",
        "development.admitted_clinical_share",
        "people.talents",
        "tasks.total",
        "tasks.areas",
        "decisions.total",
        "decisions.consultations",
        "decisions.opinions",
        "branch",
        "branch.post",
        "branch.secretary_talent",
    }
    assert {f.key for f in FIGURES} <= known
    assert {f.org for f in FIGURES} == set(HOSPITALS)
    assert not [f for f in FIGURES if f.period and f.period not in demo_periods(TODAY)]
    # Development figures count what happened in a period (SPEC.md §4).
    assert all(f.period for f in FIGURES if f.key.startswith(("development.", "decisions.")))


@pytest.mark.django_db
def test_the_readme_names_the_demo_hospitals_and_accounts_as_the_screens_do(demo):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for code, name in HOSPITALS.items():
        assert _org(code).name == name
        assert f"`{code}` {name}" in readme, code
    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in readme


@pytest.mark.django_db
def test_demo_surveys_and_care_give_each_role_something_to_see(demo):
    """demo_member has a named branch survey to answer and a closed vote's results; the
    office's register has 困难党员 with help and 七一 visits; the secretary's branch has
    one of them; anonymous answers carry no person."""
    from dangjian.accounts.models import User
    from dangjian.care import queries as care
    from dangjian.care.models import CareCase
    from dangjian.people.models import Person
    from dangjian.surveys import queries as surveys
    from dangjian.surveys.models import Answer

    member = Person.objects.get(user__username="demo_member")
    mine = list(surveys.for_member(member))
    assert any(not s.is_anonymous and not s.answered and s.closes_at > s.opens_at for s in mine)
    vote = next(s for s in mine if s.is_vote)
    assert vote.results_public and surveys.results(vote).answered > 0
    assert not Answer.objects.filter(question__survey__is_anonymous=True, response__isnull=False)
    office = User.objects.get(username="demo_office")
    figures = care.figures(office, _org("DEMO-H01"), TODAY.year)["total"]
    assert figures["in_register"] >= 3 and figures["helped"] >= 3 and figures["amount"] > 0
    secretary = User.objects.get(username="demo_secretary")
    assert CareCase.objects.visible_to(secretary).exists()
    assert not CareCase.objects.visible_to(User.objects.get(username="demo_member")).exists()


@pytest.mark.django_db
def test_demo_cobuilding_and_brands_give_each_side_something_to_see(demo):
    from dangjian.accounts.models import User
    from dangjian.brands.models import Brand
    from dangjian.service.models import Alliance, Partnership

    def user(name):
        return User.objects.get(username=name)

    mine = Partnership.objects.visible_to(user("demo_secretary"))
    assert mine.get().activities.count() == 4  # the community agreement of DEMO-H01-B02
    assert Partnership.objects.visible_to(user("demo_office")).count() == 2
    # The 医联体 partner's office sees the agreement from its side.
    partner_side = Partnership.objects.visible_to(user("demo_office_h04")).get()
    assert partner_side.partner_org.code == "DEMO-H04"
    alliance = Alliance.objects.visible_to(user("demo_guidance")).get()
    assert alliance.lead.code == "DEMO-H01" and alliance.members.count() == 3
    assert alliance.activities.count() == 1
    brands = Brand.objects.visible_to(user("demo_guidance"))
    assert brands.count() == 2 and all(b.evidence.count() >= 2 for b in brands)
