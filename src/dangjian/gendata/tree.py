"""The organisation tree and its people: guidance committee `GEN`, hospitals `GEN-H001`…,
general branches and branches on departments, each branch's members with their status
history, membership, imported development milestones, committee seats and terms."""

import datetime as dt

from dangjian.core.crypto import digest, encrypt
from dangjian.core.dates import add_years
from dangjian.development.models import DevelopmentStep
from dangjian.development.steps import IMPORT_MILESTONES
from dangjian.orgs.models import (
    CommitteeSeat,
    CommitteeTerm,
    Department,
    Organization,
    OrgKind,
)
from dangjian.people.models import Membership, Person, StatusPeriod
from dangjian.people.rules import id_check_char

from . import names
from .city import (
    CITY_BRANCHES,
    CITY_HOSPITALS,
    CITY_MEMBERS,
    CITY_TERTIARY,
    BranchRec,
    City,
    HospitalRec,
    PersonRec,
)
from .writer import Writer

TALENTS = ["", "", "", "", "", "", "backbone", "backbone", "young_talent", "medical_expert",
           "discipline_leader"]  # fmt: skip
HOSPITAL_POSTS = [
    "secretary",
    "deputy_secretary",
    "deputy_secretary",
    "organization",
    "publicity",
    "discipline",
    "youth",
]
BRANCH_POSTS = ["secretary", "organization", "publicity", "discipline"]


def _path(parent: str, step: int) -> str:
    return Organization._get_path(parent, len(parent) // Organization.steplen + 1, step)


def _is_tertiary(number: int, count: int) -> bool:
    """42 of every 87 hospitals are tertiary, spread evenly (hospital 1 always is)."""
    return (number * CITY_TERTIARY + count - 1) // count != (
        (number - 1) * CITY_TERTIARY + count - 1
    ) // count


