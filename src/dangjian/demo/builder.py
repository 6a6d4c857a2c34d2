"""Builds one hospital's roster: the committee, branches on departments, their members
and secretaries, committees and groups, the hospital's 党委班子 (the 委员 sheet), and
people along the development pipeline."""

import datetime as dt
import random
from dataclasses import dataclass

from .dates import Pipeline, add_months, add_years, backwards_from_admission, between
from .names import PeopleMaker
from .workbook import OrgRow, PersonRow, Roster, SeatRow

# Extra committee posts after 书记, in the order a branch fills them (RULES.md §3: a branch
# with 7 or more full members has a committee of 3–5).
EXTRA_POSTS = ("组织委员", "宣传委员", "纪检委员", "副书记")
# The 行政职务 of the hospital's leaders on its 党委: the first deputy secretary is the
# president (the secretary and the president are different people, RULES.md §5).
LEADER_TITLES = {"书记": "党委书记", "纪检委员": "纪委书记"}
DEPUTY_TITLES = ("院长", "党委副书记")

_TITLES = {  # 职称 by seniority: senior, deputy senior, intermediate, junior
    "doctor": ("主任医师", "副主任医师", "主治医师", "住院医师"),
    "nurse": ("主任护师", "副主任护师", "主管护师", "护师"),
    "technician": ("主任技师", "副主任技师", "主管技师", "技师"),
    "pharmacist": ("主任药师", "副主任药师", "主管药师", "药师"),
    "admin": ("研究员", "高级政工师", "政工师", "助理政工师"),
    "logistics": ("正高级工程师", "高级工程师", "工程师", "助理工程师"),
}


@dataclass
class Branch:
    code: str
    name: str
    department: str
    category: str

    @property
    def head_title(self) -> str:
        return "部长" if self.category == "后勤" else "主任"

    @property
    def deputy_title(self) -> str:
        return "副部长" if self.category == "后勤" else "副主任"


