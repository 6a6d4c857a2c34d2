"""Build people part-way along the development pipeline through the real service, with
dates that satisfy every time rule."""

import datetime as dt

from dangjian.core.dates import add_months, add_years
from dangjian.development.rules import Vote
from dangjian.development.services import StepInput, branch_full_members, record_step
from dangjian.development.steps import ORDER, SEQUENCE, StepCode
from dangjian.people.models import Membership, Status
from tests.factories import PersonFactory, make_member

S = StepCode
PASSING_VOTE = Vote(entitled=10, present=8, yes=7, no=1, abstain=0)


def step_dates(applied_on: dt.date) -> dict[str, dt.date]:
    """A lawful date for each numbered step when the application is on `applied_on`."""
    activist = applied_on + dt.timedelta(days=40)
    candidate = add_years(activist, 1) + dt.timedelta(days=10)
    assembly = candidate + dt.timedelta(days=60)
    full_vote = add_years(assembly, 1)
    dates = {
        S.APPLICATION: applied_on,
        S.APPLICATION_TALK: applied_on + dt.timedelta(days=20),
        S.ACTIVIST_CONFIRMED: activist,
        S.ACTIVIST_FILED: activist + dt.timedelta(days=5),
        S.CULTIVATORS_ASSIGNED: activist + dt.timedelta(days=5),
        S.ACTIVIST_REVIEW: add_months(activist, 6),
        S.CANDIDATE_CONFIRMED: candidate,
        S.CANDIDATE_FILED: candidate + dt.timedelta(days=5),
        S.INTRODUCERS_ASSIGNED: candidate + dt.timedelta(days=5),
        S.POLITICAL_REVIEW: candidate + dt.timedelta(days=20),
        S.TRAINING: candidate + dt.timedelta(days=25),
        S.COMMITTEE_REVIEW: candidate + dt.timedelta(days=30),
        S.PUBLIC_NOTICE: candidate + dt.timedelta(days=31),  # for eight days
        S.PRE_REVIEW: candidate + dt.timedelta(days=45),
        S.APPLICATION_FORM: candidate + dt.timedelta(days=50),
        S.ASSEMBLY_VOTE: assembly,
        S.COMMITTEE_TALK: assembly + dt.timedelta(days=20),
        S.APPROVAL: assembly + dt.timedelta(days=40),
        S.APPROVAL_FILED: assembly + dt.timedelta(days=50),
        S.ASSIGNED_TO_BRANCH: assembly + dt.timedelta(days=50),
        S.OATH: assembly + dt.timedelta(days=55),
        S.PROBATION_EDUCATION: add_months(assembly, 6),
        S.FULL_APPLICATION: full_vote - dt.timedelta(days=10),
        S.FULL_ASSEMBLY_VOTE: full_vote,
        S.FULL_APPROVAL: full_vote + dt.timedelta(days=30),
        S.ARCHIVED: full_vote + dt.timedelta(days=40),
    }
    return dates


def sponsors(org, n: int = 2):
    """Full members of `org` who can be cultivators or introducers."""
    return [make_member(org, status=Status.FULL, since=dt.date(2000, 1, 1)) for _ in range(n)]


def branch_vote(person, day: dt.date) -> Vote:
    """A lawful tally of the person's branch that day: all its full members entitled,
    four in five present, one against when more than two are (10 → 10, 8, 7, 1, 0)."""
    n = branch_full_members(person.organization, day)
    present = n - n // 5
    no = 1 if present > 2 else 0
    return Vote(entitled=n, present=present, yes=present - no, no=no, abstain=0)


def fill_branch(org, full: int = 10):
    """Full members (since 2000) added until the branch has `full` of them."""
    have = branch_full_members(org, dt.date.today())
    return sponsors(org, max(0, full - have))


def input_for(code: str, day: dt.date, helpers=(), person=None) -> StepInput:
    data = StepInput(code=code, done_on=day, actor="示例经办人")
    if code == S.CULTIVATORS_ASSIGNED:
        data.participants = list(helpers[:2])
    if code == S.INTRODUCERS_ASSIGNED:
        data.participants = list(helpers[:2])
    if code in (S.ASSEMBLY_VOTE, S.FULL_ASSEMBLY_VOTE):
        data.vote = branch_vote(person, day) if person is not None else PASSING_VOTE
    if code == S.PUBLIC_NOTICE:
        data.notice_ends_on = day + dt.timedelta(days=7)
    if code == S.TRAINING:
        data.training_days, data.training_hours = 3, 24
    return data


def advance(person, through: str, applied_on: dt.date, helpers=None, by=None):
    """Record every step of the sequence from the application up to and including
    `through` (each vote a lawful tally of the branch's full members that day)."""
    helpers = helpers if helpers is not None else sponsors(person.organization)
    dates = step_dates(applied_on)
    last = ORDER[through]
    for spec in SEQUENCE:
        if ORDER[spec.code] > last:
            break
        data = input_for(spec.code, dates[spec.code], helpers, person)
        record_step(person, data, by=by, today=dates[spec.code])
    return person


def new_applicant(org, born: dt.date | None = None, **person):
    """A member of staff with no political status yet (群众), ready to apply; adult from
    2019 on unless `born` says otherwise (the factory's birth dates keep ID numbers apart)."""
    if born is not None:
        person["birth_date"] = born
    applicant = PersonFactory(organization=org, **person)
    Membership.objects.create(person=applicant, organization=org, started_on=dt.date(2015, 1, 1))
    return applicant