class TreeBuilder:
    def __init__(self, city: City, writer: Writer):
        self.city, self.w = city, writer
        # The root through treebeard (it may shift other roots); everything below in bulk.
        root = Organization.objects.add_root(
            {
                "code": "GEN",
                "name": "生成数据市公立医院党建工作指导委员会",
                "kind": OrgKind.GUIDANCE_COMMITTEE,
                "founded_on": dt.date(2018, 6, 1),
            }
        )
        city.guidance_pk, city.guidance_path = root.pk, root.path
        self.orgs = writer.table(
            Organization,
            ["path", "depth", "numchild", "code", "name", "kind", "is_temporary",
             "department_id", "founded_on"],
        )  # fmt: skip
        self.departments = writer.table(Department, ["hospital_id", "name", "category"])
        self.terms = writer.table(CommitteeTerm, ["organization_id", "started_on", "ends_on"])
        self.people = writer.table(
            Person,
            ["name", "gender", "birth_date", "id_number", "id_digest", "phone", "organization_id",
             "department_id", "admin_title", "is_department_head", "professional_title",
             "talent_category", "employment"],
        )  # fmt: skip
        self.memberships = writer.table(
            Membership, ["person_id", "organization_id", "started_on", "start_reason"]
        )
        self.periods = writer.table(StatusPeriod, ["person_id", "status", "started_on", "ended_on"])
        self.steps = writer.table(
            DevelopmentStep,
            ["person_id", "organization_id", "code", "done_on", "effective_on", "imported"],
        )
        self.seats = writer.table(
            CommitteeSeat, ["organization_id", "person_id", "post", "started_on"]
        )
        self.serial = 0
        self.heads: list[tuple[int, str]] = []  # (person, admin title) of department heads

    # -- organisations ---------------------------------------------------------------------
    def build(self) -> None:
        city = self.city
        n = city.hospitals_wanted
        rng = city.rng("shape")
        tertiary = [_is_tertiary(i, CITY_HOSPITALS) for i in range(1, n + 1)]
        weights = [(2.6 if t else 1.0) * rng.uniform(0.6, 1.4) for t in tertiary]
        branch_total = round(CITY_BRANCHES * n / CITY_HOSPITALS)
        member_total = round(CITY_MEMBERS * n / CITY_HOSPITALS)
        counts = [max(4, round(branch_total * w / sum(weights))) for w in weights]
        # Each hospital's retired staff branch counts double.
        per_branch = member_total / (sum(counts) + n)
        for i in range(1, n + 1):
            self._hospital(i, tertiary[i - 1], counts[i - 1], per_branch)
        Organization.objects.filter(pk=city.guidance_pk).update(numchild=n)

    def _hospital(self, number: int, tertiary: bool, branch_count: int, per_branch: float):
        city = self.city
        rng = city.rng("hospital", number)
        k = (number - 1) % (len(names.CITY_DISTRICTS) // 2)
        district = names.CITY_DISTRICTS[2 * k : 2 * k + 2]
        kind = "中心医院" if tertiary else "人民医院"
        name = f"生成数据市{district}区第{number}{kind}党委"
        code = f"GEN-H{number:03d}"
        path = _path(city.guidance_path, number)
        founded = dt.date(1990 + rng.randrange(20), 1 + rng.randrange(12), 1)
        # General branches (党总支) group a few branches in the larger hospitals.
        general = min(3, branch_count // 12) if tertiary else 0
        under_general = [rng.randint(3, 5) for _ in range(general)]
        direct = branch_count - sum(under_general)
        pk = self.orgs.add(path, 2, direct + general, code, name, OrgKind.COMMITTEE, False,
                           None, founded)  # fmt: skip
        hospital = HospitalRec(pk, number, code, name, path, tertiary)
        city.hospitals.append(hospital)
        self._term(pk, city.today - dt.timedelta(days=rng.randrange(30, 5 * 365 - 30)), 5)
        departments = list(names.DEPARTMENTS)
        taken: dict[str, int] = {}

        def department(index: int) -> tuple[int, str]:
            base, category = departments[index % len(departments)]
            taken[base] = taken.get(base, 0) + 1
            dept_name = base if taken[base] == 1 else f"{base}{taken[base]}"
            return self.departments.add(pk, dept_name, category), dept_name, category

        step, index = 0, 0
        # The retired staff branch first (no department), then department branches.
        plan = [(None, True)] + [(None, False)] * (direct - 1)
        plan += [(size, False) for size in under_general]
        for kids, retired in plan:
            step += 1
            child_path = _path(path, step)
            if kids is None:
                self._branch(hospital, child_path, code, step, retired, department, index,
                             per_branch, rng, founded)  # fmt: skip
                index += 0 if retired else 1
                continue
            gcode = f"{code}-Z{step:02d}"
            self.orgs.add(child_path, 3, kids, gcode, f"第{step}党总支", OrgKind.GENERAL_BRANCH,
                          False, None, founded)  # fmt: skip
            for k in range(1, kids + 1):
                self._branch(hospital, _path(child_path, k), gcode, k, False, department, index,
                             per_branch, rng, founded)  # fmt: skip
                index += 1

    def _term(self, org_pk: int, started: dt.date, years: int = 3) -> dt.date:
        self.terms.add(org_pk, started, add_years(started, years))
        return started

    def _branch(self, hospital, path, parent_code, step, retired, department, index,
                per_branch, rng, founded):  # fmt: skip
        city = self.city
        depth = len(path) // Organization.steplen
        code = f"{parent_code}-B{step:03d}"
        temporary = not retired and rng.random() < 0.01
        if retired:
            dept_pk, dept_name, category = None, "", ""
            name = "离退休党支部"
        else:
            dept_pk, dept_name, category = department(index)
            name = f"{dept_name}{'临时' if temporary else ''}党支部"
        pk = self.orgs.add(path, depth, 0, code, name, OrgKind.BRANCH, temporary, dept_pk,
                           founded)  # fmt: skip
        # 5% of terms are past their end (re-election overdue), the rest run 3 years.
        back = (
            rng.randrange(3 * 365 + 20, 3 * 365 + 200)
            if rng.random() < 0.05
            else (rng.randrange(10, 3 * 365 - 10))
        )
        term_start = self._term(pk, city.today - dt.timedelta(days=back))
        branch = BranchRec(pk, code, name, path, hospital, dept_pk, category, retired, term_start)
        hospital.branches.append(branch)
        size = round(per_branch * rng.uniform(0.45, 1.55)) if not retired else round(per_branch * 2)
        if rng.random() < 0.01:
            size = 2  # too small: a finding to show
        size = max(2, min(size, 48))
        pipeline = rng.choice((0, 0, 0, 1, 1, 2)) if not retired else 0
        for j in range(size + pipeline):
            self._person(branch, j, rng, member=j < size, dept_name=dept_name)
        self._seats(branch, rng)

    # -- people ----------------------------------------------------------------------------
    def _person(self, branch: BranchRec, j: int, rng, *, member: bool, dept_name: str):
        city, today = self.city, self.city.today
        self.serial += 1
        serial = self.serial
        gender = "male" if rng.random() < 0.42 else "female"
        name = rng.choice(names.SURNAMES) + "".join(
            rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2, 2)))
        )
        employment = "retired" if branch.retired else "in_service"
        periods: list[tuple[str, dt.date]] = []
        joined = full_on = None
        if member:
            recent = rng.random() < 0.08  # joined within the generated years: full history
            if recent:
                joined = city.first_day + dt.timedelta(
                    days=rng.randrange(max(1, (today - city.first_day).days - 30))
                )
            elif branch.retired:
                joined = dt.date(
                    1965 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)
                )
            else:
                joined = dt.date(1990 + rng.randrange(city.first_day.year - 1991),
                                 1 + rng.randrange(12), 1 + rng.randrange(28))  # fmt: skip
            if recent:
                applied = joined - dt.timedelta(days=rng.randrange(700, 1100))
                activist = applied + dt.timedelta(days=rng.randrange(60, 200))
                candidate = activist + dt.timedelta(days=rng.randrange(365, 500))
                periods += [
                    ("applicant", applied),
                    ("activist", activist),
                    ("candidate", candidate),
                ]
            periods.append(("probationary", joined))
            full = add_years(joined, 1)
            if full <= today:
                periods.append(("full", full))
                full_on = full
            birth_year = joined.year - rng.randrange(22, 36)
        else:
            applied = today - dt.timedelta(days=rng.randrange(30, 1000))
            periods.append(("applicant", applied))
            if applied < today - dt.timedelta(days=200):
                periods.append(("activist", applied + dt.timedelta(days=rng.randrange(30, 180))))
            if applied < today - dt.timedelta(days=600) and rng.random() < 0.6:
                periods.append(("candidate", periods[-1][1] + dt.timedelta(days=400)))
            birth_year = applied.year - rng.randrange(22, 35)
        if branch.retired:
            birth_year = min(birth_year, today.year - 61)
        birth = dt.date(birth_year, 1 + rng.randrange(12), 1 + rng.randrange(28))
        # Region 98xxxx is fictitious; with the serial it keeps every number unique.
        region = f"98{serial // 100:04d}"
        sex_digit = (serial // 10 % 5) * 2 + (1 if gender == "male" else 0)
        body = f"{region}{birth:%Y%m%d}{serial % 100:02d}{sex_digit}"[:17]
        id_number = body + id_check_char(body)
        phone = f"19{serial:09d}"
        status = periods[-1][0]
        rec = PersonRec(0, status, joined, full_on, employment, name)
        category = branch.category if branch.department_pk else ""
        title = rng.choice(names.TITLES.get(category, names.TITLES[""]))
        pk = self.people.add(
            name, gender, birth, encrypt(id_number), digest(id_number), encrypt(phone),
            branch.pk, branch.department_pk, "", False, title,
            rng.choice(TALENTS) if not branch.retired else "", employment,
        )  # fmt: skip
        rec.pk = pk
        branch.people.append(rec)
        self.memberships.add(pk, branch.pk, periods[0][1], "import")
        for i, (period_status, started) in enumerate(periods):
            ended = periods[i + 1][1] if i + 1 < len(periods) else None
            self.periods.add(pk, period_status, started, ended)
            code = IMPORT_MILESTONES.get(period_status)
            if code:
                self.steps.add(pk, branch.pk, code, started, started, True)

    def _seats(self, branch: BranchRec, rng) -> None:
        """The secretary (a dual leader in most clinical branches) and, in branches with at
        least 7 full members, a committee; the department head flagged on the person."""
        full = [p for p in branch.people if p.status == "full"]
        if not full:
            return
        branch.secretary = full[0]
        posts = ["secretary"]
        if len(full) >= 7 and rng.random() < 0.95:
            posts = BRANCH_POSTS
            branch.has_committee = True
            branch.committee_members = full[: len(posts)]
        for post, person in zip(posts, full, strict=False):
            self.seats.add(branch.pk, person.pk, post, branch.term_start)
        if branch.department_pk is None:
            return
        clinical = branch.category in ("clinical", "medical_technical")
        dual = rng.random() < (0.8 if clinical else 0.5)
        head = full[0] if dual or len(full) < 2 else full[1]
        self.heads.append((head.pk, "护士长" if branch.category == "nursing" else "科室主任"))

    def hospital_committees(self) -> None:
        """Seven committee members per hospital, from its branch secretaries."""
        for hospital in self.city.hospitals:
            secretaries = [b.secretary for b in hospital.branches if b.secretary is not None]
            hospital.committee = secretaries[: len(HOSPITAL_POSTS)]
            hospital.secretary_name = hospital.committee[0].name if hospital.committee else ""
            started = self.city.today - dt.timedelta(days=400)
            for post, person in zip(HOSPITAL_POSTS, hospital.committee, strict=False):
                self.seats.add(hospital.pk, person.pk, post, started)


def mark_heads(heads: list[tuple[int, str]]) -> None:
    """Department heads, once the people are written: one UPDATE per title."""
    from dangjian.core.batching import chunked

    by_title: dict[str, list[int]] = {}
    for pk, title in heads:
        by_title.setdefault(title, []).append(pk)
    for title, pks in by_title.items():
        for chunk in chunked(pks):
            Person.objects.filter(pk__in=chunk).update(is_department_head=True, admin_title=title)