class HospitalBuilder:
    """Accumulates the rows of one hospital's workbook."""

    def __init__(
        self,
        code: str,
        name: str,
        *,
        today: dt.date,
        rng: random.Random,
        maker: PeopleMaker,
        founded_on: dt.date,
        term_start: dt.date,
        admit_before: dt.date | None = None,
        tibetan_share: float = 0.0,
        free_talents: bool = True,
    ):
        self.code, self.today, self.rng, self.maker = code, today, rng, maker
        self.roster = Roster(title=name)
        self.roster.orgs.append(
            OrgRow(code, name, "", "党委", founded_on=founded_on, term_start=term_start)
        )
        # Members generated without an explicit admission date joined before this day.
        self.admit_before = admit_before or add_months(today, -13)
        self.tibetan_share = tibetan_share
        self.free_talents = free_talents
        self.branches: dict[str, Branch] = {}
        self._groups: dict[str, list[str]] = {}
        self.term_start = term_start

    # ---- organisations -------------------------------------------------------------
    def branch(
        self,
        name: str,
        department: str = "",
        category: str = "",
        *,
        founded_on: dt.date,
        term_start: dt.date | None,
        temporary: bool = False,
    ) -> Branch:
        code = f"{self.code}-B{len(self.branches) + 1:02d}"
        self.roster.orgs.append(
            OrgRow(
                code,
                name,
                self.code,
                "党支部",
                department=department,
                category=category,
                founded_on=founded_on,
                term_start=term_start,
                temporary=temporary,
            )
        )
        branch = Branch(code, name, department, category)
        self.branches[code] = branch
        return branch

    def add_groups(self, branch: Branch, *names: str) -> None:
        """党小组 under a large branch; members are spread over them by `finalize`."""
        self._groups[branch.code] = list(names)

    # ---- people ----------------------------------------------------------------------
    def _person(
        self,
        org: str,
        department: str,
        category: str,
        *,
        employment: str,
        birth: dt.date,
        pipeline: Pipeline,
        status: str,
        **extra,
    ) -> PersonRow:
        gender = extra.pop("gender", None) or self.maker.gender(
            0.85 if category == "护理" else 0.55
        )
        talent = extra.pop("talent", None)
        tibetan = self.rng.random() < self.tibetan_share
        person = PersonRow(
            name=self.maker.name(gender, tibetan=tibetan),
            gender=gender,
            birth_date=birth,
            id_number=self.maker.id_number(birth, gender),
            org=org,
            department=department,
            employment=employment,
            status=status,
            applied_on=pipeline.applied_on,
            activist_on=pipeline.activist_on,
            candidate_on=pipeline.candidate_on,
            admitted_on=pipeline.admitted_on,
            full_on=pipeline.full_on,
            **extra,
        )
        person.title = person.title or self._title(category, gender, birth, employment)
        if talent is not None:
            person.talent = talent
        elif employment == "在职":
            person.talent = self._talent(person)
        self.roster.people.append(person)
        return person

    def member(
        self,
        branch: Branch,
        *,
        retired: bool = False,
        admitted_on: dt.date | None = None,
        department: str | None = None,
        category: str | None = None,
        **extra,
    ) -> PersonRow:
        """A Party member of `branch`: full, or probationary if admitted under a year ago."""
        rng, today = self.rng, self.today
        department = branch.department if department is None else department
        category = branch.category if category is None else category
        if admitted_on is not None:
            birth = between(rng, add_years(admitted_on, -42), add_years(admitted_on, -24))
        elif retired:
            birth = between(rng, add_years(today, -86), add_years(today, -60))
            admitted_on = between(rng, add_years(birth, 23), add_years(birth, 45))
        else:
            latest = min(add_years(today, -26), add_years(self.admit_before, -24))
            birth = between(rng, add_years(today, -58), latest)
            admitted_on = between(
                rng, add_years(birth, 23), min(add_years(birth, 40), self.admit_before)
            )
        pipeline = backwards_from_admission(rng, admitted_on, today)
        status = "正式党员" if pipeline.full_on else "预备党员"
        return self._person(
            branch.code,
            department,
            category,
            employment="离退休" if retired else "在职",
            birth=birth,
            pipeline=pipeline,
            status=status,
            **extra,
        )

    def applicant(self, branch: Branch, pipeline: Pipeline, status: str, **extra) -> PersonRow:
        """A non-member on the way in (入党申请人 / 入党积极分子 / 发展对象)."""
        birth = between(self.rng, add_years(self.today, -45), add_years(self.today, -23))
        return self._person(
            branch.code,
            branch.department,
            branch.category,
            employment="在职",
            birth=birth,
            pipeline=pipeline,
            status=status,
            **extra,
        )

    def staff(
        self,
        branch: Branch,
        in_service: int,
        retired: int = 0,
        *,
        dual: bool = True,
        secretary_title: str | None = None,
        retired_department: str | None = None,
        departments: tuple[tuple[str, str], ...] = (),
    ) -> list[PersonRow]:
        """`in_service` members (the secretary among them) and `retired` ones.

        双带头人 (SPEC.md §4): when `dual`, the secretary heads the branch's department;
        otherwise somebody else in the branch does. `departments` (name, category) are
        used in turn for branches without a department of their own (temporary ones)."""

        def place(i: int) -> dict:
            if branch.department or not departments:
                return {}
            name, category = departments[i % len(departments)]
            return {"department": name, "category": category}

        secretary = self.member(branch, post="书记", **place(0))
        if dual and branch.department:
            secretary.is_head = True
            secretary.admin_title = secretary_title or branch.head_title
        people = [secretary]
        for i in range(1, in_service):
            people.append(self.member(branch, **place(i)))
        if not dual and branch.department and in_service > 1:
            people[1].is_head, people[1].admin_title = True, branch.head_title
        dept = branch.department if retired_department is None else retired_department
        for _ in range(retired):
            people.append(self.member(branch, retired=True, department=dept))
        return people

    # ---- committees and groups -----------------------------------------------------
    def finalize(
        self, committee: tuple[str, ...], *, since: dt.date | None = None, avoid: tuple = ()
    ) -> Roster:
        """Branch committee posts by the size rules, groups, then the hospital's 党委 of
        `committee` posts (from `since`, by default the hospital's term start) drawn from
        the members of its branches, outside the branches in `avoid`; returns the roster."""
        for branch in self.branches.values():
            self._fill_committee(branch)
        for branch_code, names in self._groups.items():
            self._spread_over_groups(self.branches[branch_code], names)
        self._party_committee(committee, since or self.term_start, avoid)
        return self.roster

    def _party_committee(self, posts: tuple[str, ...], since: dt.date, avoid: tuple) -> None:
        """Full members in service since before `since`, aged 40 or more, none of them a
        department head (their 行政职务 becomes that of a hospital leader). Drawn last, so
        the rest of the roster does not depend on it."""
        branches = {code for b in avoid for code in self.roster.subtree_codes(b)}
        born_by = add_years(self.today, -40)
        eligible = [
            p
            for p in self.roster.people
            if p.status == "正式党员" and p.employment == "在职" and p.full_on <= since
            and p.birth_date <= born_by and not p.is_head and not p.admin_title
            and p.org not in branches
        ]  # fmt: skip
        deputies = iter(DEPUTY_TITLES)
        for post, person in zip(posts, self.rng.sample(eligible, len(posts)), strict=True):
            title = next(deputies, "党委副书记") if post == "副书记" else LEADER_TITLES.get(post)
            person.admin_title = title or "副院长"
            self.roster.seats.append(SeatRow(self.code, person, post, since))

    def _fill_committee(self, branch: Branch) -> None:
        people = self.roster.people_in(branch.code)
        full = [p for p in people if p.status == "正式党员"]
        if len(full) >= 7:
            posts = EXTRA_POSTS[: 2 if len(full) < 10 else 3 if len(full) < 16 else 4]
        elif len(full) >= 5:
            posts = ("副书记",)
        else:
            posts = ()
        eligible = [p for p in full if p.post == "无"]
        eligible.sort(key=lambda p: (p.employment != "在职", p.birth_date))
        for post, person in zip(posts, eligible, strict=False):
            person.post = post

    def _spread_over_groups(self, branch: Branch, names: list[str]) -> None:
        codes = []
        for i, name in enumerate(names, start=1):
            code = f"{branch.code}-G{i}"
            self.roster.orgs.append(OrgRow(code, name, branch.code, "党小组"))
            codes.append(code)
        plain = [
            p
            for p in self.roster.people_in(branch.code, subtree=False)
            if p.post == "无" and p.is_member
        ]
        for i, person in enumerate(plain):
            person.org = codes[i % len(codes)]
            if i < len(codes):
                person.post = "党小组长"

    # ---- attributes ----------------------------------------------------------------
    def _title(self, category: str, gender: str, birth: dt.date, employment: str) -> str:
        track = {
            "临床": "nurse" if gender == "女" and self.rng.random() < 0.5 else "doctor",
            "医技": "technician",
            "护理": "nurse",
            "行政": "admin",
            "后勤": "logistics",
        }.get(category, "doctor")
        age = (self.today - birth).days // 365
        if employment == "离退休":
            rank = 0 if self.rng.random() < 0.4 else 1
        else:
            rank = 0 if age >= 52 else 1 if age >= 42 else 2 if age >= 32 else 3
        return _TITLES[track][rank]

    def _talent(self, person: PersonRow) -> str:
        roll = self.rng.random()
        if not self.free_talents:
            return "业务骨干" if roll < 0.2 else "无"
        if person.title in ("主任医师", "主任护师", "主任技师", "主任药师") and roll < 0.15:
            return "医疗专家"
        if person.title in ("主治医师", "住院医师") and roll < 0.1:
            return "优秀青年医务人员"
        return "业务骨干" if roll < 0.25 else "无"
